import { tipsPlugin, type TipDto } from '@streaming-companion/plugin-tips';
import { definePlugin, kernelEvents, type PayloadOf } from '@streaming-companion/sdk';
import { nextEvent, startTestKernel, type TestKernel, type TestResponse } from '@streaming-companion/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chaturbateEvents, chaturbatePlugin, type ConnectorStatus } from '../src/index.ts';
import { connectAs, connectCreator, disconnectAll, fastConfig, type ConnectedCreator } from './support/connector-fixture.ts';
import { cb, FakeEventsApi } from './support/fake-events-api.ts';

type ChatMessage = PayloadOf<(typeof kernelEvents.domain)['streaming.chat.message']>;
const chats: ChatMessage[] = [];
/** Stands where the chatbot will: it hears every chat line a connector reports. */
const chatListener = definePlugin({
  id: 'chat-listener',
  version: '0.0.0',
  engine: '*',
  setup(ctx) {
    ctx.events.on(kernelEvents.domain['streaming.chat.message'], ({ payload }) => void chats.push(payload));
  },
});

let fake: FakeEventsApi;
let t: TestKernel;
beforeAll(async () => {
  fake = await FakeEventsApi.start();
  t = await startTestKernel({ plugins: [tipsPlugin, chaturbatePlugin, chatListener], pluginConfig: { chaturbate: fastConfig(fake) } });
});
afterEach(disconnectAll);
afterAll(async () => {
  await t?.stop();
  await fake?.close();
});

function expectProblem(res: TestResponse, status: number, field?: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  if (field) expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
}

async function sessionTips(c: ConnectedCreator, sessionId: string): Promise<TipDto[]> {
  const res = await t.http.get(`/api/tips?sessionId=${sessionId}&pageSize=200`, { token: c.token });
  expect(res.status).toBe(200);
  return (res.body.items as TipDto[]).toReversed();
}

describe('tips from the Events API', () => {
  it('arrive by themselves while a Chaturbate session is live: tokens converted, anonymous names hidden, messages kept', async () => {
    const c = await connectCreator(t, fake, { centsPerToken: 8 });
    expect(await c.status()).toMatchObject({ connected: true, state: 'idle', username: c.username, centsPerToken: 8 });
    const sessionId = await c.goLive();
    const socket = await t.socket(c.token);
    expect(await socket.emitWithAck('join_session', { sessionId })).toMatchObject({ ok: true });
    const received: TipDto[] = [];
    socket.on('tip_received', ({ tip }: { tip: TipDto }) => received.push(tip));

    const [named, anonymous] = fake.push(
      c.username,
      cb.tip('fan1', 25, { message: 'hi <b>there</b>', user: { inFanclub: true, isMod: true, recentTips: 'lots' } }),
      cb.tip('fan2', 100, { isAnon: true, message: 'secret admirer' }),
    );
    await expect.poll(() => received.length).toBe(2);
    expect(received).toEqual([
      expect.objectContaining({
        sessionId,
        amountCents: 200,
        tokens: 25,
        centsPerToken: 8,
        tipperName: 'fan1',
        message: 'hi <b>there</b>',
        isAnonymous: false,
        source: 'platform_api',
        externalEventId: named,
        // Kept for the chatbot's levels.
        tipperStanding: { isModerator: true, inFanClub: true, hasTokens: true, recentTips: 'lots' },
      }),
      expect.objectContaining({ amountCents: 800, tokens: 100, tipperName: null, isAnonymous: true, message: 'secret admirer', externalEventId: anonymous, tipperStanding: null }),
    ]);
    expect((await sessionTips(c, sessionId)).map((tip) => tip.id)).toEqual(received.map((tip) => tip.id));
    expect(await c.status()).toMatchObject({ state: 'polling', eventsSeen: 2, tipsRecorded: 2, errors: 0, lastEventAt: expect.any(String), lastEventId: anonymous });
    // The next poll resumes right after the last event it was given.
    await expect.poll(() => fake.isHolding(c.username, anonymous!)).toBe(true);
    // Every request is a long poll of the configured length, even where the API's nextUrl says otherwise (its `timeout=10`).
    expect(fake.requests(c.username).map((r) => r.timeout)).toEqual(fake.requests(c.username).map(() => fastConfig(fake).pollTimeoutSeconds));

    await c.end(sessionId);
  });

  it('record a redelivered event once', async () => {
    const c = await connectCreator(t, fake);
    const sessionId = await c.goLive();
    const [first] = fake.push(c.username, cb.tip('fan1', 10));
    await expect.poll(async () => (await c.status()).tipsRecorded).toBe(1);

    fake.redeliver(c.username, first!);
    const [second] = fake.push(c.username, cb.tip('fan2', 20));
    await expect.poll(async () => (await c.status()).tipsRecorded).toBe(2);
    expect(fake.requests(c.username).some((r) => r.eventIds.join() === `${first},${second}`)).toBe(true);
    expect((await sessionTips(c, sessionId)).map((tip) => tip.externalEventId)).toEqual([first, second]);
    expect((await c.status()).skipped).toEqual({ duplicate: 1 });

    await c.end(sessionId);
  });

  it('are skipped and counted while no Chaturbate session is live', async () => {
    const c = await connectCreator(t, fake, { autoSession: true });
    // With autoSession the connection is followed as soon as it is saved, live or not.
    await expect.poll(() => fake.requests(c.username).length).toBeGreaterThan(0);
    fake.push(c.username, cb.tip('fan1', 10), cb.other('follow'));
    await expect.poll(async () => (await c.status()).skipped).toEqual({ noSession: 1, follow: 1 });
    expect((await c.status()).tipsRecorded).toBe(0);
    expect((await t.http.delete('/api/connectors/chaturbate', { token: c.token })).status).toBe(204);
  });
});

