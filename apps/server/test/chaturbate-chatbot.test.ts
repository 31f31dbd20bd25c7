import { chatbotEvents, chatbotPlugin, type ChatbotResponse } from '@streaming-companion/plugin-chatbot';
import { chaturbatePlugin } from '@streaming-companion/plugin-chaturbate';
import { goalsPlugin } from '@streaming-companion/plugin-goals';
import { menuPlugin } from '@streaming-companion/plugin-menu';
import { tipsPlugin } from '@streaming-companion/plugin-tips';
import { nextEvent, startTestKernel, type TestKernel } from '@streaming-companion/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectCreator, disconnectAll, fastConfig } from '../../../packages/plugin-chaturbate/test/support/connector-fixture.ts';
import { cb, FakeEventsApi } from '../../../packages/plugin-chaturbate/test/support/fake-events-api.ts';

/**
 * The connector and the chatbot together, as a server runs them: chat from Chaturbate's Events
 * API (the local fake) is answered by a persona on the creator's /streaming socket, with the
 * sender's standing from the platform setting their level.
 */
let fake: FakeEventsApi;
let t: TestKernel;
beforeAll(async () => {
  fake = await FakeEventsApi.start();
  t = await startTestKernel({ plugins: [tipsPlugin, goalsPlugin, menuPlugin, chaturbatePlugin, chatbotPlugin], pluginConfig: { chaturbate: fastConfig(fake) } });
});
afterEach(disconnectAll);
afterAll(async () => {
  await t?.stop();
  await fake?.close();
});

describe('a Chaturbate chatMessage', () => {
  it('reaches the chatbot, and its chatbot_response arrives on /streaming; the recentTips tier sets the level', async () => {
    const c = await connectCreator(t, fake);
    const persona = async (body: object, text: string) => {
      const created = await t.http.post('/api/chatbot/personas', { token: c.token, body: { cooldowns: { personaSeconds: 0, triggerSeconds: 0, senderSeconds: 0 }, ...body } });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect((await t.http.post(`/api/chatbot/personas/${created.body.id}/templates`, { token: c.token, body: { text } })).status).toBe(201);
    };
    await persona({ name: 'Mia', triggers: [{ type: 'command', command: '!menu' }] }, 'Hi {senderName}, the menu is on screen');
    await persona({ name: 'Whale watcher', priority: 1, minLevel: 'recent_tips_lots', triggers: [{ type: 'command', command: '!menu' }] }, 'Welcome back, {senderName}');

    const sessionId = await c.goLive();
    const socket = await t.socket(c.token);
    expect(await socket.emitWithAck('join_session', { sessionId })).toMatchObject({ ok: true });
    const replies: ChatbotResponse[] = [];
    socket.on(chatbotEvents.socket.chatbot_response.name, (reply: ChatbotResponse) => replies.push(reply));

    const first = nextEvent(socket, chatbotEvents.socket.chatbot_response);
    fake.push(c.username, cb.chat('fan_kai', '!menu please', { recentTips: 'some' }));
    expect(await first).toEqual({
      sessionId,
      personaId: expect.any(String),
      personaName: 'Mia',
      avatarUrl: null,
      responseText: 'Hi fan_kai, the menu is on screen',
      trigger: { id: expect.any(String), type: 'command' },
    });

    const whale = nextEvent(socket, chatbotEvents.socket.chatbot_response, { match: (reply) => reply.personaName === 'Whale watcher' });
    fake.push(c.username, cb.chat('big_spender', 'hello'), cb.chat('big_spender', '!menu', { recentTips: 'tons' }));
    expect(await whale).toMatchObject({ sessionId, responseText: 'Welcome back, big_spender' });
    expect(await c.status()).toMatchObject({ eventsSeen: 3, skipped: {} });

    // Polling stopped, everything settled: "hello" matched nothing, so two replies in all.
    await c.end(sessionId);
    await t.drain();
    expect(replies.map((reply) => reply.personaName)).toEqual(['Mia', 'Whale watcher']);
  });
});
