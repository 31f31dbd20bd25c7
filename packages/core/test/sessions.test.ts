import { randomUUID } from 'node:crypto';
import { definePlugin, kernelEvents, type DomainEvent, type PayloadOf } from '@streaming-companion/sdk';
import { startTestKernel, type TestKernel, type TestResponse } from '@streaming-companion/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** What the probe plugin's subscribers saw, in delivery order. */
type SessionEvent = typeof kernelEvents.domain['streaming.session.started'] | typeof kernelEvents.domain['streaming.session.ended'];
const delivered: Array<DomainEvent & { payload: PayloadOf<SessionEvent> }> = [];

const probePlugin = definePlugin({
  id: 'probe',
  version: '0.0.0',
  engine: '*',
  setup(ctx) {
    ctx.events.on(kernelEvents.domain['streaming.session.started'], (event) => {
      delivered.push(event);
    });
    ctx.events.on(kernelEvents.domain['streaming.session.ended'], (event) => {
      delivered.push(event);
    });
  },
});

let t: TestKernel;
beforeAll(async () => {
  t = await startTestKernel({ plugins: [probePlugin], loginLimits: { failuresPerAccountAddress: 5, failuresPerAddress: 1_000, windowSeconds: 60 } });
});
afterAll(() => t?.stop());

async function creator() {
  return t.createCreator();
}

async function start(token: string, body: Record<string, unknown> = { platform: 'chaturbate' }) {
  const res = await t.http.post('/api/sessions', { token, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as Session;
}

async function end(token: string, id: string) {
  const res = await t.http.post(`/api/sessions/${id}/end`, { token });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as Session;
}

async function listTotal(token: string): Promise<number> {
  const res = await t.http.get('/api/sessions?pageSize=100', { token });
  expect(res.status).toBe(200);
  return res.body.total;
}

function expectProblem(res: TestResponse, status: number, field?: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, type: expect.any(String), title: expect.any(String), detail: expect.any(String), code: expect.any(String) });
  expect(JSON.stringify(res.body)).not.toMatch(/\bat .+:\d+:\d+/); // no stack trace
  if (field) expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
}

interface Session {
  id: string;
  creatorId: string;
  platform: string;
  title: string | null;
  notes: string | null;
  metadata: Record<string, unknown>;
  status: 'active' | 'ended';
  startedAt: string;
  endedAt: string | null;
  durationSeconds: number | null;
  viewerCount: number;
  peakViewers: number;
  totalTipsCents: number;
  tipCount: number;
  tipperCount: number;
  biggestTipCents: number;
}

describe('starting a session', () => {
  it('answers 201 with the spec fields, and a second start is a 409 naming the active session', async () => {
    const { token, creator: me } = await creator();
    const before = Date.now();
    const res = await t.http.post('/api/sessions', { token, body: { platform: 'stripchat', title: 'Friday show', metadata: { lang: 'en', tags: ['a'] } } });
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      creatorId: me.id,
      platform: 'stripchat',
      title: 'Friday show',
      notes: null,
      metadata: { lang: 'en', tags: ['a'] },
      status: 'active',
      startedAt: expect.any(String),
      endedAt: null,
      durationSeconds: null,
      viewerCount: 0,
      peakViewers: 0,
      totalTipsCents: 0,
      tipCount: 0,
      tipperCount: 0,
      biggestTipCents: 0,
      rehearsal: false,
    });
    expect(Date.parse(res.body.startedAt)).toBeGreaterThanOrEqual(before - 1_000);

    const second = await t.http.post('/api/sessions', { token, body: { platform: 'other' } });
    expectProblem(second, 409);
    expect(second.body.code).toBe('session_already_active');
    expect(second.body.activeSessionId).toBe(res.body.id);
    expect(await listTotal(token)).toBe(1);
  });

  it('lets exactly one of two concurrent starts through', async () => {
    const { token } = await creator();
    const results = await Promise.all([
      t.http.post('/api/sessions', { token, body: { platform: 'chaturbate', title: 'A' } }),
      t.http.post('/api/sessions', { token, body: { platform: 'chaturbate', title: 'B' } }),
    ]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409]);
    const won = results.find((r) => r.status === 201)!;
    const lost = results.find((r) => r.status === 409)!;
    expect(lost.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(lost.body.activeSessionId).toBe(won.body.id);
    const list = await t.http.get('/api/sessions', { token });
    expect(list.body.total).toBe(1);
    expect(list.body.items.map((s: Session) => s.id)).toEqual([won.body.id]);
  });

  it('defaults title to null and metadata to {}', async () => {
    const { token } = await creator();
    const s = await start(token, { platform: 'other' });
    expect(s).toMatchObject({ platform: 'other', title: null, metadata: {}, status: 'active' });
  });
});

