import { definePlugin, type DomainEvent } from '@streaming-companion/sdk';
import { nextEvent, startTestKernel, type TestKernel } from '@streaming-companion/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tipEvents, tipsPlugin } from '../src/index.ts';

const received: DomainEvent<typeof tipEvents.domain['streaming.tip.received']>[] = [];
const probe = definePlugin({
  id: 'probe',
  version: '0.0.0',
  engine: '*',
  deps: { tips: tipEvents },
  setup(ctx, { tips }) {
    ctx.events.on(tips.domain['streaming.tip.received'], (event) => {
      received.push(event);
    });
  },
});

let t: TestKernel;
beforeAll(async () => {
  t = await startTestKernel({ plugins: [tipsPlugin, probe], pluginConfig: { tips: { maxAmountCents: 50_000 } } });
});
afterAll(() => t?.stop());

async function liveSession(platform = 'chaturbate') {
  const { token, creator } = await t.createCreator();
  const session = await t.http.post('/api/sessions', { token, body: { platform } });
  expect(session.status).toBe(201);
  return { token, creator, sessionId: session.body.id as string };
}

const totals = async (token: string, sessionId: string) => (await t.http.get(`/api/sessions/${sessionId}`, { token })).body;
const tipCount = async (token: string) => (await t.http.get('/api/tips', { token })).body.total as number;

