import { tipsServiceRef } from '@streaming-companion/plugin-tips/contract';
import { coreServices, defineEvents, definePlugin, ViewerStanding } from '@streaming-companion/sdk';
import { nextEvent, type TestKernel, type TestResponse, type TestSocket } from '@streaming-companion/testing';
import { expect } from 'vitest';
import { z } from 'zod';
import { chatbotEvents, type ChatbotResponse, type PersonaDto, type TemplateDto, type TryResult } from '../../src/index.ts';

/** A marker sent to a session's sockets the way replies are, to tell when every earlier reply has arrived. */
const barrierEvents = defineEvents('chat-source', { socket: { test_barrier: z.object({ mark: z.string() }) } });

/**
 * Stands where a platform connector does: it reports chat through the kernel (as
 * `streaming.chat.message`) and records tips with the tipper's standing, as Chaturbate's does.
 */
export const chatSource = definePlugin({
  id: 'chat-source',
  version: '0.0.0',
  engine: '*',
  deps: { sessions: coreServices.sessions, tips: tipsServiceRef },
  events: barrierEvents,
  setup(ctx, { sessions, tips }) {
    ctx.http.post('/test/barrier', { auth: 'creator', body: z.object({ sessionId: z.uuid(), mark: z.string() }) }, (req) => {
      ctx.realtime.toSession(req.body.sessionId).emit(barrierEvents.socket.test_barrier, { mark: req.body.mark });
      return { ok: true };
    });
    ctx.http.post(
      '/test/chat',
      { auth: 'creator', body: z.object({ sessionId: z.uuid(), senderName: z.string(), message: z.string(), standing: ViewerStanding.default({}) }) },
      async (req) => {
        const { sessionId, ...message } = req.body;
        await req.em.transactional((tx) => sessions.chatMessage(tx, req.creator.id, sessionId, message));
        return { ok: true };
      },
    );
    ctx.http.post(
      '/test/tip',
      {
        auth: 'creator',
        body: z.object({ sessionId: z.uuid(), amountCents: z.int(), tokens: z.int().optional(), tipperName: z.string().optional(), tipperStanding: ViewerStanding.optional() }),
      },
      async (req) => (await tips.record(req.em, req.creator.id, { ...req.body, centsPerToken: req.body.tokens && req.body.amountCents / req.body.tokens, source: 'manual' })).tip,
    );
  },
});

export function expectProblem(res: TestResponse, status: number, field?: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  if (field) expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
}

/** A creator, with helpers for their personas and templates. */
export async function chatbotCreator(t: TestKernel) {
  const { token, creator } = await t.createCreator();
  const persona = async (body: object): Promise<PersonaDto> => {
    const res = await t.http.post('/api/chatbot/personas', { token, body: { cooldowns: { personaSeconds: 0, triggerSeconds: 0, senderSeconds: 0 }, ...body } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const template = async (personaId: string, body: object): Promise<TemplateDto> => {
    const res = await t.http.post(`/api/chatbot/personas/${personaId}/templates`, { token, body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  /** A persona with one template, answering what its triggers match. */
  const bot = async (body: object, text: string) => {
    const created = await persona(body);
    await template(created.id, { text });
    return created;
  };
  const tryChat = async (body: object) => {
    const res = await t.http.post('/api/chatbot/try', { token, body });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as TryResult;
  };
  return { token, creatorId: creator.id, persona, template, bot, tryChat };
}

/** A creator live, with a dashboard socket in the session collecting every chatbot reply. */
export async function liveCreator(t: TestKernel) {
  const c = await chatbotCreator(t);
  const started = await t.http.post('/api/sessions', { token: c.token, body: { platform: 'chaturbate' } });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  const sessionId: string = started.body.id;
  const socket: TestSocket = await t.socket(c.token);
  expect(await socket.emitWithAck('join_session', { sessionId })).toMatchObject({ ok: true });
  const replies: ChatbotResponse[] = [];
  socket.on(chatbotEvents.socket.chatbot_response.name, (reply: ChatbotResponse) => replies.push(reply));

  /** Through the socket command: acked with the reply sent, or null. */
  const say = async (message: string, senderName = 'fan', standing?: object): Promise<ChatbotResponse | null> => {
    const ack = await socket.emitWithAck('chatbot_message', { sessionId, senderName, message, ...(standing ? { standing } : {}) });
    expect(ack.ok, JSON.stringify(ack)).toBe(true);
    return ack.data;
  };
  /** Through a connector: `streaming.chat.message`, answered by the plugin's subscriber. */
  const chat = async (message: string, senderName = 'fan', standing: object = {}) => {
    const res = await t.http.post('/test/chat', { token: c.token, body: { sessionId, senderName, message, standing } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };
  const tip = async (body: object) => {
    const res = await t.http.post('/test/tip', { token: c.token, body: { sessionId, ...body } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as { id: string };
  };
  /** The next reply matching, from the moment of the call. */
  const nextReply = (match: (reply: ChatbotResponse) => boolean = () => true) => nextEvent(socket, chatbotEvents.socket.chatbot_response, { match });
  /**
   * The replies sent for everything so far: jobs settle, then a marker is sent to the session's
   * sockets the way replies are; socket.io keeps order on one connection, so every reply sent
   * before it has arrived once it does.
   */
  const settledReplies = async () => {
    await t.drain();
    const mark = crypto.randomUUID();
    const marked = nextEvent(socket, barrierEvents.socket.test_barrier, { match: (barrier) => barrier.mark === mark });
    expect((await t.http.post('/test/barrier', { token: c.token, body: { sessionId, mark } })).status).toBe(200);
    await marked;
    return [...replies];
  };
  return { ...c, sessionId, socket, replies, say, chat, tip, nextReply, settledReplies };
}