describe('following the Events API', () => {
  it('resumes at the nextUrl a "waited too long" 400 gives, without recording what it sends again twice', async () => {
    const c = await connectCreator(t, fake);
    const sessionId = await c.goLive();
    const [t1, t2] = fake.push(c.username, cb.tip('a', 1), cb.tip('b', 2));
    await expect.poll(async () => (await c.status()).tipsRecorded).toBe(2);

    await expect.poll(() => fake.isHolding(c.username, t2!)).toBe(true);
    fake.script(c.username, { waitedTooLong: { resumeAfter: t1! } });
    // Ends the poll being held; the next one is answered 400, pointing back to just after t1.
    const [t3] = fake.push(c.username, cb.tip('c', 3));
    await expect.poll(() => fake.requests(c.username).some((r) => r.after === t1 && r.status === 200)).toBe(true);
    const [t4] = fake.push(c.username, cb.tip('d', 4));
    await expect.poll(async () => (await c.status()).tipsRecorded).toBe(4);

    const requests = fake.requests(c.username);
    const resumedAt = requests.findIndex((r) => r.status === 400) + 1;
    expect(requests[resumedAt]).toMatchObject({ after: t1, eventIds: [t2, t3] });
    expect((await sessionTips(c, sessionId)).map((tip) => tip.externalEventId)).toEqual([t1, t2, t3, t4]);
    expect(await c.status()).toMatchObject({ state: 'polling', errors: 0, skipped: { duplicate: 2 } });

    await c.end(sessionId);
  });

  it('backs off on 5xx and 429, longer each time, and recovers', async () => {
    const c = await connectCreator(t, fake);
    const sessionId = await c.goLive();
    const socket = await t.socket(c.token);
    const statuses: ConnectorStatus[] = [];
    socket.on(chaturbateEvents.socket.connector_status.name, (status: ConnectorStatus) => statuses.push(status));

    await expect.poll(() => fake.isHolding(c.username, null)).toBe(true);
    fake.script(c.username, 503, 429, 500);
    const [before] = fake.push(c.username, cb.tip('a', 1));
    await expect.poll(() => fake.requests(c.username).filter((r) => [503, 429, 500].includes(r.status)).length).toBe(3);
    const [after] = fake.push(c.username, cb.tip('b', 2));
    await expect.poll(async () => (await c.status()).tipsRecorded).toBe(2);

    const requests = fake.requests(c.username);
    const first = requests.findIndex((r) => r.status === 503);
    // 50, 100, 200 ms: each wait at least its back-off (timers never fire early).
    for (const [k, delay] of [50, 100, 200].entries()) {
      expect(requests[first + k + 1]!.startedAt - requests[first + k]!.endedAt).toBeGreaterThanOrEqual(delay - 5);
    }
    expect(requests[first + 3]!.after).toBe(before);
    expect(statuses.find((s) => s.state === 'backing_off')).toMatchObject({ errors: 1, lastError: 'the Events API answered HTTP 503' });
    expect(await c.status()).toMatchObject({ state: 'polling', errors: 3, lastError: 'the Events API answered HTTP 500', tipsRecorded: 2 });
    expect((await sessionTips(c, sessionId)).map((tip) => tip.externalEventId)).toEqual([before, after]);

    await c.end(sessionId);
  });

  it('stops for good on a 401, says so on the sockets, and asks nothing more until a new URL is saved', async () => {
    const c = await connectCreator(t, fake);
    const sessionId = await c.goLive();
    const socket = await t.socket(c.token);
    const broken = nextEvent(socket, chaturbateEvents.socket.connector_status, { match: (s) => s.state === 'broken' });

    await expect.poll(() => fake.isHolding(c.username, null)).toBe(true);
    fake.revoke(c.username);
    fake.push(c.username, cb.tip('a', 1));
    expect(await broken).toMatchObject({ connected: true, state: 'broken', brokenReason: expect.stringContaining('HTTP 401'), errors: 1, tipsRecorded: 1 });
    const asked = fake.requests(c.username).length;
    expect(fake.requests(c.username).at(-1)!.status).toBe(401);

    // A new session would start polling again; a broken connection stays still.
    expect((await t.http.post(`/api/sessions/${sessionId}/end`, { token: c.token })).status).toBe(200);
    const again = await t.http.post('/api/sessions', { token: c.token, body: { platform: 'chaturbate' } });
    expect(again.status).toBe(201);
    await t.drain();
    expect(fake.requests(c.username)).toHaveLength(asked);
    expect((await c.status()).state).toBe('broken');

    // Saving a working URL again mends it.
    const eventsUrl = fake.room(c.username, 'a-brand-new-token');
    const mended = await t.http.put('/api/connectors/chaturbate', { token: c.token, body: { eventsUrl } });
    expect(mended.body).toMatchObject({ state: 'polling', brokenReason: null, tokenHint: '…oken', errors: 0 });
    await expect.poll(() => fake.requests(c.username).length).toBeGreaterThan(asked);
    await c.end(again.body.id);
  });

  it("stops for good on a 403 too, with the reason on the status and on the creator's /streaming socket", async () => {
    const c = await connectCreator(t, fake);
    const sessionId = await c.goLive();
    const socket = await t.socket(c.token);
    const broken = nextEvent(socket, chaturbateEvents.socket.connector_status, { match: (s) => s.state === 'broken' });

    await expect.poll(() => fake.isHolding(c.username, null)).toBe(true);
    fake.script(c.username, 403);
    // Ends the poll being held; the next one is answered 403.
    fake.push(c.username, cb.tip('a', 1));
    const reason = expect.stringContaining('refused the token (HTTP 403)');
    expect(await broken).toMatchObject({ connected: true, state: 'broken', brokenReason: reason, lastError: 'HTTP 403', errors: 1 });
    expect(await c.status()).toMatchObject({ state: 'broken', brokenReason: reason });
    const asked = fake.requests(c.username).length;
    expect(fake.requests(c.username).at(-1)!.status).toBe(403);

    // Nothing asks again: not the chain, not the watchdog, not a new event.
    fake.push(c.username, cb.tip('b', 2));
    await t.drain();
    expect(fake.requests(c.username)).toHaveLength(asked);
    expect(fake.requests(c.username).filter((r) => r.status === 0), 'no poll held open').toEqual([]);
    expect((await t.http.post(`/api/sessions/${sessionId}/end`, { token: c.token })).status).toBe(200);
  });
});

