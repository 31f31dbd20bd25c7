import { definePlugin, type DomainEvent } from '@streaming-companion/sdk';
import { nextEvent, startTestKernel, type TestKernel, type TestSocket } from '@streaming-companion/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tipEvents, tipsPlugin, type TipDto } from '../src/index.ts';

const voided: DomainEvent<typeof tipEvents.domain['streaming.tip.voided']>[] = [];
const probe = definePlugin({
  id: 'probe',
  version: '0.0.0',
  engine: '*',
  deps: { tips: tipEvents },
  setup(ctx, { tips }) {
    ctx.events.on(tips.domain['streaming.tip.voided'], (event) => {
      voided.push(event);
    });
  },
});

let t: TestKernel;
beforeAll(async () => {
  t = await startTestKernel({ plugins: [tipsPlugin, probe] });
});
afterAll(() => t?.stop());

async function liveSession() {
  const { token, creator } = await t.createCreator();
  const session = await t.http.post('/api/sessions', { token, body: { platform: 'chaturbate' } });
  expect(session.status).toBe(201);
  const sessionId: string = session.body.id;
  const tip = async (amountCents: number, tipperName?: string, headers?: Record<string, string>): Promise<TipDto> => {
    const res = await t.http.post('/api/tips', { token, headers, body: { sessionId, amountCents, tipperName } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const { sessionTotals: _, ...tip } = res.body;
    return tip;
  };
  const voidTip = (id: string, reason: unknown = 'a test tip', as = token) => t.http.post(`/api/tips/${id}/void`, { token: as, body: { reason } });
  const totals = async () => {
    const { totalTipsCents, tipCount, tipperCount, biggestTipCents } = (await t.http.get(`/api/sessions/${sessionId}`, { token })).body;
    return { totalTipsCents, tipCount, tipperCount, biggestTipCents };
  };
  return { token, creatorId: creator.id, sessionId, tip, voidTip, totals };
}

async function joinedOverlay(sessionId: string): Promise<TestSocket> {
  const overlay = await t.overlaySocket();
  expect((await overlay.emitWithAck('join_overlay', { sessionId })).ok).toBe(true);
  return overlay;
}

describe('POST /api/tips/:id/void', () => {
  it('marks the tip, corrects every total from the tips that still count, and tells the session', async () => {
    const live = await liveSession();
    const kai = await live.tip(500, 'Kai');
    await live.tip(300, 'kai');
    const big = await live.tip(1_200);
    const bo = await live.tip(200, 'Bo');
    expect(await live.totals()).toEqual({ totalTipsCents: 2_200, tipCount: 4, tipperCount: 2, biggestTipCents: 1_200 });
    await t.drain();
    const overlay = await joinedOverlay(live.sessionId);
    const sessionUpdated = nextEvent(overlay, 'session_updated', { match: (u) => u.tipCount === 3 });
    const tipVoided = nextEvent(overlay, tipEvents.socket.tip_voided);
    const snapshot = nextEvent(overlay, tipEvents.socket.tips_snapshot, { match: (s) => s.recent.length === 3 });

    // The biggest tip goes: the biggest is the next one down.
    const res = await live.voidTip(big.id, '  typed 1200 for 12.00  ');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      ...big,
      voidedAt: expect.any(String),
      voidReason: 'typed 1200 for 12.00',
      sessionTotals: { totalTipsCents: 1_000, tipCount: 3, tipperCount: 2, biggestTipCents: 500 },
    });
    expect(await live.totals()).toEqual({ totalTipsCents: 1_000, tipCount: 3, tipperCount: 2, biggestTipCents: 500 });
    expect(await sessionUpdated).toMatchObject({ sessionId: live.sessionId, totalTipsCents: 1_000, tipCount: 3, biggestTipCents: 500 });
    expect(await tipVoided).toEqual({ sessionId: live.sessionId, tipId: big.id, sessionTotals: { totalTipsCents: 1_000, tipCount: 3, tipperCount: 2, biggestTipCents: 500 } });
    expect(await snapshot).toMatchObject({
      sessionId: live.sessionId,
      recent: [{ id: bo.id }, { amountCents: 300 }, { id: kai.id }],
      topTippers: [
        { tipperName: 'kai', totalCents: 800, tipCount: 2 },
        { tipperName: 'Bo', totalCents: 200, tipCount: 1 },
      ],
      biggest: { id: kai.id },
    });

    // A tipper whose only tip is voided is no longer counted.
    const voidBo = await live.voidTip(bo.id);
    expect(voidBo.body.sessionTotals).toEqual({ totalTipsCents: 800, tipCount: 2, tipperCount: 1, biggestTipCents: 500 });

    await t.drain();
    expect(voided.filter((e) => e.payload.sessionId === live.sessionId).map((e) => e.payload)).toEqual([
      { creatorId: live.creatorId, sessionId: live.sessionId, tipId: big.id, amountCents: 1_200, tipperName: null, createdAt: big.createdAt, reason: 'typed 1200 for 12.00' },
      { creatorId: live.creatorId, sessionId: live.sessionId, tipId: bo.id, amountCents: 200, tipperName: 'Bo', createdAt: bo.createdAt, reason: 'a test tip' },
    ]);
  });

  it('keeps voided tips in the history, marked', async () => {
    const live = await liveSession();
    const kept = await live.tip(100, 'Ana');
    const gone = await live.tip(900, 'Ana');
    await live.voidTip(gone.id, 'duplicate');
    const page = await t.http.get(`/api/tips?sessionId=${live.sessionId}`, { token: live.token });
    expect(page.body).toMatchObject({ total: 2 });
    expect(page.body.items).toEqual([
      { ...gone, voidedAt: expect.any(String), voidReason: 'duplicate' },
      { ...kept, voidedAt: null, voidReason: null },
    ]);
  });

  it('is idempotent: voiding a void tip answers it unchanged and announces nothing', async () => {
    const live = await liveSession();
    const tip = await live.tip(700, 'Lu');
    await live.tip(100, 'Mo');
    const first = await live.voidTip(tip.id, 'first reason');
    await t.drain();
    const overlay = await joinedOverlay(live.sessionId);
    const heard: string[] = [];
    overlay.onAny((name: string) => heard.push(name));

    const again = await live.voidTip(tip.id, 'another reason');
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const racing = await Promise.all([live.voidTip(tip.id), live.voidTip(tip.id)]);
    expect(racing.map((r) => r.body)).toEqual([first.body, first.body]);
    await t.drain();
    expect(voided.filter((e) => e.payload.tipId === tip.id)).toHaveLength(1);
    expect(await live.totals()).toEqual({ totalTipsCents: 100, tipCount: 1, tipperCount: 1, biggestTipCents: 100 });

    // Nothing was broadcast for the repeats: the next thing the overlay hears is a later change.
    const marker = nextEvent(overlay, tipEvents.socket.tip_received);
    await live.tip(50);
    await marker;
    expect(heard.filter((name) => name !== 'session_updated')).toEqual(['tip_received']);
  });

  it('voids concurrent voids of different tips of one session without losing one', async () => {
    const live = await liveSession();
    const tips = [];
    for (const amount of [100, 200, 300, 400, 500]) tips.push(await live.tip(amount, `T${amount}`));
    const answers = await Promise.all([live.voidTip(tips[0]!.id), live.voidTip(tips[2]!.id), live.voidTip(tips[4]!.id), live.tip(50, 'Late')]);
    expect(answers.slice(0, 3).map((a) => (a as { status: number }).status)).toEqual([200, 200, 200]);
    expect(await live.totals()).toEqual({ totalTipsCents: 650, tipCount: 3, tipperCount: 3, biggestTipCents: 400 });
  });

  it('voids a tip of an ended session: its totals are corrected too', async () => {
    const live = await liveSession();
    const tip = await live.tip(400, 'Zo');
    await live.tip(600, 'Ra');
    expect((await t.http.post(`/api/sessions/${live.sessionId}/end`, { token: live.token })).status).toBe(200);
    const res = await live.voidTip(tip.id, 'found after the stream');
    expect(res.status).toBe(200);
    expect(res.body.sessionTotals).toEqual({ totalTipsCents: 600, tipCount: 1, tipperCount: 1, biggestTipCents: 600 });
    expect(await live.totals()).toEqual({ totalTipsCents: 600, tipCount: 1, tipperCount: 1, biggestTipCents: 600 });
    const session = (await t.http.get(`/api/sessions/${live.sessionId}`, { token: live.token })).body;
    expect(session.status).toBe('ended');
  });

  it("answers a retry of a voided tip's request with the voided tip, recording nothing new", async () => {
    const live = await liveSession();
    const headers = { 'idempotency-key': 'voided-then-retried' };
    const tip = await live.tip(800, 'Ivy', headers);
    await live.voidTip(tip.id, 'mistyped');
    const retry = await t.http.post('/api/tips', { token: live.token, headers, body: { sessionId: live.sessionId, amountCents: 800, tipperName: 'Ivy' } });
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ id: tip.id, voidReason: 'mistyped', voidedAt: expect.any(String), sessionTotals: { totalTipsCents: 0, tipCount: 0 } });
    expect(await live.totals()).toEqual({ totalTipsCents: 0, tipCount: 0, tipperCount: 0, biggestTipCents: 0 });

    // The same tipper tipping again is a tipper of the session again.
    await live.tip(100, 'ivy');
    expect(await live.totals()).toEqual({ totalTipsCents: 100, tipCount: 1, tipperCount: 1, biggestTipCents: 100 });
  });

  it("refuses another creator's tip and an unknown one with a 404, changing nothing", async () => {
    const mine = await liveSession();
    const theirs = await liveSession();
    const tip = await mine.tip(300, 'Kai');
    const foreign = await mine.voidTip(tip.id, 'not yours', theirs.token);
    expect(foreign.status).toBe(404);
    expect(foreign.headers.get('content-type')).toContain('application/problem+json');
    expect((await mine.voidTip(crypto.randomUUID())).status).toBe(404);
    expect(await mine.totals()).toMatchObject({ totalTipsCents: 300, tipCount: 1 });
    const listed = await t.http.get(`/api/tips?sessionId=${mine.sessionId}`, { token: mine.token });
    expect(listed.body.items[0]).toMatchObject({ voidedAt: null });
    expect((await t.http.post(`/api/tips/${tip.id}/void`, { body: { reason: 'anonymous' } })).status).toBe(401);
  });

  it.each([
    [{}, 'body.reason'],
    [{ reason: '' }, 'body.reason'],
    [{ reason: '   ' }, 'body.reason'],
    [{ reason: 'x'.repeat(201) }, 'body.reason'],
    [{ reason: 42 }, 'body.reason'],
    [{ reason: 'bad\u0000reason' }, 'body.reason'],
  ])('refuses %j with a 400 naming %s, changing nothing', async (body, field) => {
    const live = await liveSession();
    const tip = await live.tip(300);
    const res = await t.http.post(`/api/tips/${tip.id}/void`, { token: live.token, body });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await live.totals()).toMatchObject({ totalTipsCents: 300, tipCount: 1 });
  });

  it('refuses an id that is not a uuid, naming it', async () => {
    const live = await liveSession();
    const res = await live.voidTip('not-a-tip');
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('params.id');
  });
});

