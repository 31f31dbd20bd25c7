import { definePlugin, kernelEvents, type Plugin } from '@streaming-companion/sdk';
import { nextEvent, startTestKernel, type TestKernel, type TestSocket } from '@streaming-companion/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Two kernels on one database and one Redis prefix, as two `apps/server` instances
 * behind a load balancer: sockets on either see what happens through the other, and a
 * domain event is handled once across both (by the instance that committed it).
 */

interface Handled {
  instance: 'A' | 'B';
  eventId: string;
  sessionId: string;
}

/** The same plugin (same id, same subscription, so the same queue) as each instance would load it. */
function sessionStartedProbe(instance: 'A' | 'B', handled: Handled[]): Plugin {
  return definePlugin({
    id: 'started-probe',
    version: '0.0.0',
    engine: '^0.1.0',
    setup(ctx) {
      ctx.events.on(kernelEvents.domain['streaming.session.started'], (event) => {
        handled.push({ instance, eventId: event.id, sessionId: event.payload.sessionId });
      });
    },
  });
}

describe.skipIf(!process.env.REDIS_URL || !process.env.DATABASE_URL)('two instances on one database and Redis', () => {
  const handled: Handled[] = [];
  let a: TestKernel;
  let b: TestKernel;

  beforeAll(async () => {
    a = await startTestKernel({ plugins: [sessionStartedProbe('A', handled)] });
    b = await startTestKernel({ plugins: [sessionStartedProbe('B', handled)], shareWith: a });
  });
  afterAll(async () => {
    // B first: A owns the database and drops it.
    await b?.stop();
    await a?.stop();
  });

  async function startSession(on: TestKernel, token: string): Promise<string> {
    const started = await on.http.post('/api/sessions', { token, body: { platform: 'stripchat', title: 'Two instances' } });
    expect(started.status).toBe(201);
    return started.body.id as string;
  }

  async function joinOverlay(socket: TestSocket, payload: { sessionId: string } | { overlayKey: string }): Promise<void> {
    const ack = await socket.emitWithAck('join_overlay', payload);
    expect(ack).toEqual({ ok: true, data: null });
  }

  it('is really two servers', () => {
    expect(a.url).not.toBe(b.url);
  });

  it('a token from A works on B, and sockets on either see viewer updates sent to the other', async () => {
    const { token, creator } = await a.createCreator();
    const sessionId = await startSession(b, token);

    const fromA = await a.http.get(`/api/sessions/${sessionId}`, { token });
    expect(fromA.status).toBe(200);
    expect(fromA.body).toMatchObject({ id: sessionId, creatorId: creator.id, status: 'active' });

    const creatorOnA = await a.socket(token);
    const joined = await creatorOnA.emitWithAck('join_session', { sessionId });
    expect(joined).toMatchObject({ ok: true, data: { id: sessionId } });
    const overlayOnB = await b.overlaySocket();
    await joinOverlay(overlayOnB, { sessionId });

    // A -> overlay on B. Matched on content: broadcasts travel through Redis, so one sent
    // before a socket joined (the session start) can still reach it afterwards.
    const seenOnB = nextEvent(overlayOnB, 'session_updated', { match: (u) => u.viewerCount === 42 });
    const ackOnA = await creatorOnA.emitWithAck('update_viewers', { sessionId, viewerCount: 42 });
    expect(ackOnA).toMatchObject({ ok: true, data: { sessionId, viewerCount: 42, peakViewers: 42 } });
    expect(await seenOnB).toMatchObject({ sessionId, viewerCount: 42, peakViewers: 42, status: 'active' });

    // B -> creator socket on A (and the overlay on B)
    const creatorOnB = await b.socket(token);
    const seenOnA = nextEvent(creatorOnA, 'session_updated', { match: (u) => u.viewerCount === 7 });
    const seenOnBAgain = nextEvent(overlayOnB, 'session_updated', { match: (u) => u.viewerCount === 7 });
    const ackOnB = await creatorOnB.emitWithAck('update_viewers', { sessionId, viewerCount: 7 });
    expect(ackOnB).toMatchObject({ ok: true, data: { sessionId, viewerCount: 7, peakViewers: 42 } });
    expect(await seenOnA).toMatchObject({ sessionId, viewerCount: 7, peakViewers: 42 });
    expect(await seenOnBAgain).toMatchObject({ sessionId, viewerCount: 7, peakViewers: 42 });
  });

  it('an overlay joined by key on B follows a session started through A, and rotating the key on A cuts it off, and one joined by session id', async () => {
    const { token } = await a.createCreator();
    const key = await a.http.get('/api/overlay-key', { token });
    expect(key.status).toBe(200);
    const overlayKey = key.body.overlayKey as string;

    const keyedOverlayOnB = await b.overlaySocket();
    await joinOverlay(keyedOverlayOnB, { overlayKey });

    const announced = nextEvent<{ sessionId: string; status: string }>(keyedOverlayOnB, 'session_updated');
    const sessionId = await startSession(a, token);
    expect(await announced).toMatchObject({ sessionId, status: 'active', viewerCount: 0 });

    // It now sits in that session's room on B: updates sent through A reach it.
    const creatorOnA = await a.socket(token);
    expect((await creatorOnA.emitWithAck('join_session', { sessionId })).ok).toBe(true);
    const update = nextEvent(keyedOverlayOnB, 'session_updated', { match: (u) => u.viewerCount === 3 });
    expect((await creatorOnA.emitWithAck('update_viewers', { sessionId, viewerCount: 3 })).ok).toBe(true);
    expect(await update).toMatchObject({ sessionId, viewerCount: 3 });

    // An overlay on B that joined by session id is cut off too: rotation ends every overlay of the creator.
    const sessionOverlayOnB = await b.overlaySocket();
    await joinOverlay(sessionOverlayOnB, { sessionId });

    const cutOff = nextEvent<string>(keyedOverlayOnB, 'disconnect');
    const sessionCutOff = nextEvent<string>(sessionOverlayOnB, 'disconnect');
    const rotated = await a.http.post('/api/overlay-key/rotate', { token });
    expect(rotated.status).toBe(200);
    expect(rotated.body.overlayKey).not.toBe(overlayKey);
    expect(await cutOff).toBe('io server disconnect');
    expect(await sessionCutOff).toBe('io server disconnect');
    expect(keyedOverlayOnB.connected).toBe(false);

    // The old key no longer joins, on either instance.
    const again = await b.overlaySocket();
    const refused = await again.emitWithAck('join_overlay', { overlayKey });
    expect(refused).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('a domain event published on A is handled exactly once across both instances', async () => {
    const sessionIds: string[] = [];
    for (let i = 0; i < 4; i++) {
      const { token } = await a.createCreator();
      sessionIds.push(await startSession(a, token));
    }
    await a.drain();
    await b.drain();

    for (const sessionId of sessionIds) {
      const runs = handled.filter((h) => h.sessionId === sessionId);
      expect(runs, `session.started for ${sessionId}`).toHaveLength(1);
    }
    const eventIds = handled.filter((h) => sessionIds.includes(h.sessionId)).map((h) => h.eventId);
    expect(new Set(eventIds).size).toBe(sessionIds.length);
  });
});

describe.skipIf(!process.env.REDIS_URL || !process.env.DATABASE_URL)('test kernels on Redis', () => {
  it('leave no key under their prefix once the one that made it stops', async () => {
    const a = await startTestKernel({ plugins: [sessionStartedProbe('A', [])] });
    const b = await startTestKernel({ plugins: [sessionStartedProbe('B', [])], shareWith: a });
    const prefix = a.kernel.redisPrefix;
    const redis = new Redis(process.env.REDIS_URL!);
    try {
      const { token } = await b.createCreator();
      expect((await b.http.post('/api/sessions', { token, body: { platform: 'stripchat' } })).status).toBe(201);
      await b.drain();
      expect(await redis.keys(`${prefix}:*`)).not.toEqual([]);
      // The second shares the first's prefix: it leaves the keys to it.
      await b.stop();
      expect(await redis.keys(`${prefix}:*`)).not.toEqual([]);
      await a.stop();
      expect(await redis.keys(`${prefix}:*`)).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });
});