describe('reading sessions', () => {
  it('GET /api/sessions/active answers the active session, and 404 when there is none', async () => {
    const { token } = await creator();
    const none = await t.http.get('/api/sessions/active', { token });
    expectProblem(none, 404);
    const s = await start(token, { platform: 'chaturbate', title: 'live' });
    const active = await t.http.get('/api/sessions/active', { token });
    expect(active.status).toBe(200);
    expect(active.body).toEqual(s);
    await end(token, s.id);
    expectProblem(await t.http.get('/api/sessions/active', { token }), 404);
  });

  it('GET /api/sessions pages newest first with totals, and filters by status', async () => {
    const { token } = await creator();
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const s = await start(token, { platform: 'chaturbate', title: `show ${i}` });
      ids.push(s.id);
      await end(token, s.id);
    }
    const live = await start(token, { platform: 'stripchat', title: 'show 4' });
    ids.push(live.id);
    const newestFirst = [...ids].reverse();

    const page1 = await t.http.get('/api/sessions?page=1&pageSize=2', { token });
    expect(page1.status).toBe(200);
    expect(page1.body).toMatchObject({ total: 5, page: 1, pageSize: 2 });
    expect(page1.body.items.map((s: Session) => s.id)).toEqual(newestFirst.slice(0, 2));
    const page2 = await t.http.get('/api/sessions?page=2&pageSize=2', { token });
    expect(page2.body.items.map((s: Session) => s.id)).toEqual(newestFirst.slice(2, 4));
    const page3 = await t.http.get('/api/sessions?page=3&pageSize=2', { token });
    expect(page3.body.items.map((s: Session) => s.id)).toEqual(newestFirst.slice(4));
    const beyond = await t.http.get('/api/sessions?page=9&pageSize=2', { token });
    expect(beyond.body).toMatchObject({ items: [], total: 5, page: 9 });

    const defaults = await t.http.get('/api/sessions', { token });
    expect(defaults.body).toMatchObject({ total: 5, page: 1, pageSize: 20 });

    const ended = await t.http.get('/api/sessions?status=ended', { token });
    expect(ended.body.total).toBe(4);
    expect(ended.body.items.map((s: Session) => s.id)).toEqual(newestFirst.slice(1));
    expect(ended.body.items.every((s: Session) => s.status === 'ended')).toBe(true);
    const active = await t.http.get('/api/sessions?status=active', { token });
    expect(active.body.total).toBe(1);
    expect(active.body.items.map((s: Session) => s.id)).toEqual([live.id]);
  });

  it('GET /api/sessions/:id answers the session, 404 for an unknown id', async () => {
    const { token } = await creator();
    const s = await start(token, { platform: 'other', title: 'by id' });
    const got = await t.http.get(`/api/sessions/${s.id}`, { token });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(s);
    expectProblem(await t.http.get(`/api/sessions/${randomUUID()}`, { token }), 404);
  });

  it('refuses a request without a token', async () => {
    expectProblem(await t.http.get('/api/sessions'), 401);
    expectProblem(await t.http.post('/api/sessions', { body: { platform: 'other' } }), 401);
  });
});

