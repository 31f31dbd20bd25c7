import { randomUUID } from 'node:crypto';
import { defineEvents, definePlugin, type JobRef, type JobRegistrar } from '@streaming-companion/sdk';
import { nextEvent, startTestKernel, type TestKernel, type TestSocket } from '@streaming-companion/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

/** What the probe plugin hands back from `setup`, so tests can drive its jobs. */
interface Probe {
  jobs: JobRegistrar;
  countJob: JobRef<{ n: number }>;
  flakyJob: JobRef<{ label: string }>;
  counted: Array<{ n: number; jobId: string; attempt: number }>;
  flakyAttempts: Array<{ label: string; attempt: number }>;
  /** Every payload the socket handler was called with. */
  echoed: string[];
}

const stopOrder: string[] = [];
const probe = {} as Probe;

const Item = z.object({ itemId: z.uuid(), x: z.string(), y: z.int(), creatorId: z.uuid() });

/** The probe's own events: one for `/streaming` only, one OBS overlays receive too, and a command. */
const probeEvents = defineEvents('sdk-probe', {
  socket: {
    probe_chat: z.object({ sessionId: z.uuid(), personaName: z.string(), responseText: z.string() }),
    probe_animation: z.object({ sessionId: z.uuid(), type: z.enum(['confetti', 'hearts']), metadata: z.record(z.string(), z.unknown()).optional() }),
  },
  overlay: ['probe_animation'],
  commands: { sdk_probe_echo: z.object({ sessionId: z.uuid().optional(), text: z.string().min(1).max(10) }) },
});

/** A plugin using the SDK surface: routes, a socket event, jobs, realtime, stop hooks. */
const probePlugin = definePlugin({
  id: 'sdk-probe',
  version: '1.0.0',
  engine: '^0.1.0',
  events: probeEvents,
  setup(ctx) {
    ctx.http.post(
      '/api/sdk-probe/items/:itemId',
      {
        auth: 'creator',
        summary: 'Echo an item',
        params: z.object({ itemId: z.uuid() }),
        query: z.object({ y: z.coerce.number().int().min(1) }),
        body: z.object({ x: z.string().min(1).max(20) }),
        response: Item,
        status: 201,
      },
      (req) => ({ itemId: req.params.itemId, x: req.body.x, y: req.query.y, creatorId: req.creator.id }),
    );
    ctx.http.get('/api/sdk-probe/public', { auth: 'public', response: z.object({ hello: z.string(), signedIn: z.boolean() }) }, (req) => ({
      hello: 'viewer',
      signedIn: req.creator !== null,
    }));
    ctx.http.post('/api/sdk-probe/accepted', { auth: 'creator', response: z.object({ queued: z.literal(true) }) }, (req) => {
      req.reply.status(202);
      req.reply.header('x-probe', 'queued');
      return { queued: true as const };
    });
    ctx.http.post(
      '/api/sdk-probe/sessions/:sessionId/broadcast',
      { auth: 'creator', params: z.object({ sessionId: z.uuid() }), status: 204 },
      (req) => {
        const target = ctx.realtime.toSession(req.params.sessionId);
        // Only on /streaming; the overlay must never see it.
        target.emit(probeEvents.socket.probe_chat, { sessionId: req.params.sessionId, personaName: 'Probe', responseText: 'hi chat' });
        // On both namespaces.
        target.emit(probeEvents.socket.probe_animation, { sessionId: req.params.sessionId, type: 'confetti', metadata: { from: 'probe' } });
      },
    );

    ctx.socket.on(probeEvents.commands.sdk_probe_echo, (payload, socket) => {
      probe.echoed.push(payload.text);
      return { echoed: payload.text.toUpperCase(), creatorId: socket.creator.id };
    });

    probe.echoed = [];
    probe.counted = [];
    probe.flakyAttempts = [];
    probe.jobs = ctx.jobs;
    probe.countJob = ctx.jobs.define('count', z.object({ n: z.int() }), (data, job) => {
      probe.counted.push({ n: data.n, jobId: job.jobId, attempt: job.attempt });
    });
    probe.flakyJob = ctx.jobs.define(
      'flaky',
      z.object({ label: z.string() }),
      (data, job) => {
        probe.flakyAttempts.push({ label: data.label, attempt: job.attempt });
        if (job.attempt === 1) throw new Error('first attempt fails');
      },
      { attempts: 3, backoff: { type: 'fixed', delayMs: 10 } },
    );

    ctx.onStop(() => void stopOrder.push('sdk-probe:first'));
    ctx.onStop(async () => {
      stopOrder.push('sdk-probe:second');
    });
  },
});

/** Depends on the probe (its events), so it is set up after it and stopped before it. */
const dependentPlugin = definePlugin({
  id: 'sdk-probe-dependent',
  version: '1.0.0',
  engine: '^0.1.0',
  deps: { probe: probeEvents },
  setup(ctx) {
    ctx.onStop(() => void stopOrder.push('sdk-probe-dependent'));
  },
});

