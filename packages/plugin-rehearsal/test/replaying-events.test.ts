import { randomUUID } from 'node:crypto';
import { chatbotEvents, chatbotPlugin, type ChatbotResponse } from '@streaming-companion/plugin-chatbot';
import { goalsPlugin, type TipGoal } from '@streaming-companion/plugin-goals';
import { tipEvents, tipsPlugin } from '@streaming-companion/plugin-tips';
import { kernelEvents, type PayloadOf, type StreamSessionDto, type StreamSessionUpdate } from '@streaming-companion/sdk';
import { createManualClock, startTestKernel, type TestKernel } from '@streaming-companion/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Stands where a platform connector does: reports a viewer's chat line through the kernel (`streaming.chat.message`).
import { chatSource } from '../../plugin-chatbot/test/support/chatbot-harness.ts';
import { RECORDED_MESSAGE_MAX, rehearsalPlugin, type RehearsalDto } from '../src/index.ts';

// Events are stamped by this clock; job delays are real time, so the source's events are seconds apart on it.
const clock = createManualClock('2026-05-01T20:00:00Z');
let t: TestKernel;
beforeAll(async () => {
  t = await startTestKernel({ plugins: [tipsPlugin, goalsPlugin, chatbotPlugin, rehearsalPlugin, chatSource], pluginConfig: { rehearsal: { lingerSeconds: 0 } }, clock });
});
afterAll(() => t?.stop());

type Row = Record<string, unknown>;
const query = (sql: string, params: unknown[]) => t.kernel.forkEm().execute<Row[]>(sql, params);

async function creator() {
  const { token, creator } = await t.createCreator();
  const get = (path: string) => t.http.get(path, { token });
  const post = async (path: string, body?: unknown) => {
    const res = await t.http.post(path, { token, body });
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    return res.body;
  };
  return { token, creatorId: creator.id, get, post };
}

/** The subscriber job's name for a plugin's subscription: how the kernel delivers an event to it. */
const deliver = (subscription: string, event: { id: string; name: string; payload: unknown; occurredAt: string }) =>
  t.kernel.jobs.enqueue(`events.rehearsal.${subscription}`, event, { jobId: `again-${randomUUID()}` });

describe('recording a live session', () => {
  it('keeps its chat lines and viewer counts once each, however often an event is delivered, and never a rehearsal’s', async () => {
    const c = await creator();
    const sessionId: string = (await c.post('/api/sessions', { platform: 'chaturbate' })).id;
    const socket = await t.socket(c.token);
    clock.advance(30_000);
    expect((await socket.emitWithAck('update_viewers', { sessionId, viewerCount: 12 })).ok).toBe(true);
    clock.advance(1_000);
    await c.post('/test/chat', { sessionId, senderName: 'Kai', message: `hey ${'x'.repeat(RECORDED_MESSAGE_MAX)}`, standing: { inFanClub: true } });
    await t.drain();

    // Each event delivered again, as at-least-once delivery may.
    const events = await query(`select id, name, payload, created_at from core_outbox_events where payload->>'sessionId' = ? and name in ('streaming.chat.message', 'streaming.session.viewers')`, [sessionId]);
    expect(events).toHaveLength(2);
    for (const event of events) {
      const redelivered = { id: String(event.id), name: String(event.name), payload: event.payload, occurredAt: new Date(event.created_at as string).toISOString() };
      await deliver(event.name === 'streaming.chat.message' ? 'record-chat' : 'record-viewers', redelivered);
    }
    await t.drain();

    const recorded = await query(`select kind, offset_ms, sender_name, message, standing, viewer_count from rehearsal_recorded_events where session_id = ? order by offset_ms`, [sessionId]);
    expect(recorded).toEqual([
      { kind: 'viewers', offset_ms: 30_000, sender_name: null, message: null, standing: null, viewer_count: 12 },
      { kind: 'chat', offset_ms: 31_000, sender_name: 'Kai', message: `hey ${'x'.repeat(RECORDED_MESSAGE_MAX - 4)}`, standing: { inFanClub: true }, viewer_count: null },
    ]);
    await c.post(`/api/sessions/${sessionId}/end`);

    // A rehearsal's session, replaying that one, is played, not recorded.
    const rehearsal: RehearsalDto = await c.post('/api/rehearsals', { fromSessionId: sessionId, speed: 5 });
    expect(rehearsal).toMatchObject({ tipCount: 0, chatCount: 1, viewerReportCount: 1 });
    await t.drain();
    expect(await c.get(`/api/rehearsals/${rehearsal.id}`)).toMatchObject({ body: { status: 'finished', played: 0 } });
    expect(await query(`select count(*)::int as n from core_outbox_events where payload->>'sessionId' = ? and name = 'streaming.chat.message'`, [rehearsal.sessionId])).toEqual([{ n: 1 }]);
    expect(await query(`select count(*)::int as n from rehearsal_recorded_events where session_id = ?`, [rehearsal.sessionId])).toEqual([{ n: 0 }]);
  });
});

