import { rehearsalPlugin } from '@streaming-companion/plugin-rehearsal';
import { tipsPlugin } from '@streaming-companion/plugin-tips';
import { verifyWebhook, WebhookVerificationError, type WebhookEvent } from '@streaming-companion/sdk/webhooks';
import { createManualClock, nextEvent, startTestKernel, type TestKernel, type TestResponse } from '@streaming-companion/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhooksPlugin, webhookEvents, type ResolveHost, type WebhookDeliveryDto, type WebhookEndpointWithSecret } from '../src/index.ts';
import { TestReceiver } from './support/receiver.ts';

/** Names this test's resolver answers; any other is not found (no test reaches the internet). */
const dns = new Map<string, string>();
const resolveHost: ResolveHost = async (hostname) => {
  const address = dns.get(hostname);
  if (!address) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return [{ address, family: address.includes(':') ? 6 : 4 }];
};

const MAX_ENDPOINTS = 4;
const RETRY_DELAYS_MS = [20, 20, 20];

/** Every log line, at debug level: no secret may be in one. */
const lines: string[] = [];
/** Every signing secret handed out, for the leak checks. */
const secrets: string[] = [];
let receiver: TestReceiver;
/** The operator allows private networks: the receiver is on this machine. */
let t: TestKernel;

beforeAll(async () => {
  receiver = await TestReceiver.start();
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
  t = await startTestKernel({
    plugins: [tipsPlugin, rehearsalPlugin, createWebhooksPlugin({ resolveHost })],
    pluginConfig: { rehearsal: { lingerSeconds: 0 }, webhooks: { allowPrivateNetworks: true, maxEndpointsPerCreator: MAX_ENDPOINTS, retryDelaysMs: RETRY_DELAYS_MS, retryJitter: 0, timeoutMs: 5_000 } },
    logger,
  });
});
afterAll(async () => {
  await t?.stop();
  await receiver?.close();
});

function expectProblem(res: TestResponse, status: number, field?: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  if (field) expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
}