describe('chat, viewers and broadcasts', () => {
  it('reports chat as streaming.chat.message and keeps the viewer count from enters and leaves; polling starts at once when saved during a session', async () => {
    const { token, creator } = await t.createCreator();
    const live = await t.http.post('/api/sessions', { token, body: { platform: 'chaturbate' } });
    const sessionId: string = live.body.id;
    const c = await connectAs(t, fake, { token, creatorId: creator.id });
    expect((await c.status()).state).toBe('polling');
    await expect.poll(() => fake.requests(c.username).length).toBeGreaterThan(0);

    const ids = fake.push(
      c.username,
      cb.chat('fan1', 'hello <script>alert(1)</script>\u200b', { isMod: true, inFanclub: true, recentTips: 'lots' }),
      cb.enter('fan1'),
      cb.enter('fan2'),
      cb.enter('FAN2'),
      cb.enter('fan3'),
      cb.leave('fan1'),
      cb.other('privateMessage'),
      cb.broadcastStart(),
      { method: 'tip', object: { tip: { tokens: 'lots' } } },
    );
    const chatId = ids[0];
    await expect.poll(() => chats.find((m) => m.externalEventId === chatId)).toEqual({
      creatorId: creator.id,
      sessionId,
      platform: 'chaturbate',
      senderName: 'fan1',
      message: 'hello <script>alert(1)</script>',
      standing: { isModerator: true, inFanClub: true, hasTokens: true, recentTips: 'lots' },
      externalEventId: chatId,
      receivedAt: expect.any(String),
    });
    await expect.poll(async () => (await t.http.get(`/api/sessions/${sessionId}`, { token })).body).toMatchObject({ viewerCount: 2, peakViewers: 2 });
    // The last event id is the batch's last, skipped or not: the position is past it.
    expect(await c.status()).toMatchObject({ eventsSeen: 9, skipped: { privateMessage: 1, autoSessionOff: 1, invalid: 1 }, lastEventId: ids.at(-1) });

    await c.end(sessionId);
  });

  it('with autoSession, a broadcast start opens a Chaturbate session and its stop ends it', async () => {
    const c = await connectCreator(t, fake, { autoSession: true });
    fake.push(c.username, cb.broadcastStart());
    await expect.poll(async () => (await t.http.get('/api/sessions/active', { token: c.token })).status).toBe(200);
    const session = (await t.http.get('/api/sessions/active', { token: c.token })).body;
    expect(session).toMatchObject({ platform: 'chaturbate', title: 'Live on Chaturbate', rehearsal: false });

    const [tip] = fake.push(c.username, cb.tip('fan1', 10), cb.enter('fan1'));
    await expect.poll(async () => (await sessionTips(c, session.id)).map((t) => t.externalEventId)).toEqual([tip]);
    fake.push(c.username, cb.broadcastStop(), cb.tip('late', 5));
    await expect.poll(async () => (await t.http.get(`/api/sessions/${session.id}`, { token: c.token })).body.status).toBe('ended');
    await expect.poll(async () => (await c.status()).skipped).toEqual({ noSession: 1 });
    // Still followed: the next broadcast opens the next session.
    expect((await c.status()).state).toBe('polling');

    expect((await t.http.delete('/api/connectors/chaturbate', { token: c.token })).status).toBe(204);
  });
});