describe('tips_snapshot on overlay join', () => {
  it('sends a joining overlay the recent tips (newest first, void ones left out), the top named tippers and the biggest tip', async () => {
    const live = await liveSession();
    const amounts: Array<[number, string | undefined]> = [
      [100, 'Ana'],
      [2_000, undefined],
      [300, 'Bo'],
      [400, 'ana'],
      [5_000, 'Cy'],
    ];
    const tips = [];
    for (const [amount, name] of amounts) tips.push(await live.tip(amount, name));
    const fans = [];
    for (let i = 0; i < 22; i++) fans.push(await live.tip(10, `Fan${i}`));
    await live.voidTip(tips[4]!.id, 'test');
    await t.drain();

    const overlay = await t.overlaySocket();
    const snapshot = nextEvent(overlay, tipEvents.socket.tips_snapshot);
    expect((await overlay.emitWithAck('join_overlay', { sessionId: live.sessionId })).ok).toBe(true);
    const got = await snapshot;
    expect(got.recent).toHaveLength(20);
    // Each tip as the POST answered it, field for field.
    expect(got.recent.slice(0, 2)).toEqual([fans[21], fans[20]]);
    expect(got.recent.some((tip) => tip.voidedAt)).toBe(false);
    expect(got.biggest).toEqual(tips[1]);
    expect(got.biggest).toMatchObject({ amountCents: 2_000, isAnonymous: true });
    expect(got.topTippers).toHaveLength(10);
    expect(got.topTippers.slice(0, 3)).toEqual([
      { tipperName: 'ana', totalCents: 500, tipCount: 2 },
      { tipperName: 'Bo', totalCents: 300, tipCount: 1 },
      { tipperName: 'Fan0', totalCents: 10, tipCount: 1 },
    ]);

    // A session with no tips yet: an empty snapshot, so a reloaded widget knows there is nothing.
    const quiet = await liveSession();
    const empty = await t.overlaySocket();
    const none = nextEvent(empty, tipEvents.socket.tips_snapshot);
    await empty.emitWithAck('join_overlay', { sessionId: quiet.sessionId });
    expect(await none).toEqual({ sessionId: quiet.sessionId, recent: [], topTippers: [], biggest: null });
  });
});