async function creator(kernel = t) {
  const { token, creator } = await kernel.createCreator();
  const addEndpoint = async (body: Record<string, unknown>): Promise<WebhookEndpointWithSecret> => {
    const res = await kernel.http.post('/api/webhooks', { token, body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    secrets.push(res.body.secret);
    return res.body;
  };
  const deliveries = async (endpointId: string, query = ''): Promise<WebhookDeliveryDto[]> => {
    const res = await kernel.http.get(`/api/webhooks/${endpointId}/deliveries${query}`, { token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.items;
  };
  const goLive = async () => (await kernel.http.post('/api/sessions', { token, body: { platform: 'chaturbate' } })).body.id as string;
  const tip = async (sessionId: string, amountCents: number) => {
    const res = await kernel.http.post('/api/tips', { token, body: { sessionId, amountCents, tipperName: 'fan', message: '<b>hi</b>' } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  };
  return { token, creatorId: creator.id, addEndpoint, deliveries, goLive, tip };
}

const verify = (request: { headers: Record<string, string | string[] | undefined>; body: string }, secret: string): WebhookEvent<any> =>
  verifyWebhook({ secret, headers: request.headers, body: request.body });

describe('deliveries', () => {
  it('a tip reaches the endpoint, signed: the SDK helper verifies it, and a tampered body or another secret fails', async () => {
    const c = await creator();
    const endpoint = await c.addEndpoint({ url: receiver.url('tips'), events: ['streaming.tip.received'], description: 'my bot' });
    expect(endpoint).toMatchObject({ active: true, events: ['streaming.tip.received'], description: 'my bot', secretHint: `whsec_…${endpoint.secret.slice(-4)}` });
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

    const sessionId = await c.goLive();
    const tipId = await c.tip(sessionId, 1_234);
    await expect.poll(() => receiver.to('tips').length).toBe(1);
    const [request] = receiver.to('tips');
    expect(request!.method).toBe('POST');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['user-agent']).toBe('StreamingCompanion-Webhooks/0.1.0');

    const event = verify(request!, endpoint.secret);
    expect(event).toMatchObject({ type: 'streaming.tip.received', data: { creatorId: c.creatorId, sessionId, tipId, amountCents: 1_234, source: 'manual' } });
    expect(request!.headers['webhook-id']).toBe(event.id);
    expect(Date.parse(event.timestamp)).not.toBeNaN();

    const tampered = request!.body.replace('1234', '9999');
    expect(() => verifyWebhook({ secret: endpoint.secret, headers: request!.headers, body: tampered })).toThrow(expect.objectContaining({ code: 'bad_signature' }));
    const other = await c.addEndpoint({ url: receiver.url('unused'), events: ['streaming.session.ended'] });
    expect(() => verify(request!, other.secret)).toThrow(WebhookVerificationError);

    await expect.poll(async () => (await c.deliveries(endpoint.id))[0]?.status).toBe('delivered');
    const [delivery] = await c.deliveries(endpoint.id);
    expect(delivery).toMatchObject({ eventType: 'streaming.tip.received', eventId: event.id, attempts: 1, lastResponseStatus: 200, lastError: null, nextAttemptAt: null });
    // An event the endpoint did not pick (the session start) went nowhere.
    await t.drain();
    expect(receiver.to('tips')).toHaveLength(1);
    expect(await c.deliveries(other.id)).toEqual([]);
  });

  it('connects to the address its lookup checked, not to a fresh one (a name only this resolver knows)', async () => {
    dns.set('receiver.webhooks.test', '127.0.0.1');
    const c = await creator();
    const endpoint = await c.addEndpoint({ url: receiver.url('pinned', 'receiver.webhooks.test'), events: ['streaming.session.started'] });
    await c.goLive();
    await expect.poll(() => receiver.to('pinned').length).toBe(1);
    expect(verify(receiver.to('pinned')[0]!, endpoint.secret).type).toBe('streaming.session.started');
  });

  it('retries a failed attempt with backoff: 500, 500, then 200 is delivered after 3 attempts, the log and the socket following', async () => {
    const c = await creator();
    const socket = await t.socket(c.token);
    const endpoint = await c.addEndpoint({ url: receiver.url('flaky'), events: ['streaming.tip.received'] });
    receiver.answer('flaky', 500, 500);
    const failedOnce = nextEvent(socket, webhookEvents.socket.webhook_delivery, { match: (d) => d.attempts === 1 });
    const delivered = nextEvent(socket, webhookEvents.socket.webhook_delivery, { match: (d) => d.status === 'delivered' });
    await c.tip(await c.goLive(), 500);

    expect(await failedOnce).toMatchObject({ status: 'pending', attempts: 1, lastResponseStatus: 500, lastError: expect.stringContaining('HTTP 500: receiver says no (500)') });
    expect(await delivered).toMatchObject({ attempts: 3, lastResponseStatus: 200, lastError: null });
    const requests = receiver.to('flaky');
    expect(requests).toHaveLength(3);
    // The same message each time: id and body; only the timestamp and signature are the attempt's.
    expect(new Set(requests.map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(new Set(requests.map((r) => r.body)).size).toBe(1);
    for (const request of requests) verify(request, endpoint.secret);
    expect(await c.deliveries(endpoint.id)).toMatchObject([{ status: 'delivered', attempts: 3, lastResponseStatus: 200 }]);
    socket.disconnect();
  });

  it('gives up after the last retry, and a redelivery sends the same event again with a fresh round', async () => {
    const c = await creator();
    const endpoint = await c.addEndpoint({ url: receiver.url('down'), events: ['streaming.tip.received'] });
    receiver.answer('down', ...Array(RETRY_DELAYS_MS.length + 1).fill(503));
    await c.tip(await c.goLive(), 700);
    await expect.poll(async () => (await c.deliveries(endpoint.id))[0]?.status).toBe('failed');
    const [failed] = await c.deliveries(endpoint.id);
    expect(failed).toMatchObject({ attempts: RETRY_DELAYS_MS.length + 1, lastResponseStatus: 503, nextAttemptAt: null, deliveredAt: null });
    expect(receiver.to('down')).toHaveLength(RETRY_DELAYS_MS.length + 1);
    expect(await c.deliveries(endpoint.id, '?status=failed')).toHaveLength(1);
    expect(await c.deliveries(endpoint.id, '?status=delivered')).toEqual([]);
    expect((await t.http.get(`/api/webhooks/${endpoint.id}`, { token: c.token })).body.consecutiveFailures).toBe(1);

    const redelivered = await t.http.post(`/api/webhooks/${endpoint.id}/deliveries/${failed!.id}/redeliver`, { token: c.token });
    expect(redelivered.status, JSON.stringify(redelivered.body)).toBe(202);
    expect(redelivered.body).toMatchObject({ id: failed!.id, status: 'pending' });
    await expect.poll(async () => (await c.deliveries(endpoint.id))[0]?.status).toBe('delivered');
    expect((await c.deliveries(endpoint.id))[0]).toMatchObject({ attempts: RETRY_DELAYS_MS.length + 2, lastResponseStatus: 200, eventId: failed!.eventId });
    const requests = receiver.to('down');
    expect(requests).toHaveLength(RETRY_DELAYS_MS.length + 2);
    expect(verify(requests.at(-1)!, endpoint.secret).id).toBe(failed!.eventId);
    expect((await t.http.get(`/api/webhooks/${endpoint.id}`, { token: c.token })).body.consecutiveFailures).toBe(0);

    // Redelivering one already delivered sends it once more; a retried request while it is pending queues nothing more.
    const again = await Promise.all([1, 2].map(() => t.http.post(`/api/webhooks/${endpoint.id}/deliveries/${failed!.id}/redeliver`, { token: c.token })));
    expect(again.map((r) => r.status)).toEqual([202, 202]);
    await t.drain();
    expect(receiver.to('down')).toHaveLength(RETRY_DELAYS_MS.length + 3);
  });

  it('a test ping goes through the same path: signed, logged, `webhook.test`', async () => {
    const c = await creator();
    const endpoint = await c.addEndpoint({ url: receiver.url('ping'), events: ['streaming.session.ended'] });
    const ping = await t.http.post(`/api/webhooks/${endpoint.id}/test`, { token: c.token });
    expect(ping.status, JSON.stringify(ping.body)).toBe(202);
    expect(ping.body).toMatchObject({ eventType: 'webhook.test', status: 'pending', attempts: 0 });
    await expect.poll(() => receiver.to('ping').length).toBe(1);
    const event = verify(receiver.to('ping')[0]!, endpoint.secret);
    expect(event).toMatchObject({ type: 'webhook.test', id: ping.body.eventId, data: { creatorId: c.creatorId, endpointId: endpoint.id } });
    await expect.poll(async () => (await c.deliveries(endpoint.id))[0]?.status).toBe('delivered');
  });

  it("skips a rehearsal's events (its tips are played, not received) and delivers the live session's", async () => {
    const c = await creator();
    const endpoint = await c.addEndpoint({ url: receiver.url('rehearsed'), events: ['streaming.tip.received', 'streaming.session.started', 'streaming.session.ended'] });
    const rehearsal = await t.http.post('/api/rehearsals', { token: c.token, body: { simulate: { tipCount: 2, durationSeconds: 5, seed: 1 }, speed: 5 } });
    expect(rehearsal.status, JSON.stringify(rehearsal.body)).toBe(201);
    await t.drain(); // played, its session ended: every event of it has been to the subscriber
    expect((await t.http.get(`/api/rehearsals/${rehearsal.body.id}`, { token: c.token })).body).toMatchObject({ status: 'finished', played: 2 });
    expect(await c.deliveries(endpoint.id)).toEqual([]);

    const sessionId = await c.goLive();
    await c.tip(sessionId, 700);
    await t.drain();
    const sent = receiver.to('rehearsed').map((request) => verify(request, endpoint.secret));
    expect(sent.map((event) => [event.type, event.data.sessionId]).sort()).toEqual([
      ['streaming.session.started', sessionId],
      ['streaming.tip.received', sessionId],
    ]);
    expect((await c.deliveries(endpoint.id)).map((d) => d.eventType).sort()).toEqual(['streaming.session.started', 'streaming.tip.received']);
  });
});

describe('endpoints', () => {
  it('never show the secret again: not in a list, a read, a change, nor in any log line', async () => {
    const c = await creator();
    const endpoint = await c.addEndpoint({ url: receiver.url('quiet'), events: ['streaming.tip.received'] });
    const answers = [
      await t.http.get('/api/webhooks', { token: c.token }),
      await t.http.get(`/api/webhooks/${endpoint.id}`, { token: c.token }),
      await t.http.patch(`/api/webhooks/${endpoint.id}`, { token: c.token, body: { description: 'renamed' } }),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(JSON.stringify(answer.body)).not.toContain(endpoint.secret.slice(6, 30));
      expect(JSON.stringify(answer.body)).not.toMatch(/"secret"/);
    }
    expect(answers[0]!.body.items).toEqual([expect.objectContaining({ id: endpoint.id, secretHint: endpoint.secretHint })]);
  });

  it('rotate the secret: shown once, and for a while deliveries are signed with the new and the old', async () => {
    const c = await creator();
    const endpoint = await c.addEndpoint({ url: receiver.url('rotated'), events: ['streaming.tip.received'] });
    const rotated = await t.http.post(`/api/webhooks/${endpoint.id}/rotate-secret`, { token: c.token });
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
    secrets.push(rotated.body.secret);
    expect(rotated.body.secret).not.toBe(endpoint.secret);
    expect(rotated.body.secretHint).toBe(`whsec_…${rotated.body.secret.slice(-4)}`);
    expect((await t.http.post(`/api/webhooks/${endpoint.id}/test`, { token: c.token })).status).toBe(202);
    await expect.poll(() => receiver.to('rotated').length).toBe(1);
    const [request] = receiver.to('rotated');
    expect(String(request!.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verify(request!, rotated.body.secret).type).toBe('webhook.test');
    expect(verify(request!, endpoint.secret).type).toBe('webhook.test');
  });

  it('change url, events and active: a switched-off endpoint gets nothing, not even a ping', async () => {
    const c = await creator();
    const endpoint = await c.addEndpoint({ url: receiver.url('before'), events: ['streaming.session.ended'] });
    const patched = await t.http.patch(`/api/webhooks/${endpoint.id}`, { token: c.token, body: { url: receiver.url('after'), events: ['streaming.tip.received', 'streaming.session.started'], description: '  ' } });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body).toMatchObject({ url: receiver.url('after'), events: ['streaming.tip.received', 'streaming.session.started'], description: null, active: true });
    const sessionId = await c.goLive();
    await expect.poll(() => receiver.to('after').length).toBe(1);

    expect((await t.http.patch(`/api/webhooks/${endpoint.id}`, { token: c.token, body: { active: false } })).body.active).toBe(false);
    await c.tip(sessionId, 100);
    const ping = await t.http.post(`/api/webhooks/${endpoint.id}/test`, { token: c.token });
    expectProblem(ping, 409);
    expect(ping.body.code).toBe('endpoint_inactive');
    await t.drain();
    expect(receiver.to('after')).toHaveLength(1);
    expect(receiver.to('before')).toHaveLength(0);
  });

  it('refuse bad input naming the field, events the server does not offer, and more endpoints than the limit', async () => {
    const c = await creator();
    expectProblem(await t.http.post('/api/webhooks', { token: c.token, body: { url: 'not a url', events: ['streaming.tip.received'] } }), 400, 'body.url');
    expectProblem(await t.http.post('/api/webhooks', { token: c.token, body: { url: receiver.url('x'), events: [] } }), 400, 'body.events');
    expectProblem(await t.http.post('/api/webhooks', { token: c.token, body: { url: receiver.url('x'), events: ['streaming.nope'] } }), 400, 'body.events.0');
    expectProblem(await t.http.post('/api/webhooks', { token: c.token, body: { url: receiver.url('x'), events: ['streaming.tip.received', 'streaming.tip.received'] } }), 400, 'body.events');
    expectProblem(await t.http.post('/api/webhooks', { token: c.token, body: { url: receiver.url('x'), events: ['streaming.tip.received'], secret: 'mine' } }), 400);
    // The goals plugin is not running here: its event is not offered.
    const notOffered = await t.http.post('/api/webhooks', { token: c.token, body: { url: receiver.url('x'), events: ['streaming.tip.received', 'streaming.goal.completed'] } });
    expectProblem(notOffered, 422, 'body.events.1');
    const types = await t.http.get('/api/webhooks/event-types', { token: c.token });
    expect(types.body.items.map((e: { type: string }) => e.type)).toEqual([
      'streaming.tip.received',
      'streaming.tip.voided',
      'streaming.session.started',
      'streaming.session.ended',
      'streaming.session.viewers',
      'streaming.chat.message',
    ]);
    expectProblem(await t.http.get('/api/webhooks/not-a-uuid', { token: c.token }), 400, 'params.id');
    expectProblem(await t.http.get('/api/webhooks/00000000-0000-4000-8000-000000000000/deliveries?status=lost', { token: c.token }), 400, 'query.status');

    for (let i = 0; i < MAX_ENDPOINTS; i++) await c.addEndpoint({ url: receiver.url(`many-${i}`), events: ['streaming.chat.message'] });
    const over = await t.http.post('/api/webhooks', { token: c.token, body: { url: receiver.url('one-more'), events: ['streaming.chat.message'] } });
    expectProblem(over, 409);
    expect(over.body).toMatchObject({ code: 'endpoint_limit', limit: MAX_ENDPOINTS });
    expect((await t.http.get('/api/webhooks', { token: c.token })).body.items).toHaveLength(MAX_ENDPOINTS);
  });

  it('delete an endpoint with its log: it is gone for its creator too', async () => {
    const c = await creator();
    const endpoint = await c.addEndpoint({ url: receiver.url('deleted'), events: ['streaming.session.started'] });
    await c.goLive();
    await expect.poll(async () => (await c.deliveries(endpoint.id)).length).toBe(1);
    expect((await t.http.delete(`/api/webhooks/${endpoint.id}`, { token: c.token })).status).toBe(204);
    expectProblem(await t.http.get(`/api/webhooks/${endpoint.id}`, { token: c.token }), 404);
    expectProblem(await t.http.get(`/api/webhooks/${endpoint.id}/deliveries`, { token: c.token }), 404);
    expectProblem(await t.http.delete(`/api/webhooks/${endpoint.id}`, { token: c.token }), 404);
  });

  it("another creator gets 404 on every route naming one's endpoint or delivery, and changes nothing", async () => {
    const a = await creator();
    const endpoint = await a.addEndpoint({ url: receiver.url('owned'), events: ['streaming.session.started'] });
    await a.goLive();
    await expect.poll(async () => (await a.deliveries(endpoint.id))[0]?.status).toBe('delivered');
    const [delivery] = await a.deliveries(endpoint.id);
    const before = (await t.http.get(`/api/webhooks/${endpoint.id}`, { token: a.token })).body;

    const b = await creator();
    const base = `/api/webhooks/${endpoint.id}`;
    const attempts: Array<[keyof TestKernel['http'], string, unknown?]> = [
      ['get', base],
      ['patch', base, { active: false, url: receiver.url('stolen') }],
      ['post', `${base}/rotate-secret`],
      ['post', `${base}/test`],
      ['get', `${base}/deliveries`],
      ['post', `${base}/deliveries/${delivery!.id}/redeliver`],
      ['delete', base],
    ];
    for (const [method, path, body] of attempts) {
      const res = await t.http[method](path, { token: b.token, body });
      expectProblem(res, 404);
      expect(JSON.stringify(res.body)).not.toContain(receiver.url('owned'));
    }
    // B's own endpoint cannot reach A's delivery either.
    const mine = await b.addEndpoint({ url: receiver.url('mine'), events: ['streaming.tip.received'] });
    expectProblem(await t.http.post(`/api/webhooks/${mine.id}/deliveries/${delivery!.id}/redeliver`, { token: b.token }), 404);
    expect((await t.http.get('/api/webhooks', { token: b.token })).body.items.map((e: { id: string }) => e.id)).toEqual([mine.id]);

    await t.drain();
    expect((await t.http.get(`/api/webhooks/${endpoint.id}`, { token: a.token })).body).toEqual(before);
    expect(await a.deliveries(endpoint.id)).toEqual([delivery]);
    expect(receiver.to('owned')).toHaveLength(1);
    expect(receiver.to('stolen')).toHaveLength(0);
  });

  it('has migrations that match its entities', async () => {
    expect(await t.schemaDiff()).toBe('');
  });

  it('logged no signing secret, whole or in part', async () => {
    await t.drain();
    expect(secrets.length).toBeGreaterThan(5);
    const log = lines.join('\n');
    expect(log).toContain('webhook');
    for (const secret of secrets) {
      expect(log).not.toContain(secret);
      expect(log).not.toContain(secret.slice(6, 26));
    }
  });
});

describe('the SSRF guard, with the default config', () => {
  let strict: TestKernel;
  beforeAll(async () => {
    strict = await startTestKernel({ plugins: [tipsPlugin, createWebhooksPlugin({ resolveHost })], pluginConfig: { webhooks: { retryDelaysMs: [], timeoutMs: 5_000, disableAfterFailures: 2 } } });
  });
  afterAll(() => strict?.stop());

  it('refuses at save URLs that are not https, or whose host is or resolves to a loopback, private, link-local or reserved address', async () => {
    dns.set('intranet.webhooks.test', '10.0.0.5');
    dns.set('sneaky.webhooks.test', '::ffff:169.254.169.254');
    const c = await creator(strict);
    for (const url of [
      receiver.url('plain-http'),
      'http://hooks.example.com/',
      'https://127.0.0.1/hooks',
      'https://127.1/hooks',
      'https://[::1]/hooks',
      'https://[::ffff:127.0.0.1]/hooks',
      'https://10.1.2.3/hooks',
      'https://172.16.0.1/hooks',
      'https://192.168.1.1/hooks',
      'https://100.64.0.1/hooks',
      'https://169.254.169.254/latest/meta-data/',
      'https://0.0.0.0/hooks',
      'https://[fd00::1]/hooks',
      'https://[fe80::1]/hooks',
      'https://224.0.0.1/hooks',
      'https://localhost/hooks',
      'https://api.localhost/hooks',
      'https://intranet.webhooks.test/hooks',
      'https://sneaky.webhooks.test/hooks',
      'https://unknown.webhooks.test/hooks',
      'https://user:pass@hooks.example.com/',
    ]) {
      const res = await strict.http.post('/api/webhooks', { token: c.token, body: { url, events: ['streaming.tip.received'] } });
      expectProblem(res, 422, 'body.url');
      expect(res.body.errors[0].message, url).toMatch(/https|loopback|private|local|resolved|user name/);
    }
    expect((await strict.http.get('/api/webhooks', { token: c.token })).body.items).toEqual([]);
  });

  it('checks the host again at every attempt: one that resolves privately by then is not sent to', async () => {
    dns.set('rebinding.webhooks.test', '93.184.215.14');
    const c = await creator(strict);
    const endpoint = await c.addEndpoint({ url: `https://rebinding.webhooks.test:${receiver.port}/rebound`, events: ['streaming.tip.received'] });
    const patched = await strict.http.patch(`/api/webhooks/${endpoint.id}`, { token: c.token, body: { url: 'https://169.254.169.254/' } });
    expectProblem(patched, 422, 'body.url');

    dns.set('rebinding.webhooks.test', '127.0.0.1');
    const connectionsBefore = receiver.connections;
    expect((await strict.http.post(`/api/webhooks/${endpoint.id}/test`, { token: c.token })).status).toBe(202);
    await expect.poll(async () => (await c.deliveries(endpoint.id))[0]?.status).toBe('failed');
    const [delivery] = await c.deliveries(endpoint.id);
    expect(delivery).toMatchObject({ attempts: 1, lastResponseStatus: null, lastError: expect.stringMatching(/^not sent: the URL must not point at rebinding\.webhooks\.test: .*127\.0\.0\.1/) });
    expect(receiver.connections).toBe(connectionsBefore);
  });

  it('switches an endpoint off after disableAfterFailures deliveries failed in a row; switching it on again forgives them', async () => {
    dns.set('gone.webhooks.test', '93.184.215.14');
    const c = await creator(strict);
    const endpoint = await c.addEndpoint({ url: 'https://gone.webhooks.test/hooks', events: ['streaming.tip.received'] });
    dns.set('gone.webhooks.test', '10.9.9.9');
    const sessionId = await c.goLive();
    for (const amount of [100, 200]) await c.tip(sessionId, amount);
    await expect.poll(async () => (await strict.http.get(`/api/webhooks/${endpoint.id}`, { token: c.token })).body).toMatchObject({
      active: false,
      consecutiveFailures: 2,
      disabledReason: 'switched off after 2 failed deliveries in a row',
    });
    await c.tip(sessionId, 300);
    await strict.drain();
    expect((await c.deliveries(endpoint.id)).map((d) => d.status)).toEqual(['failed', 'failed']);

    const on = await strict.http.patch(`/api/webhooks/${endpoint.id}`, { token: c.token, body: { active: true } });
    expect(on.body).toMatchObject({ active: true, consecutiveFailures: 0, disabledReason: null });
  });
});

describe('the delivery log', () => {
  const clock = createManualClock();
  let timed: TestKernel;
  beforeAll(async () => {
    timed = await startTestKernel({
      plugins: [tipsPlugin, createWebhooksPlugin({ resolveHost })],
      pluginConfig: { webhooks: { allowPrivateNetworks: true, keepDeliveriesDays: 30, sweepEveryMs: 100 } },
      clock,
    });
  });
  afterAll(() => timed?.stop());

  it('lets settled deliveries go after keepDeliveriesDays', async () => {
    const c = await creator(timed);
    const endpoint = await c.addEndpoint({ url: receiver.url('pruned'), events: ['streaming.session.ended'] });
    const ping = async () => {
      const res = await timed.http.post(`/api/webhooks/${endpoint.id}/test`, { token: c.token });
      expect(res.status).toBe(202);
      await expect.poll(async () => (await c.deliveries(endpoint.id)).find((d) => d.id === res.body.id)?.status).toBe('delivered');
      return res.body.id as string;
    };
    const old = await ping();
    clock.advance(31 * 86_400_000);
    const recent = await ping();
    await expect.poll(async () => (await c.deliveries(endpoint.id)).map((d) => d.id)).toEqual([recent]);
    expect(old).not.toBe(recent);
  });
});