describe('the connection routes', () => {
  it('refuse bad input with a problem naming the field, never quoting the URL', async () => {
    const { token } = await t.createCreator();
    const secret = 'S3cretTokenValue0123';
    const put = (body: object) => t.http.put('/api/connectors/chaturbate', { token, body });
    const bad = [
      { eventsUrl: 'not a url' },
      { eventsUrl: `https://evil.example/events/someone/${secret}/` },
      { eventsUrl: `${fake.baseUrl.replace('http:', 'https:')}someone/${secret}/` },
      { eventsUrl: `${fake.baseUrl}someone/${secret}/extra/` },
      { eventsUrl: `${fake.baseUrl.replace('/events/', '/other/')}someone/${secret}/` },
      { eventsUrl: `${fake.baseUrl}someone/short/` },
      { eventsUrl: fake.baseUrl.replace('http://', `http://user:${secret}@`) + `someone/${secret}/` },
      {},
    ];
    for (const body of bad) {
      const res = await put(body);
      expectProblem(res, 400, 'body.eventsUrl');
      expect(JSON.stringify(res.body)).not.toContain(secret);
    }
    const good = `${fake.baseUrl}someone/${secret}/`;
    expectProblem(await put({ eventsUrl: good, centsPerToken: 0 }), 400, 'body.centsPerToken');
    expectProblem(await put({ eventsUrl: good, centsPerToken: 2.5 }), 400, 'body.centsPerToken');
    expectProblem(await put({ eventsUrl: good, autoSession: 'yes' }), 400, 'body.autoSession');
    expectProblem(await put({ eventsUrl: good, extra: true }), 400);
    expect((await t.http.get('/api/connectors/chaturbate', { token })).body).toMatchObject({ connected: false, state: 'disconnected' });
    expect((await t.http.get('/api/connectors/chaturbate')).status).toBe(401);
    expect((await t.http.put('/api/connectors/chaturbate', { body: { eventsUrl: good } })).status).toBe(401);
  });

  it("keep each creator's connection their own, and the token sealed at rest and out of every answer", async () => {
    const mine = await connectCreator(t, fake, { centsPerToken: 7 });
    const theirs = await t.createCreator();
    expect((await t.http.get('/api/connectors/chaturbate', { token: theirs.token })).body).toEqual({
      platform: 'chaturbate',
      connected: false,
      username: null,
      tokenHint: null,
      state: 'disconnected',
      brokenReason: null,
      autoSession: false,
      centsPerToken: 5,
      lastEventAt: null,
      lastEventId: null,
      eventsSeen: 0,
      tipsRecorded: 0,
      skipped: {},
      errors: 0,
      lastError: null,
    });
    expect((await t.http.delete('/api/connectors/chaturbate', { token: theirs.token })).status).toBe(204);
    const other = await connectCreator(t, fake);
    expect(other.username).not.toBe(mine.username);

    const status = await t.http.get('/api/connectors/chaturbate', { token: mine.token });
    expect(status.body).toMatchObject({ connected: true, username: mine.username, tokenHint: `…${mine.secret.slice(-4)}`, centsPerToken: 7 });
    expect(JSON.stringify(status.body)).not.toContain(mine.secret);

    const rows = () => t.kernel.forkEm().execute<Array<Record<string, unknown>>>('select * from chaturbate_connections where creator_id = ?', [mine.creatorId]);
    const [row] = await rows();
    expect(row!.events_url).toEqual(expect.any(String));
    expect(JSON.stringify(row)).not.toContain(mine.secret);

    expect((await t.http.delete('/api/connectors/chaturbate', { token: mine.token })).status).toBe(204);
    expect((await t.http.delete('/api/connectors/chaturbate', { token: mine.token })).status).toBe(204);
    expect(await mine.status()).toMatchObject({ connected: false, state: 'disconnected', username: null, tokenHint: null });
    expect((await rows())[0]).toMatchObject({ events_url: null, next_url: null });
    expect((await other.status()).connected).toBe(true);
    await t.http.delete('/api/connectors/chaturbate', { token: other.token });
  });
});

describe('the API docs', () => {
  it('describe the connection routes and the status', async () => {
    const doc = (await t.http.get('/api/docs/openapi.json')).body;
    const path = doc.paths['/api/connectors/chaturbate'];
    expect(Object.keys(path).toSorted()).toEqual(['delete', 'get', 'put']);
    const body = path.put.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(['eventsUrl']);
    expect(body.properties.eventsUrl).toMatchObject({ type: 'string', format: 'uri' });
    expect(doc.components.schemas.ConnectorStatus.properties.state.enum).toEqual(['idle', 'polling', 'backing_off', 'broken', 'disconnected']);
  });
});

describe('tables', () => {
  it('match the migrations', async () => {
    expect(await t.schemaDiff()).toBe('');
  });
});