describe('updating and ending', () => {
  it('PATCH updates title, notes and metadata; an empty body or unknown field is a 400', async () => {
    const { token } = await creator();
    const s = await start(token, { platform: 'chaturbate', title: 'before' });

    const patched = await t.http.patch(`/api/sessions/${s.id}`, { token, body: { title: 'after', notes: 'wear the red one', metadata: { mood: 'chill' } } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id: s.id, title: 'after', notes: 'wear the red one', metadata: { mood: 'chill' }, status: 'active' });

    const cleared = await t.http.patch(`/api/sessions/${s.id}`, { token, body: { title: null } });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ title: null, notes: 'wear the red one', metadata: { mood: 'chill' } });

    const empty = await t.http.patch(`/api/sessions/${s.id}`, { token, body: {} });
    expectProblem(empty, 400, 'body');
    const unknown = await t.http.patch(`/api/sessions/${s.id}`, { token, body: { title: 'x', viewerCount: 9 } });
    expectProblem(unknown, 400, 'body');
    expect(unknown.body.detail).toMatch(/viewerCount/);
    const tooLong = await t.http.patch(`/api/sessions/${s.id}`, { token, body: { title: 'x'.repeat(201) } });
    expectProblem(tooLong, 400, 'body.title');

    const after = await t.http.get(`/api/sessions/${s.id}`, { token });
    expect(after.body).toMatchObject({ title: null, notes: 'wear the red one', metadata: { mood: 'chill' }, viewerCount: 0 });
  });

  it('POST /:id/end sets endedAt and durationSeconds, and is idempotent', async () => {
    const { token } = await creator();
    const s = await start(token, { platform: 'stripchat' });
    const ended = await end(token, s.id);
    expect(ended.status).toBe('ended');
    expect(ended.endedAt).toEqual(expect.any(String));
    const endedAt = Date.parse(ended.endedAt!);
    const startedAt = Date.parse(ended.startedAt);
    expect(endedAt).toBeGreaterThanOrEqual(startedAt);
    expect(ended.durationSeconds).toBe(Math.round((endedAt - startedAt) / 1000));
    expect(ended.viewerCount).toBe(0);

    const again = await end(token, s.id);
    expect(again.endedAt).toBe(ended.endedAt);
    expect(again.durationSeconds).toBe(ended.durationSeconds);
    expect(await t.http.get(`/api/sessions/${s.id}`, { token }).then((r) => r.body)).toEqual(ended);

    // Ending frees the creator to start again.
    const next = await start(token, { platform: 'stripchat' });
    expect(next.id).not.toBe(s.id);
    expectProblem(await t.http.post(`/api/sessions/${randomUUID()}/end`, { token }), 404);
  });

  it('notes are added with a timestamp and listed oldest first', async () => {
    const { token } = await creator();
    const s = await start(token);
    const texts = ['first', 'second', 'third'];
    const created = [];
    for (const text of texts) {
      const res = await t.http.post(`/api/sessions/${s.id}/notes`, { token, body: { text } });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ id: expect.any(String), sessionId: s.id, text, createdAt: expect.any(String) });
      created.push(res.body);
    }
    const list = await t.http.get(`/api/sessions/${s.id}/notes`, { token });
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual(created);
    expect(list.body.items.map((n: { text: string }) => n.text)).toEqual(texts);

    expectProblem(await t.http.post(`/api/sessions/${s.id}/notes`, { token, body: { text: '   ' } }), 400, 'body.text');
    expectProblem(await t.http.post(`/api/sessions/${s.id}/notes`, { token, body: {} }), 400, 'body.text');
    expect((await t.http.get(`/api/sessions/${s.id}/notes`, { token })).body.items).toHaveLength(3);
  });
});