let t: TestKernel;
let token: string;
let creatorId: string;
beforeAll(async () => {
  // Listed dependent-first on purpose: the kernel orders them.
  t = await startTestKernel({ plugins: [dependentPlugin, probePlugin] });
  ({ token, creator: { id: creatorId } } = await t.createCreator());
});
afterAll(() => t?.stop());

describe('HTTP routes', () => {
  const itemPath = (itemId: string, y: string) => `/api/sdk-probe/items/${itemId}?y=${y}`;

  it('validates params, query and body and hands the handler typed values', async () => {
    const itemId = randomUUID();
    const response = await t.http.post(itemPath(itemId, '3'), { token, body: { x: 'hello' } });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ itemId, x: 'hello', y: 3, creatorId });
  });

  it('answers bad input with a 400 problem naming the field and the rule', async () => {
    const badBody = await t.http.post(itemPath(randomUUID(), '3'), { token, body: { x: '' } });
    expect(badBody.status).toBe(400);
    expect(badBody.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(badBody.body).toMatchObject({ status: 400, code: 'validation_failed', errors: [{ field: 'body.x', rule: 'too_small' }] });
    expect(badBody.body.detail).toContain('body.x');

    const badQuery = await t.http.post(itemPath(randomUUID(), '0'), { token, body: { x: 'ok' } });
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.errors).toEqual([expect.objectContaining({ field: 'query.y', rule: 'too_small' })]);

    const badParams = await t.http.post(itemPath('not-a-uuid', '1'), { token, body: { x: 'ok' } });
    expect(badParams.status).toBe(400);
    expect(badParams.body.errors).toEqual([expect.objectContaining({ field: 'params.itemId' })]);

    const everything = await t.http.post(itemPath('not-a-uuid', '0'), { token, body: { x: '' } });
    expect(everything.status).toBe(400);
    expect(everything.body.errors.map((e: { field: string }) => e.field)).toEqual(['params.itemId', 'query.y', 'body.x']);

    const missingBody = await t.http.post(itemPath(randomUUID(), '1'), { token });
    expect(missingBody.status).toBe(400);
    expect(JSON.stringify(missingBody.body)).not.toMatch(/at .*\.ts:\d+/);
  });

  it('refuses a creator route without a valid token, and serves a public route to anyone', async () => {
    const anonymous = await t.http.post(itemPath(randomUUID(), '1'), { body: { x: 'ok' } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(anonymous.body).toMatchObject({ status: 401, code: 'unauthorized' });
    expect((await t.http.post(itemPath(randomUUID(), '1'), { token: 'not-a-token', body: { x: 'ok' } })).status).toBe(401);

    expect(await t.http.get('/api/sdk-probe/public')).toMatchObject({ status: 200, body: { hello: 'viewer', signedIn: false } });
    expect(await t.http.get('/api/sdk-probe/public', { token })).toMatchObject({ status: 200, body: { signedIn: true } });
    // A public route ignores a bad token rather than refusing the viewer.
    expect(await t.http.get('/api/sdk-probe/public', { token: 'stale' })).toMatchObject({ status: 200, body: { signedIn: false } });
  });

  it('lets a handler choose the success status and set headers', async () => {
    const response = await t.http.post('/api/sdk-probe/accepted', { token });
    expect(response.status).toBe(202);
    expect(response.headers.get('x-probe')).toBe('queued');
    expect(response.body).toEqual({ queued: true });
  });
});

describe('socket events', () => {
  let socket: TestSocket;
  beforeAll(async () => {
    socket = await t.socket(token);
  });

  it('acknowledges a handled event with { ok: true, data }', async () => {
    expect(await socket.emitWithAck('sdk_probe_echo', { text: 'hey' })).toEqual({ ok: true, data: { echoed: 'HEY', creatorId } });
    expect(probe.echoed).toContain('hey');
  });

  it('answers a bad payload with the `error` event and a failed ack, without calling the handler', async () => {
    const sessionId = randomUUID();
    const error = nextEvent<{ message: string; code: string; sessionId?: string }>(socket, 'error');
    const ack = await socket.emitWithAck('sdk_probe_echo', { sessionId, text: 'far too long for it' });
    expect(ack).toMatchObject({ ok: false, error: { code: 'validation_failed', errors: [expect.objectContaining({ field: 'text', rule: 'too_big' })] } });
    const payload = await error;
    expect(payload).toEqual({ message: expect.stringContaining('text'), code: 'validation_failed', sessionId });
    expect(probe.echoed).not.toContain('far too long for it');
  });
});

