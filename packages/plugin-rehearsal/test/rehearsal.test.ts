import { randomUUID } from 'node:crypto';
import { tipEvents, tipsPlugin, type TipDto } from '@streaming-companion/plugin-tips';
import type { PayloadOf, StreamSessionDto } from '@streaming-companion/sdk';
import { createManualClock, startTestKernel, type TestKernel, type TestResponse } from '@streaming-companion/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rehearsalPlugin, simulateTips, type RehearsalDto } from '../src/index.ts';

type TipReceived = PayloadOf<typeof tipEvents.socket.tip_received>;

// Tips and sessions are stamped by this clock; job delays are real time, so sources keep their tips seconds apart.
const clock = createManualClock('2026-04-03T18:00:00Z');
let t: TestKernel;
beforeAll(async () => {
  t = await startTestKernel({ plugins: [tipsPlugin, rehearsalPlugin], pluginConfig: { rehearsal: { lingerSeconds: 0 } }, clock });
});
afterAll(() => t?.stop());

function expectProblem(res: TestResponse, status: number, field?: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  if (field) expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
}

interface PastTip {
  /** Milliseconds after the session's first tip. */
  atMs: number;
  body: Record<string, unknown>;
}

async function creator() {
  const { token, creator } = await t.createCreator();
  const get = (path: string) => t.http.get(path, { token });
  const post = (path: string, body?: unknown) => t.http.post(path, { token, body });

  /** A session that happened: started a minute before its first tip, its tips `atMs` apart on the clock, then ended. */
  const pastSession = async (tips: PastTip[]): Promise<StreamSessionDto> => {
    clock.advance(3_600_000);
    const id: string = (await post('/api/sessions', { platform: 'chaturbate', title: 'Friday show' })).body.id;
    clock.advance(60_000);
    const first = clock.now().getTime();
    for (const tip of tips) {
      clock.set(new Date(first + tip.atMs));
      const res = await post('/api/tips', { sessionId: id, ...tip.body });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    clock.advance(60_000);
    expect((await post(`/api/sessions/${id}/end`)).status).toBe(200);
    await t.drain();
    clock.advance(60_000);
    return (await get(`/api/sessions/${id}`)).body;
  };

  /** An overlay joined by the creator's key, as OBS pages are: it follows whichever session is active. */
  const overlay = async () => {
    const { overlayKey } = (await get('/api/overlay-key')).body;
    const socket = await t.overlaySocket();
    expect((await socket.emitWithAck('join_overlay', { overlayKey })).ok).toBe(true);
    const tips: Array<{ at: number; payload: TipReceived }> = [];
    socket.on('tip_received', (payload: TipReceived) => tips.push({ at: Date.now(), payload }));
    return { socket, tips };
  };

  const rehearse = async (body: object): Promise<RehearsalDto> => {
    const res = await post('/api/rehearsals', body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const rehearsal = async (id: string): Promise<RehearsalDto> => (await get(`/api/rehearsals/${id}`)).body;
  /** The session's tips, oldest first. */
  const sessionTips = async (sessionId: string): Promise<TipDto[]> => (await get(`/api/tips?sessionId=${sessionId}&pageSize=200`)).body.items.reverse();
  return { token, creatorId: creator.id, get, post, pastSession, overlay, rehearse, rehearsal, sessionTips };
}

/** Three tips 10 s and 2 s apart: at 5×, 2 s of quiet after the first. */
const SLOW_TIPS: PastTip[] = [
  { atMs: 0, body: { amountCents: 100, tipperName: 'Una' } },
  { atMs: 10_000, body: { amountCents: 200, tipperName: 'Dos' } },
  { atMs: 12_000, body: { amountCents: 300, tipperName: 'Tres' } },
];

describe('replaying a past session', () => {
  it('plays its tips at 5× with their spacing into the overlay following the creator, ends by itself, and leaves the real session as it was', async () => {
    const c = await creator();
    const source = await c.pastSession([
      { atMs: 0, body: { amountCents: 500, tipperName: 'Kai', message: 'hi!' } },
      { atMs: 2_000, body: { tokens: 20, centsPerToken: 5, tipperName: '<b>Ro</b>' } },
      { atMs: 5_000, body: { amountCents: 300, isAnonymous: true } },
    ]);
    const overlay = await c.overlay();
    const ended = new Promise<number>((resolve) =>
      overlay.socket.on('session_updated', (update: { sessionId: string; status: string }) => update.status === 'ended' && update.sessionId !== source.id && resolve(Date.now())),
    );

    const sentAt = Date.now();
    const started = await c.rehearse({ fromSessionId: source.id, speed: 5 });
    expect(started).toEqual({
      id: expect.any(String),
      sessionId: expect.any(String),
      sourceSessionId: source.id,
      speed: 5,
      tipCount: 3,
      chatCount: 0,
      viewerReportCount: 0,
      played: 0,
      status: 'playing',
      startedAt: clock.now().toISOString(),
      endsAt: new Date(clock.now().getTime() + 1_000).toISOString(),
    });
    const session: StreamSessionDto = (await c.get(`/api/sessions/${started.sessionId}`)).body;
    expect(session).toMatchObject({ status: 'active', rehearsal: true, platform: 'chaturbate', title: 'Rehearsal: Friday show' });

    const endedAt = await ended;
    await expect.poll(() => overlay.tips.length).toBe(3);
    expect(overlay.tips.map(({ payload }) => [payload.sessionId, payload.tip.tipperName, payload.tip.amountCents, payload.tip.tokens, payload.tip.message, payload.tip.source])).toEqual([
      [started.sessionId, 'Kai', 500, null, 'hi!', 'manual'],
      [started.sessionId, '<b>Ro</b>', 100, 20, null, 'manual'],
      [started.sessionId, null, 300, null, null, 'manual'],
    ]);
    // Each tip comes no sooner than its time at 5× (0, 0.4 and 1 s), and the whole well within the 5 s it took live.
    overlay.tips.forEach(({ at }, i) => expect(at - sentAt).toBeGreaterThanOrEqual([0, 400, 1_000][i]!));
    expect(endedAt - sentAt).toBeLessThan(5_000);

    expect(await c.rehearsal(started.id)).toEqual({ ...started, played: 3, status: 'finished' });
    const played: StreamSessionDto = (await c.get(`/api/sessions/${started.sessionId}`)).body;
    expect(played).toMatchObject({ status: 'ended', rehearsal: true, totalTipsCents: 900, tipCount: 3, tipperCount: 2, biggestTipCents: 500 });
    // The real session is untouched, and the history lists both, the rehearsal flagged.
    expect((await c.get(`/api/sessions/${source.id}`)).body).toEqual(source);
    const history = (await c.get('/api/sessions')).body.items as StreamSessionDto[];
    expect(history.map((s) => [s.id, s.rehearsal])).toEqual([
      [started.sessionId, true],
      [source.id, false],
    ]);
    // Over, it keeps nobody off air.
    expect((await c.post('/api/sessions', { platform: 'chaturbate' })).status).toBe(201);
  });

  it('plays each tip once, even when its job is enqueued again, early, or by the resume sweep', async () => {
    const c = await creator();
    const source = await c.pastSession(SLOW_TIPS);
    const overlay = await c.overlay();
    const r = await c.rehearse({ fromSessionId: source.id, speed: 5 });
    await expect.poll(() => overlay.tips.length).toBe(1);

    const jobs = t.kernel.jobs;
    // The same job id: the runner keeps it once. Another id: the job runs, and finds its tip played.
    await jobs.enqueue('rehearsal.play-cue', { rehearsalId: r.id, index: 0 }, { jobId: `${r.id}:0` });
    await jobs.enqueue('rehearsal.play-cue', { rehearsalId: r.id, index: 0 }, { jobId: `again-${r.id}` });
    // Played early by another job, a tip is not played again at its time.
    await jobs.enqueue('rehearsal.play-cue', { rehearsalId: r.id, index: 1 }, { jobId: `early-${r.id}` });
    await jobs.enqueue('rehearsal.resume', {}, { jobId: `resume-${r.id}` });
    await t.drain();

    const tips = await c.sessionTips(r.sessionId);
    expect(tips.map((tip) => [tip.tipperName, tip.amountCents]).sort((a, b) => Number(a[1]) - Number(b[1]))).toEqual([
      ['Una', 100],
      ['Dos', 200],
      ['Tres', 300],
    ]);
    expect(await c.rehearsal(r.id)).toMatchObject({ played: 3, status: 'finished' });
    await jobs.enqueue('rehearsal.play-cue', { rehearsalId: r.id, index: 2 }, { jobId: `after-${r.id}` });
    await jobs.enqueue('rehearsal.finish', { rehearsalId: r.id }, { jobId: `finish-again-${r.id}` });
    await t.drain();
    expect(await c.sessionTips(r.sessionId)).toHaveLength(3);
    expect((await c.get(`/api/sessions/${r.sessionId}`)).body).toMatchObject({ tipCount: 3, totalTipsCents: 600, status: 'ended' });
  });

  it('is refused for a session with nothing to replay, another creator’s session or one that does not exist', async () => {
    const c = await creator();
    const empty = await c.pastSession([]);
    expectProblem(await c.post('/api/rehearsals', { fromSessionId: empty.id }), 422, 'fromSessionId');
    expectProblem(await c.post('/api/rehearsals', { fromSessionId: randomUUID() }), 404, 'fromSessionId');
    const other = await creator();
    const theirs = await other.pastSession(SLOW_TIPS.slice(0, 1));
    const refused = await c.post('/api/rehearsals', { fromSessionId: theirs.id });
    expectProblem(refused, 404, 'fromSessionId');
    expect(refused.body.code).toBe('session_not_found');
    expect((await c.get('/api/rehearsals')).body.items).toEqual([]);
    expect((await c.get('/api/sessions/active')).status).toBe(404);
  });
});

describe('simulating tips', () => {
  it('plays plausible tips on an account with no sessions, the same ones for the same seed', async () => {
    const c = await creator();
    const overlay = await c.overlay();
    const simulate = { tipCount: 8, durationSeconds: 5, seed: 7 };
    const r = await c.rehearse({ simulate, speed: 5 });
    expect(r).toMatchObject({ sourceSessionId: null, speed: 5, tipCount: 8, status: 'playing' });
    expect((await c.get(`/api/sessions/${r.sessionId}`)).body).toMatchObject({ platform: 'other', rehearsal: true, title: 'Rehearsal: simulated tips' });
    await t.drain();

    const expected = simulateTips({ ...simulate, minTokens: 1, maxTokens: 500, centsPerToken: 5 });
    const tips = await c.sessionTips(r.sessionId);
    const shape = (tip: { tipperName: string | null; tokens: number | null; amountCents: number; message: string | null }) =>
      JSON.stringify([tip.tipperName, tip.tokens, tip.amountCents, tip.message]);
    // Stamped by a clock that stands still, the tips' order is not theirs to show; what they are is.
    expect(tips.map(shape).sort()).toEqual(expected.map(shape).sort());
    expect(tips.every((tip) => tip.source === 'manual' && tip.centsPerToken === 5 && tip.tokens! >= 1 && tip.tokens! <= 500)).toBe(true);
    expect(overlay.tips).toHaveLength(8);
    expect(await c.rehearsal(r.id)).toMatchObject({ played: 8, status: 'finished' });
    expect((await c.get(`/api/sessions/${r.sessionId}`)).body).toMatchObject({ status: 'ended', tipCount: 8 });
  });

  it('refuses bad input with a problem naming the field, and starts nothing', async () => {
    const c = await creator();
    const simulate = { tipCount: 5, durationSeconds: 60 };
    const cases: Array<[object, string]> = [
      [{}, 'body.fromSessionId'],
      [{ fromSessionId: randomUUID(), simulate }, 'body.fromSessionId'],
      [{ fromSessionId: 'not-a-uuid' }, 'body.fromSessionId'],
      [{ simulate, speed: 2 }, 'body.speed'],
      [{ simulate: { ...simulate, tipCount: 0 } }, 'body.simulate.tipCount'],
      [{ simulate: { ...simulate, tipCount: 501 } }, 'body.simulate.tipCount'],
      [{ simulate: { ...simulate, durationSeconds: 4 } }, 'body.simulate.durationSeconds'],
      [{ simulate: { ...simulate, durationSeconds: 3_601 } }, 'body.simulate.durationSeconds'],
      [{ simulate: { ...simulate, minTokens: 50, maxTokens: 10 } }, 'body.simulate.maxTokens'],
      [{ simulate: { ...simulate, centsPerToken: 0 } }, 'body.simulate.centsPerToken'],
      [{ simulate: { ...simulate, extra: true } }, 'body.simulate'],
    ];
    for (const [body, field] of cases) expectProblem(await c.post('/api/rehearsals', body), 400, field);
    expectProblem(await c.get('/api/rehearsals/not-a-uuid'), 400, 'params.id');
    expectProblem(await c.get('/api/rehearsals?limit=0'), 400, 'query.limit');
    expect((await t.http.post('/api/rehearsals', { body: { simulate } })).status).toBe(401);
    expect((await c.get('/api/rehearsals')).body.items).toEqual([]);
    expect((await c.get('/api/sessions')).body.items).toEqual([]);
  });
});

describe('one rehearsal at a time, never while live', () => {
  it('is a 409 while a real session is live, and while another rehearsal plays', async () => {
    const c = await creator();
    const live: string = (await c.post('/api/sessions', { platform: 'stripchat' })).body.id;
    const refused = await c.post('/api/rehearsals', { simulate: { tipCount: 3, durationSeconds: 5 } });
    expectProblem(refused, 409);
    expect(refused.body).toMatchObject({ code: 'session_already_active', activeSessionId: live });
    expect((await c.get('/api/rehearsals')).body.items).toEqual([]);
    expect((await c.get(`/api/sessions/${live}`)).body).toMatchObject({ status: 'active', tipCount: 0, rehearsal: false });
    await c.post(`/api/sessions/${live}/end`);

    // Seed 3 puts the second tip 3.6 s in, so it is still playing for the next request (a random seed could end it at once).
    const playing = await c.rehearse({ simulate: { tipCount: 2, durationSeconds: 5, seed: 3 }, speed: 1 });
    const again = await c.post('/api/rehearsals', { simulate: { tipCount: 2, durationSeconds: 5 } });
    expectProblem(again, 409);
    expect(again.body).toMatchObject({ code: 'session_already_active', activeSessionId: playing.sessionId });
    await t.drain();
  });
});

describe('stopping', () => {
  it('ends the session at once; the remaining jobs play nothing; stopping again answers the same', async () => {
    const c = await creator();
    const source = await c.pastSession(SLOW_TIPS);
    const r = await c.rehearse({ fromSessionId: source.id, speed: 5 });
    const stopped = await c.post(`/api/rehearsals/${r.id}/stop`);
    expect(stopped.status).toBe(200);
    expect(stopped.body).toMatchObject({ id: r.id, status: 'stopped' });
    expect(stopped.body.played).toBeLessThan(3);
    expect((await c.get(`/api/sessions/${r.sessionId}`)).body.status).toBe('ended');
    const again = await c.post(`/api/rehearsals/${r.id}/stop`);
    expect(again).toMatchObject({ status: 200, body: stopped.body });

    await t.drain(); // the remaining tips' jobs ran, and found it stopped
    expect(await c.rehearsal(r.id)).toEqual(stopped.body);
    expect(await c.sessionTips(r.sessionId)).toHaveLength(stopped.body.played);
    expect((await c.get(`/api/sessions/${source.id}`)).body).toEqual(source);
  });

  it('follows its session ended from elsewhere (the dashboard’s end button)', async () => {
    const c = await creator();
    const r = await c.rehearse({ fromSessionId: (await c.pastSession(SLOW_TIPS)).id, speed: 5 });
    expect((await c.post(`/api/sessions/${r.sessionId}/end`)).status).toBe(200);
    await expect.poll(async () => (await c.rehearsal(r.id)).status).toBe('stopped');
    await t.drain();
    const after = await c.rehearsal(r.id);
    expect(after.status).toBe('stopped');
    expect(await c.sessionTips(r.sessionId)).toHaveLength(after.played);
  });
});

describe('another creator', () => {
  it("sees none of a creator's rehearsals and cannot stop them", async () => {
    const owner = await creator();
    const r = await owner.rehearse({ simulate: { tipCount: 2, durationSeconds: 5 }, speed: 5 });
    const other = await creator();
    expectProblem(await other.get(`/api/rehearsals/${r.id}`), 404);
    expectProblem(await other.post(`/api/rehearsals/${r.id}/stop`), 404);
    expect((await other.get('/api/rehearsals')).body.items).toEqual([]);
    await t.drain();
    expect(await owner.rehearsal(r.id)).toMatchObject({ status: 'finished', played: 2 });
  });
});

describe('the list', () => {
  it("shows the creator's rehearsals newest first", async () => {
    const c = await creator();
    const first = await c.rehearse({ simulate: { tipCount: 1, durationSeconds: 5 }, speed: 5 });
    await t.drain();
    clock.advance(60_000);
    const second = await c.rehearse({ simulate: { tipCount: 1, durationSeconds: 5 }, speed: 5 });
    await t.drain();
    expect((await c.get('/api/rehearsals')).body.items.map((r: RehearsalDto) => r.id)).toEqual([second.id, first.id]);
    expect((await c.get('/api/rehearsals?limit=1')).body.items.map((r: RehearsalDto) => r.id)).toEqual([second.id]);
  });
});

describe('the rehearsal tables', () => {
  it('match the entities once migrated (the schema diff is empty)', async () => {
    expect(await t.schemaDiff()).toBe('');
  });
});
