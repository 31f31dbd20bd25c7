import { tipsPlugin } from '@streaming-companion/plugin-tips';
import { createManualClock, startTestKernel, type TestKernel } from '@streaming-companion/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatbotPlugin, type ChatbotResponse } from '../src/index.ts';
import { chatSource, liveCreator } from './support/chatbot-harness.ts';

/** Two servers on one database and one Redis: a cooldown or a timer lets exactly one of them answer. */
describe.skipIf(!process.env.REDIS_URL || !process.env.DATABASE_URL)('two instances', () => {
  const clock = createManualClock('2026-12-01T20:00:00Z');
  let a: TestKernel;
  let b: TestKernel;

  beforeAll(async () => {
    const options = { plugins: [tipsPlugin, chatbotPlugin, chatSource], clock, pluginConfig: { chatbot: { timerCheckEveryMs: 600_000 } } };
    a = await startTestKernel(options);
    b = await startTestKernel({ ...options, shareWith: a });
  });
  afterAll(async () => {
    // B first: A owns the database and drops it.
    await b?.stop();
    await a?.stop();
  });

  it('answer a burst of chat sent to both once while the cooldown holds', async () => {
    const l = await liveCreator(a);
    await l.bot({ name: 'Once', triggers: [{ type: 'command', command: '!hi' }], cooldowns: { personaSeconds: 60, triggerSeconds: 0, senderSeconds: 0 } }, 'hi!');
    const onB = await b.socket(l.token);
    expect(await onB.emitWithAck('join_session', { sessionId: l.sessionId })).toMatchObject({ ok: true });
    const acks = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? onB : l.socket).emitWithAck('chatbot_message', { sessionId: l.sessionId, senderName: `fan${i}`, message: '!hi' })),
    );
    expect(acks.every((ack) => ack.ok)).toBe(true);
    expect(acks.filter((ack) => ack.data !== null)).toHaveLength(1);
  });

  it('send a due timer message once when both run their timers at the same moment', async () => {
    const l = await liveCreator(a);
    const persona = await l.persona({ name: 'Chime', timer: { everyMinutes: 5, onlyWhenChatActive: false } });
    await l.template(persona.id, { text: 'chime' });
    clock.advance(5 * 60_000);
    await Promise.all(
      [a, b].flatMap((kernel, k) => [1, 2, 3].map((n) => kernel.kernel.jobs.enqueue('chatbot.send-due-timers', {}, { jobId: `chime-${l.sessionId}-${k}-${n}` }))),
    );
    await Promise.all([a.drain(), b.drain()]);
    const replies: ChatbotResponse[] = await l.settledReplies();
    expect(replies.map((reply) => reply.responseText)).toEqual(['chime']);
  });
});