describe('jobs', () => {
  it('runs a job enqueued twice with one jobId once', async () => {
    const jobId = `count-${randomUUID()}`;
    await probe.jobs.enqueue(probe.countJob, { n: 7 }, { jobId });
    await probe.jobs.enqueue(probe.countJob, { n: 8 }, { jobId });
    await t.drain();
    expect(probe.counted.filter((run) => run.jobId === jobId)).toEqual([{ n: 7, jobId, attempt: 1 }]);

    // Still deduplicated after it has run.
    await probe.jobs.enqueue(probe.countJob, { n: 9 }, { jobId });
    await t.drain();
    expect(probe.counted.filter((run) => run.jobId === jobId)).toHaveLength(1);
  });

  it('refuses job data that breaks the job schema', async () => {
    await expect(probe.jobs.enqueue(probe.countJob, { n: 1.5 })).rejects.toThrow(/expected int/i);
  });

  it('retries a failing job until it succeeds', async () => {
    const label = randomUUID();
    await probe.jobs.enqueue(probe.flakyJob, { label });
    await t.drain();
    expect(probe.flakyAttempts.filter((a) => a.label === label)).toEqual([
      { label, attempt: 1 },
      { label, attempt: 2 },
    ]);
  });
});

describe('realtime', () => {
  it('sends a plain socket event to the session room on /streaming only, an overlay event to both namespaces', async () => {
    const session = await t.http.post('/api/sessions', { token, body: { platform: 'chaturbate', title: 'SDK probe' } });
    expect(session.status).toBe(201);
    const sessionId: string = session.body.id;
    // The start's session_updated is delivered after commit; let it go by before listening.
    await t.drain();

    const creatorSocket = await t.socket(token);
    expect(await creatorSocket.emitWithAck('join_session', { sessionId })).toMatchObject({ ok: true });
    const overlay = await t.overlaySocket();
    expect(await overlay.emitWithAck('join_overlay', { sessionId })).toMatchObject({ ok: true });
    // A socket of the same creator that joined no session hears nothing about it.
    const bystander = await t.socket(token);
    const bystanderEvents: string[] = [];
    bystander.onAny((event: string) => bystanderEvents.push(event));

    const overlayEvents: string[] = [];
    overlay.onAny((event: string) => overlayEvents.push(event));
    const chat = nextEvent(creatorSocket, probeEvents.socket.probe_chat);
    const creatorAnimation = nextEvent(creatorSocket, probeEvents.socket.probe_animation);
    const overlayAnimation = nextEvent(overlay, probeEvents.socket.probe_animation);

    expect((await t.http.post(`/api/sdk-probe/sessions/${sessionId}/broadcast`, { token })).status).toBe(204);

    expect(await chat).toEqual({ sessionId, personaName: 'Probe', responseText: 'hi chat' });
    const animation = { sessionId, type: 'confetti', metadata: { from: 'probe' } };
    expect(await creatorAnimation).toEqual(animation);
    expect(await overlayAnimation).toEqual(animation);
    // probe_chat was emitted first: had the overlay been sent it, it would have arrived before this.
    expect(overlayEvents).toEqual(['probe_animation']);

    // The bystander is in the creator's room, not the session's: a round trip on its own
    // connection, after the broadcast was delivered, shows nothing was queued for it.
    expect(await bystander.emitWithAck('sdk_probe_echo', { text: 'ping' })).toMatchObject({ ok: true });
    expect(bystanderEvents).toEqual([]);
  });
});

describe('the OpenAPI document', () => {
  it('lists the plugin routes next to the core routes', async () => {
    const response = await t.http.get('/api/docs/openapi.json');
    expect(response.status).toBe(200);
    const paths = response.body.paths as Record<string, Record<string, any>>;
    expect(Object.keys(paths)).toEqual(expect.arrayContaining(['/api/sdk-probe/items/{itemId}', '/api/sdk-probe/public', '/api/sessions', '/api/auth/login']));
    const itemRoute = paths['/api/sdk-probe/items/{itemId}']!.post;
    expect(itemRoute.summary).toBe('Echo an item');
    expect(itemRoute.parameters.map((p: { name: string; in: string }) => `${p.in}.${p.name}`).sort()).toEqual(['path.itemId', 'query.y']);
    expect(Object.keys(itemRoute.responses)).toContain('201');
    expect(paths['/api/sessions']!.post).toBeDefined();
    expect(paths['/api/auth/login']!.post).toBeDefined();
  });

  it('serves the docs page as HTML', async () => {
    const response = await t.http.get('/api/docs');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.body).toMatch(/<html/i);
    expect(response.body).toContain('id="swagger-ui"');
    // The page's script points Swagger UI at the document above.
    const init = await t.http.get('/api/docs/assets/init.js');
    expect(init.status).toBe(200);
    expect(init.body).toContain('/api/docs/openapi.json');
  });
});

describe('stopping', () => {
  // Last in the file: it stops the shared kernel.
  it('runs onStop hooks in reverse plugin order (and each plugin\'s in reverse registration order)', async () => {
    expect(stopOrder).toEqual([]);
    await t.stop();
    expect(stopOrder).toEqual(['sdk-probe-dependent', 'sdk-probe:second', 'sdk-probe:first']);
  });
});