describe('replaying a recorded session', () => {
  it('plays tips, chat and viewer counts in order and spacing; the chatbot answers in the rehearsal, its copied goals fill; the source stays as it was', async () => {
    const c = await creator();
    await c.post('/api/chatbot/personas', {
      name: 'Greeter',
      triggers: [{ type: 'keyword', keywords: ['hi', 'hello'] }],
      cooldowns: { personaSeconds: 0, triggerSeconds: 0, senderSeconds: 0 },
    }).then((persona: { id: string }) => c.post(`/api/chatbot/personas/${persona.id}/templates`, { text: 'welcome {senderName}' }));

    // The live session: two goals, then tips, chat and viewer counts two seconds apart.
    const source: string = (await c.post('/api/sessions', { platform: 'chaturbate', title: 'Saturday' })).id;
    await c.post('/api/goals', { sessionId: source, title: 'Warm up', targetCents: 300 });
    await c.post('/api/goals', { sessionId: source, title: 'Dance', targetCents: 1_000, description: 'the long one' });
    const socket = await t.socket(c.token);
    clock.advance(60_000);
    const firstAt = clock.now().getTime();
    expect((await socket.emitWithAck('update_viewers', { sessionId: source, viewerCount: 10 })).ok).toBe(true);
    const at = (seconds: number) => clock.set(new Date(firstAt + seconds * 1_000));
    at(2);
    await c.post('/api/tips', { sessionId: source, amountCents: 200, tipperName: 'Kai' });
    at(4);
    await c.post('/test/chat', { sessionId: source, senderName: 'Ro', message: 'hi there' });
    // The kernel samples viewer reports once a minute by the database's clock: these stand for later minutes' samples.
    const sample = (seconds: number, viewerCount: number) => {
      at(seconds);
      const payload = { creatorId: c.creatorId, sessionId: source, viewerCount, sampledAt: clock.now().toISOString() };
      return deliver('record-viewers', { id: randomUUID(), name: 'streaming.session.viewers', payload, occurredAt: payload.sampledAt });
    };
    await sample(6, 25);
    at(8);
    await c.post('/api/tips', { sessionId: source, amountCents: 300, tipperName: 'Mo' });
    at(10);
    await c.post('/test/chat', { sessionId: source, senderName: 'Mo', message: 'hello again' });
    await sample(12, 40);
    at(20);
    await c.post(`/api/sessions/${source}/end`);
    await t.drain();
    clock.advance(60_000);
    const sourceBefore: StreamSessionDto = (await c.get(`/api/sessions/${source}`)).body;
    const sourceGoals: TipGoal[] = (await c.get(`/api/goals?sessionId=${source}`)).body.items;
    expect(sourceGoals.map((g) => [g.title, g.currentCents, g.status])).toEqual([
      ['Warm up', 300, 'completed'],
      ['Dance', 200, 'active'],
    ]);

    // An overlay following the creator's active session, noting what it is shown, in order.
    const { overlayKey } = (await c.get('/api/overlay-key')).body;
    const overlay = await t.overlaySocket();
    expect((await overlay.emitWithAck('join_overlay', { overlayKey })).ok).toBe(true);
    const shown: Array<{ at: number; what: string; sessionId: string }> = [];
    const note = (what: string, sessionId: string) => shown.push({ at: Date.now(), what, sessionId });
    let viewers = 0;
    overlay.on(tipEvents.socket.tip_received.name, (p: PayloadOf<typeof tipEvents.socket.tip_received>) => note(`tip ${p.tip.tipperName}`, p.sessionId));
    overlay.on(chatbotEvents.socket.chatbot_response.name, (p: ChatbotResponse) => note(`reply ${p.responseText}`, p.sessionId));
    overlay.on(kernelEvents.socket.session_updated.name, (p: StreamSessionUpdate) => {
      if (p.status === 'active' && p.viewerCount !== viewers) note(`viewers ${p.viewerCount}`, p.sessionId);
      viewers = p.viewerCount;
    });
    const ended = new Promise<void>((resolve) => overlay.on(kernelEvents.socket.session_updated.name, (p: StreamSessionUpdate) => p.status === 'ended' && resolve()));

    const sentAt = Date.now();
    const r: RehearsalDto = await c.post('/api/rehearsals', { fromSessionId: source, speed: 5 });
    expect(r).toMatchObject({ sourceSessionId: source, tipCount: 2, chatCount: 2, viewerReportCount: 3, played: 0, status: 'playing' });
    // The last event came 12 s after the first: 2.4 s at 5×.
    expect(Date.parse(r.endsAt) - Date.parse(r.startedAt)).toBe(2_400);
    await ended;

    expect(shown.map(({ what, sessionId }) => [what, sessionId === r.sessionId])).toEqual([
      ['viewers 10', true],
      ['tip Kai', true],
      ['reply welcome Ro', true],
      ['viewers 25', true],
      ['tip Mo', true],
      ['reply welcome Mo', true],
      ['viewers 40', true],
    ]);
    // Each no sooner than its time at 5× (every 0.4 s), and the whole well within the 12 s it took live.
    shown.forEach(({ at }, i) => expect(at - sentAt).toBeGreaterThanOrEqual(i * 400 - 50));
    expect(shown.at(-1)!.at - sentAt).toBeLessThan(12_000);
    expect((await c.get(`/api/rehearsals/${r.id}`)).body).toMatchObject({ played: 2, status: 'finished' });

    // The goals were copied empty, and filled as they did live.
    const goals: TipGoal[] = (await c.get(`/api/goals?sessionId=${r.sessionId}`)).body.items;
    expect(goals.map((g) => [g.title, g.description, g.targetCents, g.order, g.currentCents, g.status])).toEqual(
      sourceGoals.map((g) => [g.title, g.description, g.targetCents, g.order, g.currentCents, g.status]),
    );
    expect(goals.every((g) => !sourceGoals.some((s) => s.id === g.id))).toBe(true);
    expect((await c.get(`/api/sessions/${r.sessionId}`)).body).toMatchObject({ rehearsal: true, status: 'ended', totalTipsCents: 500, tipCount: 2, peakViewers: 40 });

    // The source session, its goals and its recording are as they were.
    await t.drain();
    expect((await c.get(`/api/sessions/${source}`)).body).toEqual(sourceBefore);
    expect((await c.get(`/api/goals?sessionId=${source}`)).body.items).toEqual(sourceGoals);
    expect(await query(`select count(*)::int as n from rehearsal_recorded_events where session_id = ?`, [source])).toEqual([{ n: 5 }]);
  });
});