describe('POST /api/tips', () => {
  beforeEach(() => {
    received.length = 0;
  });

  it('records the tip, moves the session totals and tells overlays after commit', async () => {
    const { token, creator, sessionId } = await liveSession();
    const overlay = await t.overlaySocket();
    expect((await overlay.emitWithAck('join_overlay', { sessionId })).ok).toBe(true);
    const tipReceived = nextEvent(overlay, 'tip_received');
    const sessionUpdated = nextEvent(overlay, 'session_updated', { match: (u) => u.tipCount === 1 });

    const response = await t.http.post('/api/tips', { token, body: { sessionId, amountCents: 500, tipperName: 'Kai', message: 'hi!' } });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      sessionId,
      creatorId: creator.id,
      amountCents: 500,
      tipperName: 'Kai',
      message: 'hi!',
      isAnonymous: false,
      source: 'manual',
      sessionTotals: { totalTipsCents: 500, tipCount: 1, tipperCount: 1, biggestTipCents: 500 },
    });
    expect(await tipReceived).toEqual({
      sessionId,
      tip: expect.objectContaining({ id: response.body.id, amountCents: 500, tipperName: 'Kai' }),
      sessionTotals: { totalTipsCents: 500, tipCount: 1, tipperCount: 1, biggestTipCents: 500 },
    });
    expect(await sessionUpdated).toMatchObject({ sessionId, totalTipsCents: 500, tipCount: 1 });

    await t.http.post('/api/tips', { token, body: { sessionId, amountCents: 300, tipperName: 'kai' } });
    await t.http.post('/api/tips', { token, body: { sessionId, amountCents: 1200 } });
    expect(await totals(token, sessionId)).toMatchObject({ totalTipsCents: 2000, tipCount: 3, tipperCount: 1, biggestTipCents: 1200 });

    await t.drain();
    expect(received.map((e) => e.payload)).toEqual([
      {
        creatorId: creator.id,
        amountCents: 500,
        source: 'manual',
        sessionId,
        tipId: response.body.id,
        tipperName: 'Kai',
        tokens: null,
        centsPerToken: null,
        createdAt: response.body.createdAt,
      },
      expect.objectContaining({ amountCents: 300, tipperName: 'kai' }),
      expect.objectContaining({ amountCents: 1200, tipperName: null }),
    ]);
  });

  it('converts platform tokens with the platform rate and keeps both figures', async () => {
    const { token, sessionId } = await liveSession('stripchat');
    const response = await t.http.post('/api/tips', { token, body: { sessionId, tokens: 100, tipperName: 'Ro' } });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ amountCents: 500, tokens: 100, centsPerToken: 5 });
    const other = await liveSession('other');
    const refused = await t.http.post('/api/tips', { token: other.token, body: { sessionId: other.sessionId, tokens: 100 } });
    expect(refused.status).toBe(422);
    expect(refused.body.errors[0].field).toBe('centsPerToken');
  });

  it('keeps viewer text as text: trimmed, controls removed, never interpreted', async () => {
    const { token, sessionId } = await liveSession();
    const name = '<img src=x onerror=alert(1)>';
    const response = await t.http.post('/api/tips', { token, body: { sessionId, amountCents: 100, tipperName: `  ${name}\u0007 `, message: 'a\u202Eb' } });
    expect(response.body).toMatchObject({ tipperName: name, message: 'ab' });
    const anonymous = await t.http.post('/api/tips', { token, body: { sessionId, amountCents: 100, tipperName: 'Secret', isAnonymous: true } });
    expect(anonymous.body).toMatchObject({ tipperName: null, isAnonymous: true });
  });

  it('strips invisible marks from viewer text, turns line breaks into spaces, and treats an invisible name as none', async () => {
    const { token, sessionId } = await liveSession();
    const invisible = '\u200B\u200C\u200D\u200E\u200F\u2060\u061C\u202A\u202E\u2066\u2069\u{E0001}\u{E0041}\u{E007F}';
    const named = await t.http.post('/api/tips', {
      token,
      body: { sessionId, amountCents: 100, tipperName: `Ka${invisible}i\u{E0062}`, message: `line one\r\n\n line\ttwo\u2028three${invisible}\u0085four` },
    });
    expect(named.status).toBe(201);
    expect(named.body).toMatchObject({ tipperName: 'Kai', message: 'line one line two three four', isAnonymous: false });

    // A name of nothing visible is no name: the tip is anonymous, exactly as if the name were left out.
    const blank = await t.http.post('/api/tips', { token, body: { sessionId, amountCents: 200, tipperName: ` ${invisible}\n\t `, message: invisible } });
    const omitted = await t.http.post('/api/tips', { token, body: { sessionId, amountCents: 300 } });
    expect(blank.status).toBe(201);
    const pick = ({ tipperName, message, isAnonymous }: Record<string, unknown>) => ({ tipperName, message, isAnonymous });
    expect(pick(blank.body)).toEqual({ tipperName: null, message: null, isAnonymous: true });
    expect(pick(blank.body)).toEqual(pick(omitted.body));
    expect(omitted.body.sessionTotals).toMatchObject({ tipCount: 3, tipperCount: 1 });

    const socket = await t.socket(token);
    const ack = await socket.emitWithAck('add_tip', { sessionId, amountCents: 400, tipperName: '\u200B\u{E0020}', message: 'a\nb' });
    expect(ack).toMatchObject({ ok: true, data: { tipperName: null, message: 'a b', isAnonymous: true, sessionTotals: { tipperCount: 1 } } });
  });

  it('accepts every consistent way of giving the amount', async () => {
    const { token, sessionId } = await liveSession();
    const cases = [
      [{ amountCents: 5_000, tokens: 50, centsPerToken: 100 }, { amountCents: 5_000, tokens: 50, centsPerToken: 100 }],
      [{ amountCents: 400, tokens: 50 }, { amountCents: 400, tokens: 50 }],
      [{ tokens: 50, centsPerToken: 8 }, { amountCents: 400, tokens: 50, centsPerToken: 8 }],
      [{ tokens: 50 }, { amountCents: 250, tokens: 50, centsPerToken: 5 }],
      [{ amountCents: 700, centsPerToken: 100 }, { amountCents: 700, tokens: null, centsPerToken: null }],
      [{ amountCents: 100, tokens: 2_147_483_647 }, { amountCents: 100, tokens: 2_147_483_647 }],
    ] as const;
    for (const [body, stored] of cases) {
      const response = await t.http.post('/api/tips', { token, body: { sessionId, ...body } });
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      expect(response.body).toMatchObject(stored);
    }
  });

  it('names amountCents, as a 400, when the three figures disagree', async () => {
    const { token, sessionId } = await liveSession();
    const response = await t.http.post('/api/tips', { token, body: { sessionId, amountCents: 100, tokens: 50, centsPerToken: 100 } });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'body.amountCents', message: expect.stringContaining('5000') })]);
  });

  it.each([
    [{ amountCents: 0 }, 'body.amountCents'],
    [{ amountCents: -5 }, 'body.amountCents'],
    [{ amountCents: 1.5 }, 'body.amountCents'],
    [{ amountCents: '100' }, 'body.amountCents'],
    [{}, 'body.amountCents'],
    [{ amountCents: 100, tipperName: 'x'.repeat(65) }, 'body.tipperName'],
    [{ amountCents: 100, message: 'x'.repeat(501) }, 'body.message'],
    [{ amountCents: 100, source: 'platform_api' }, 'body.externalEventId'],
    [{ amountCents: 100, sessionId: 'nope' }, 'body.sessionId'],
    // Past what the integer column holds: a 400, not the database's error as a 500.
    [{ amountCents: 100, tokens: 3_000_000_000 }, 'body.tokens'],
    [{ tokens: 3_000_000_000 }, 'body.tokens'],
    // Three figures that disagree (50 tokens at 100 cents is 5000, not 100).
    [{ amountCents: 100, tokens: 50, centsPerToken: 100 }, 'body.amountCents'],
    // Text Postgres cannot store, anywhere in the body.
    [{ amountCents: 100, source: 'platform_api', externalEventId: 'evt\u0000' }, 'body.externalEventId'],
  ])('refuses %j naming %s, writing nothing', async (body, field) => {
    const { token, sessionId } = await liveSession();
    const response = await t.http.post('/api/tips', { token, body: { sessionId, ...body } });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await tipCount(token)).toBe(0);
    expect(await totals(token, sessionId)).toMatchObject({ totalTipsCents: 0, tipCount: 0 });
  });

  it('refuses an amount over the configured maximum', async () => {
    const { token } = await liveSession();
    const { sessionId } = await t.http.get('/api/sessions/active', { token }).then((r) => ({ sessionId: r.body.id }));
    const response = await t.http.post('/api/tips', { token, body: { sessionId, amountCents: 50_001 } });
    expect(response.status).toBe(422);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'amountCents', rule: 'too_big' })]);
    expect(await tipCount(token)).toBe(0);
  });

  it('refuses an unknown session, another creator, and an ended session, naming sessionId', async () => {
    const mine = await liveSession();
    const theirs = await liveSession();
    const unknown = await t.http.post('/api/tips', { token: mine.token, body: { sessionId: crypto.randomUUID(), amountCents: 100 } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors[0].field).toBe('sessionId');
    const foreign = await t.http.post('/api/tips', { token: theirs.token, body: { sessionId: mine.sessionId, amountCents: 100 } });
    expect(foreign.status).toBe(404);
    await t.http.post(`/api/sessions/${mine.sessionId}/end`, { token: mine.token });
    const ended = await t.http.post('/api/tips', { token: mine.token, body: { sessionId: mine.sessionId, amountCents: 100 } });
    expect(ended.status).toBe(409);
    expect(ended.body).toMatchObject({ code: 'session_ended', errors: [expect.objectContaining({ field: 'sessionId' })] });
    expect(await totals(mine.token, mine.sessionId)).toMatchObject({ totalTipsCents: 0, tipCount: 0 });
    expect(await tipCount(mine.token)).toBe(0);
    expect(await tipCount(theirs.token)).toBe(0);
    expect(await t.http.post('/api/tips', { body: { sessionId: mine.sessionId, amountCents: 100 } }).then((r) => r.status)).toBe(401);
  });
});