describe('bad input', () => {
  it('answers 400 naming the field and writes nothing', async () => {
    const { token } = await creator();
    const existing = await start(token, { platform: 'other', title: 'kept' });
    await end(token, existing.id);
    const count = await listTotal(token);

    expectProblem(await t.http.post('/api/sessions', { token, body: { platform: 'youtube' } }), 400, 'body.platform');
    expectProblem(await t.http.post('/api/sessions', { token, body: {} }), 400, 'body.platform');
    expectProblem(await t.http.post('/api/sessions', { token, body: { platform: 'chaturbate', title: 'x'.repeat(201) } }), 400, 'body.title');
    expectProblem(await t.http.post('/api/sessions', { token, body: { platform: 'chaturbate', metadata: 'nope' } }), 400, 'body.metadata');
    expectProblem(await t.http.get('/api/sessions/not-a-uuid', { token }), 400, 'params.id');
    expectProblem(await t.http.patch('/api/sessions/not-a-uuid', { token, body: { title: 'x' } }), 400, 'params.id');
    expectProblem(await t.http.post('/api/sessions/not-a-uuid/end', { token }), 400, 'params.id');
    expectProblem(await t.http.get('/api/sessions/not-a-uuid/notes', { token }), 400, 'params.id');
    expectProblem(await t.http.get('/api/sessions?pageSize=0', { token }), 400, 'query.pageSize');
    expectProblem(await t.http.get('/api/sessions?pageSize=1000', { token }), 400, 'query.pageSize');
    expectProblem(await t.http.get('/api/sessions?page=0', { token }), 400, 'query.page');
    expectProblem(await t.http.get('/api/sessions?status=paused', { token }), 400, 'query.status');
    const malformed = await t.http.post('/api/sessions', { token, body: '{"platform":', headers: { 'content-type': 'application/json' } });
    expectProblem(malformed, 400);

    expect(await listTotal(token)).toBe(count);
    expectProblem(await t.http.get('/api/sessions/active', { token }), 404);
    expect((await t.http.get(`/api/sessions/${existing.id}`, { token })).body).toMatchObject({ title: 'kept', status: 'ended' });
  });
});

describe('NUL characters', () => {
  it('are a 400 naming the field in a title, metadata (value or key) or note, and nothing is written', async () => {
    const { token } = await creator();
    const count = await listTotal(token);
    expectProblem(await t.http.post('/api/sessions', { token, body: { platform: 'chaturbate', title: 'My\u0000show' } }), 400, 'body.title');
    expectProblem(await t.http.post('/api/sessions', { token, body: { platform: 'chaturbate', metadata: { game: 'x\u0000' } } }), 400, 'body.metadata.game');
    expectProblem(await t.http.post('/api/sessions', { token, body: { platform: 'chaturbate', metadata: { tags: ['ok', { deep: '\u0000' }] } } }), 400, 'body.metadata.tags.1.deep');
    const badKey = await t.http.post('/api/sessions', { token, body: { platform: 'chaturbate', metadata: { 'k\u0000': 1 } } });
    expectProblem(badKey, 400);
    expect(badKey.body.errors[0].field).toMatch(/^body\.metadata\./);
    expect(await listTotal(token)).toBe(count);

    const session = await start(token, { platform: 'other', title: 'kept', metadata: { a: 1 } });
    expectProblem(await t.http.patch(`/api/sessions/${session.id}`, { token, body: { title: '\u0000' } }), 400, 'body.title');
    expectProblem(await t.http.patch(`/api/sessions/${session.id}`, { token, body: { notes: 'a\u0000b' } }), 400, 'body.notes');
    expectProblem(await t.http.patch(`/api/sessions/${session.id}`, { token, body: { metadata: { a: 'b\u0000' } } }), 400, 'body.metadata.a');
    expectProblem(await t.http.post(`/api/sessions/${session.id}/notes`, { token, body: { text: 'note\u0000' } }), 400, 'body.text');
    expect((await t.http.get(`/api/sessions/${session.id}`, { token })).body).toMatchObject({ title: 'kept', notes: null, metadata: { a: 1 } });
    expect((await t.http.get(`/api/sessions/${session.id}/notes`, { token })).body.items).toEqual([]);
  });
});

describe('lone surrogates', () => {
  it('are a 400 naming the field (rule unpaired_surrogate) in metadata values and keys, where jsonb would refuse them, and nothing is written; emoji pass', async () => {
    const { token } = await creator();
    const count = await listTotal(token);
    const value = await t.http.post('/api/sessions', { token, body: { platform: 'chaturbate', metadata: { game: 'x\ud800y' } } });
    expectProblem(value, 400, 'body.metadata.game');
    expect(value.body.errors[0].rule).toBe('unpaired_surrogate');
    const key = await t.http.post('/api/sessions', { token, body: { platform: 'chaturbate', metadata: { ['k\udc00']: 1 } } });
    expectProblem(key, 400);
    expect(key.body.errors[0]).toMatchObject({ field: expect.stringMatching(/^body\.metadata\./), rule: 'unpaired_surrogate' });
    expect(await listTotal(token)).toBe(count);
    const emoji = await start(token, { platform: 'other', title: 'party 🎉', metadata: { mood: '😀' } });
    expect(emoji).toMatchObject({ title: 'party 🎉', metadata: { mood: '😀' } });
  });
});