describe('idempotency', () => {
  it('returns the first tip to a sequential retry and counts it once', async () => {
    const { token, sessionId } = await liveSession();
    const headers = { 'idempotency-key': 'tip-1' };
    const first = await t.http.post('/api/tips', { token, headers, body: { sessionId, amountCents: 700, tipperName: 'Lu' } });
    const retry = await t.http.post('/api/tips', { token, headers, body: { tipperName: 'Lu', amountCents: 700, sessionId } });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(await totals(token, sessionId)).toMatchObject({ totalTipsCents: 700, tipCount: 1 });
  });

  it('refuses the same key with a different tip', async () => {
    const { token, sessionId } = await liveSession();
    const headers = { 'idempotency-key': 'tip-2' };
    await t.http.post('/api/tips', { token, headers, body: { sessionId, amountCents: 700 } });
    const other = await t.http.post('/api/tips', { token, headers, body: { sessionId, amountCents: 900 } });
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({ code: 'idempotency_key_reused', errors: [expect.objectContaining({ field: 'Idempotency-Key' })] });
    expect(await totals(token, sessionId)).toMatchObject({ totalTipsCents: 700, tipCount: 1 });
  });

  it('inserts once when concurrent retries race', async () => {
    const { token, sessionId } = await liveSession();
    const headers = { 'idempotency-key': 'race' };
    const responses = await Promise.all(
      Array.from({ length: 8 }, () => t.http.post('/api/tips', { token, headers, body: { sessionId, amountCents: 250 } })),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
    expect(await totals(token, sessionId)).toMatchObject({ totalTipsCents: 250, tipCount: 1 });
  });

  it('deduplicates platform tips on the platform event id, per creator', async () => {
    const a = await liveSession();
    const b = await liveSession();
    const body = (sessionId: string) => ({ sessionId, tokens: 20, source: 'platform_api', externalEventId: 'cb-evt-42' });
    const first = await t.http.post('/api/tips', { token: a.token, body: body(a.sessionId) });
    const again = await t.http.post('/api/tips', { token: a.token, body: body(a.sessionId) });
    const otherCreator = await t.http.post('/api/tips', { token: b.token, body: body(b.sessionId) });
    expect([first.status, again.status, otherCreator.status]).toEqual([201, 200, 201]);
    expect(again.body.id).toBe(first.body.id);
    expect(first.body).toMatchObject({ source: 'platform_api', externalEventId: 'cb-evt-42', amountCents: 100 });
  });
});

describe('add_tip on /streaming', () => {
  it('acks the stored tip, deduplicates on clientTipId, and broadcasts tip_received', async () => {
    const { token, sessionId } = await liveSession();
    const socket = await t.socket(token);
    await socket.emitWithAck('join_session', { sessionId });
    const broadcast = nextEvent(socket, 'tip_received');
    const ack = await socket.emitWithAck('add_tip', { sessionId, amountCents: 400, tipperName: 'Zo', clientTipId: 'c-1' });
    expect(ack).toMatchObject({ ok: true, data: { amountCents: 400, source: 'websocket', sessionTotals: { totalTipsCents: 400 } } });
    expect((await broadcast).tip.id).toBe(ack.data.id);
    const resend = await socket.emitWithAck('add_tip', { sessionId, amountCents: 400, tipperName: 'Zo', clientTipId: 'c-1' });
    expect(resend.data.id).toBe(ack.data.id);
    expect(await totals(token, sessionId)).toMatchObject({ totalTipsCents: 400, tipCount: 1 });
  });

  it('answers bad payloads with the error event naming the field, writing nothing', async () => {
    const { token, sessionId } = await liveSession();
    const socket = await t.socket(token);
    const error = nextEvent(socket, 'error');
    const ack = await socket.emitWithAck('add_tip', { sessionId, amountCents: -1 });
    expect(ack.ok).toBe(false);
    expect(ack.error.errors[0].field).toBe('amountCents');
    expect(await error).toMatchObject({ code: 'validation_failed', sessionId });
    expect(await tipCount(token)).toBe(0);
  });

  it('refuses a NUL character in clientTipId naming the field, writing nothing', async () => {
    const { token, sessionId } = await liveSession();
    const socket = await t.socket(token);
    const error = nextEvent(socket, 'error');
    const ack = await socket.emitWithAck('add_tip', { sessionId, amountCents: 100, clientTipId: 'tip\u00001' });
    expect(ack).toMatchObject({ ok: false, error: { code: 'validation_failed', errors: [expect.objectContaining({ field: 'clientTipId' })] } });
    expect(await error).toMatchObject({ code: 'validation_failed', sessionId });
    expect(await tipCount(token)).toBe(0);
  });

  it('cannot be sent from the overlay namespace', async () => {
    const { token, sessionId } = await liveSession();
    const overlay = await t.overlaySocket();
    const error = nextEvent(overlay, 'error');
    overlay.emit('add_tip', { sessionId, amountCents: 100 });
    expect(await error).toMatchObject({ code: 'read_only' });
    expect(await tipCount(token)).toBe(0);
  });
});

describe('GET /api/tips', () => {
  it('pages newest first and filters by session, tipper and time range', async () => {
    const { token, sessionId } = await liveSession();
    for (const [amountCents, tipperName] of [[100, 'Ana'], [200, 'Bo'], [300, 'ana']] as const) {
      await t.http.post('/api/tips', { token, body: { sessionId, amountCents, tipperName } });
    }
    const page = await t.http.get(`/api/tips?sessionId=${sessionId}&pageSize=2`, { token });
    expect(page.body).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(page.body.items.map((tip: { amountCents: number }) => tip.amountCents)).toEqual([300, 200]);
    const byTipper = await t.http.get('/api/tips?tipperName=ANA', { token });
    expect(byTipper.body.items.map((tip: { amountCents: number }) => tip.amountCents)).toEqual([300, 100]);
    const future = await t.http.get(`/api/tips?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`, { token });
    expect(future.body.total).toBe(0);
    const bad = await t.http.get('/api/tips?pageSize=0', { token });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('query.pageSize');
    const stranger = await t.createCreator();
    expect((await t.http.get(`/api/tips?sessionId=${sessionId}`, { token: stranger.token })).body.total).toBe(0);
  });
});

describe('GET /api/tips query', () => {
  it.each([
    ['tipperName=a%00b', 'query.tipperName'],
    ['from=-100000-01-01', 'query.from'],
    [`to=${encodeURIComponent('+275760-09-13T00:00:00Z')}`, 'query.to'],
    ['from=1969-12-31', 'query.from'],
    ['to=10000-01-01', 'query.to'],
    ['from=2024-02-30', 'query.from'],
    ['to=2023-02-29T10:00:00Z', 'query.to'],
    ['from=2024-01-01T24:00:00Z', 'query.from'],
    ['from=yesterday', 'query.from'],
    ['from=1700000000000', 'query.from'],
  ])('refuses %s with a 400 naming %s', async (query, field) => {
    const { token } = await liveSession();
    const response = await t.http.get(`/api/tips?${query}`, { token });
    expect(response.status, JSON.stringify(response.body)).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
  });

  it('reads ISO dates and date-times (UTC unless an offset is given) between 1970 and 9999', async () => {
    const { token, sessionId } = await liveSession();
    await t.http.post('/api/tips', { token, body: { sessionId, amountCents: 100 } });
    const now = new Date();
    const total = async (query: string) => {
      const response = await t.http.get(`/api/tips?${query}`, { token });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return response.body.total as number;
    };
    expect(await total('from=1970-01-01&to=9999-12-31')).toBe(1);
    expect(await total(`from=${now.getUTCFullYear() + 1}-01-01`)).toBe(0);
    expect(await total(`to=${encodeURIComponent(new Date(now.getTime() - 3_600_000).toISOString())}`)).toBe(0);
    const hourAhead = new Date(now.getTime() + 3_600_000).toISOString().slice(0, 16); // 2026-03-29T19:00, no offset: UTC
    expect(await total(`to=${hourAhead}`)).toBe(1);
    expect(await total(`from=${hourAhead}`)).toBe(0);
    expect(await total(`from=${hourAhead}${encodeURIComponent('+02:00')}`)).toBe(1);
  });
});

describe('the tips tables', () => {
  it('match the entities once migrated (the schema diff is empty)', async () => {
    expect(await t.schemaDiff()).toBe('');
  });
});