describe("another creator's session", () => {
  it('is a 404 for every route, changes nothing, and is not in their list', async () => {
    const owner = await creator();
    const other = await creator();
    const s = await start(owner.token, { platform: 'chaturbate', title: 'mine' });
    await t.http.post(`/api/sessions/${s.id}/notes`, { token: owner.token, body: { text: 'private' } });
    const token = other.token;

    expectProblem(await t.http.get(`/api/sessions/${s.id}`, { token }), 404);
    expectProblem(await t.http.patch(`/api/sessions/${s.id}`, { token, body: { title: 'stolen', notes: 'x' } }), 404);
    expectProblem(await t.http.post(`/api/sessions/${s.id}/end`, { token }), 404);
    expectProblem(await t.http.post(`/api/sessions/${s.id}/notes`, { token, body: { text: 'hi' } }), 404);
    expectProblem(await t.http.get(`/api/sessions/${s.id}/notes`, { token }), 404);
    expectProblem(await t.http.get('/api/sessions/active', { token }), 404);

    const theirs = await t.http.get('/api/sessions', { token });
    expect(theirs.body.total).toBe(0);
    expect(theirs.body.items).toEqual([]);

    const unchanged = await t.http.get(`/api/sessions/${s.id}`, { token: owner.token });
    expect(unchanged.body).toEqual(s);
    const notes = await t.http.get(`/api/sessions/${s.id}/notes`, { token: owner.token });
    expect(notes.body.items.map((n: { text: string }) => n.text)).toEqual(['private']);
  });
});

describe('domain events', () => {
  it('delivers streaming.session.started and streaming.session.ended once each, with the spec fields', async () => {
    const { token, creator: me } = await creator();
    const s = await start(token, { platform: 'stripchat', title: 'events' });
    const ended = await end(token, s.id);
    await end(token, s.id); // idempotent end publishes nothing more
    await t.drain();
    await t.drain();

    const mine = delivered.filter((e) => (e.payload as { sessionId: string }).sessionId === s.id);
    const started = mine.filter((e) => e.name === 'streaming.session.started');
    const endedEvents = mine.filter((e) => e.name === 'streaming.session.ended');
    expect(started).toHaveLength(1);
    expect(endedEvents).toHaveLength(1);
    expect(mine).toHaveLength(2);

    expect(started[0]!.payload).toEqual({ creatorId: me.id, platform: 'stripchat', sessionId: s.id, rehearsal: false });
    expect(endedEvents[0]!.payload).toEqual({
      creatorId: me.id,
      sessionId: s.id,
      rehearsal: false,
      duration: ended.durationSeconds,
      totalTipsCents: 0,
      tipCount: 0,
    });
    for (const e of mine) {
      expect(e.id).toEqual(expect.any(String));
      expect(Number.isNaN(Date.parse(e.occurredAt))).toBe(false);
    }
    expect(started[0]!.id).not.toBe(endedEvents[0]!.id);
    // A refused start (409) rolls back and publishes nothing.
    const next = await start(token, { platform: 'chaturbate' });
    expect((await t.http.post('/api/sessions', { token, body: { platform: 'other' } })).status).toBe(409);
    await t.drain();
    const all = delivered.filter((e) => e.payload.creatorId === me.id);
    // Separate subscriptions may run in any order (with Redis, on separate queues): compare as a set.
    const seen = all.map((e) => `${e.name} ${(e.payload as { sessionId: string }).sessionId}`).sort();
    expect(seen).toEqual([`streaming.session.ended ${s.id}`, `streaming.session.started ${next.id}`, `streaming.session.started ${s.id}`].sort());
  });
});

describe('the kernel tables', () => {
  it('match the kernel entities once migrated (the schema diff is empty)', async () => {
    expect(await t.schemaDiff()).toBe('');
  });
});
