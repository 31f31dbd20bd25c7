import { randomBytes, randomUUID } from 'node:crypto';
import type { StreamSessionUpdate } from '@streaming-companion/sdk';
import { nextEvent, startTestKernel, type TestKernel, type TestSocket } from '@streaming-companion/testing';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kernel } from '../src/kernel.ts';

let t: TestKernel;
beforeAll(async () => {
  t = await startTestKernel({ loginLimits: { failuresPerAccountAddress: 5, failuresPerAddress: 1_000, windowSeconds: 60 } });
});
afterAll(() => t?.stop());

interface Ack {
  ok: boolean;
  data?: any;
  error?: { code: string; message: string; errors?: Array<{ field: string; rule: string; message: string }> };
}
interface SocketError {
  message: string;
  code: string;
  sessionId?: string;
}

/** Emit with an acknowledgement; a missing ack fails the test instead of hanging it. */
function send(socket: TestSocket, event: string, payload: unknown): Promise<Ack> {
  return socket.timeout(10_000).emitWithAck(event, payload) as Promise<Ack>;
}

/** Emit, and collect both the ack and the `error` event that must come with a refusal. */
async function refused(socket: TestSocket, event: string, payload: unknown): Promise<{ ack: Ack; error: SocketError }> {
  const error = nextEvent<SocketError>(socket, 'error');
  const ack = await send(socket, event, payload);
  expect(ack.ok).toBe(false);
  return { ack, error: await error };
}

/** Every `session_updated` a socket receives, from now on, in order. */
function record(socket: TestSocket): StreamSessionUpdate[] {
  const seen: StreamSessionUpdate[] = [];
  socket.on('session_updated', (u: StreamSessionUpdate) => seen.push(u));
  return seen;
}

/** The next `session_updated` matching `match` (earlier non-matching ones are skipped). */
function nextUpdate(socket: TestSocket, match: (u: StreamSessionUpdate) => boolean, timeoutMs = 10_000): Promise<StreamSessionUpdate> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off('session_updated', on);
      reject(new Error('no matching session_updated event'));
    }, timeoutMs);
    const on = (u: StreamSessionUpdate) => {
      if (!match(u)) return;
      clearTimeout(timer);
      socket.off('session_updated', on);
      resolve(u);
    };
    socket.on('session_updated', on);
  });
}

async function creatorWithSession(platform = 'chaturbate') {
  const { token, creator } = await t.createCreator();
  const res = await t.http.post('/api/sessions', { token, body: { platform } });
  expect(res.status).toBe(201);
  return { token, creator, sessionId: res.body.id as string };
}

async function getSession(token: string, id: string) {
  const res = await t.http.get(`/api/sessions/${id}`, { token });
  expect(res.status).toBe(200);
  return res.body;
}

describe('/streaming', () => {
  it('refuses a connection without a valid token', async () => {
    await expect(t.socket('not-a-token')).rejects.toThrow(/unauthorized/);
  });

  it('join_session: own session acks ok; another creator’s session acks ok:false with an error event, and joins nothing', async () => {
    const a = await creatorWithSession();
    const b = await creatorWithSession('stripchat');
    const sa = await t.socket(a.token);
    const sb = await t.socket(b.token);

    const joined = await send(sa, 'join_session', { sessionId: a.sessionId });
    expect(joined).toMatchObject({ ok: true, data: { id: a.sessionId, creatorId: a.creator.id, status: 'active' } });

    const seenByB = record(sb);
    const { ack, error } = await refused(sb, 'join_session', { sessionId: a.sessionId });
    expect(ack.error?.code).toBe('not_found');
    expect(error).toEqual({ message: expect.any(String), code: 'not_found', sessionId: a.sessionId });

    // A's update reaches A; then B's own update reaches B. Had B joined A's room, A's update would have come first.
    const toA = nextUpdate(sa, (u) => u.sessionId === a.sessionId && u.viewerCount === 3);
    expect((await send(sa, 'update_viewers', { sessionId: a.sessionId, viewerCount: 3 })).ok).toBe(true);
    await toA;
    expect((await send(sb, 'join_session', { sessionId: b.sessionId })).ok).toBe(true);
    const toB = nextUpdate(sb, (u) => u.sessionId === b.sessionId);
    expect((await send(sb, 'update_viewers', { sessionId: b.sessionId, viewerCount: 4 })).ok).toBe(true);
    await toB;
    expect(seenByB.map((u) => u.sessionId)).toEqual([b.sessionId]);

    // B cannot report viewers on A's session either.
    const upd = await refused(sb, 'update_viewers', { sessionId: a.sessionId, viewerCount: 999 });
    expect(upd.error.code).toBe('not_found');
    expect(await getSession(a.token, a.sessionId)).toMatchObject({ viewerCount: 3, peakViewers: 3 });
  });

  it('tells every /streaming client of the creator when a session starts or ends, joined or not, each socket once', async () => {
    const { token } = await t.createCreator();
    const elsewhere = await t.socket(token); // a dashboard on another device, in no session room
    const joined = await t.socket(token);
    const stranger = await t.socket((await t.createCreator()).token);
    const strangerSaw = record(stranger);

    const started = nextUpdate(elsewhere, (u) => u.status === 'active');
    const res = await t.http.post('/api/sessions', { token, body: { platform: 'stripchat' } });
    const sessionId = res.body.id as string;
    expect(await started).toMatchObject({ sessionId, status: 'active' });

    expect((await send(joined, 'join_session', { sessionId })).ok).toBe(true);
    const joinedSaw = record(joined);
    const ended = [elsewhere, joined].map((socket) => nextUpdate(socket, (u) => u.sessionId === sessionId && u.status === 'ended'));
    expect((await t.http.post(`/api/sessions/${sessionId}/end`, { token })).status).toBe(200);
    for (const update of await Promise.all(ended)) expect(update).toMatchObject({ sessionId, status: 'ended' });

    // The next start reaches both sockets after the end did: by then each has seen the end once.
    const next = [elsewhere, joined].map((socket) => nextUpdate(socket, (u) => u.sessionId !== sessionId && u.status === 'active'));
    expect((await t.http.post('/api/sessions', { token, body: { platform: 'stripchat' } })).status).toBe(201);
    await Promise.all(next);
    expect(joinedSaw.filter((u) => u.sessionId === sessionId && u.status === 'ended')).toHaveLength(1);
    expect(strangerSaw).toEqual([]);
  });

  it('update_viewers stores viewerCount and keeps the peak, broadcasting session_updated to the room and overlays', async () => {
    const { token, sessionId } = await creatorWithSession();
    const creatorSocket = await t.socket(token);
    expect((await send(creatorSocket, 'join_session', { sessionId })).ok).toBe(true);
    const overlay = await t.overlaySocket();
    expect(await send(overlay, 'join_overlay', { sessionId })).toEqual({ ok: true, data: null });

    // Matched on content: with Redis, the session start's own broadcast may still be on its way.
    const first = [nextUpdate(creatorSocket, (u) => u.viewerCount === 50), nextUpdate(overlay, (u) => u.viewerCount === 50)];
    const ack = await send(creatorSocket, 'update_viewers', { sessionId, viewerCount: 50 });
    expect(ack.ok).toBe(true);
    expect(ack.data).toMatchObject({ sessionId, viewerCount: 50, peakViewers: 50 });
    for (const update of await Promise.all(first)) {
      expect(update).toEqual({
        sessionId,
        status: 'active',
        viewerCount: 50,
        peakViewers: 50,
        totalTipsCents: 0,
        tipCount: 0,
        tipperCount: 0,
        biggestTipCents: 0,
      });
    }

    const second = [nextUpdate(creatorSocket, (u) => u.viewerCount === 20), nextUpdate(overlay, (u) => u.viewerCount === 20)];
    expect((await send(creatorSocket, 'update_viewers', { sessionId, viewerCount: 20 })).ok).toBe(true);
    for (const update of await Promise.all(second)) expect(update).toMatchObject({ sessionId, viewerCount: 20, peakViewers: 50 });

    expect(await getSession(token, sessionId)).toMatchObject({ viewerCount: 20, peakViewers: 50 });
  });

  it('refuses an invalid payload with an error event and an ack naming the field, changing nothing', async () => {
    const { token, sessionId } = await creatorWithSession();
    const socket = await t.socket(token);
    expect((await send(socket, 'join_session', { sessionId })).ok).toBe(true);
    const eight = nextUpdate(socket, (u) => u.viewerCount === 8);
    expect((await send(socket, 'update_viewers', { sessionId, viewerCount: 8 })).ok).toBe(true);
    await eight;
    const seen = record(socket);

    const negative = await refused(socket, 'update_viewers', { sessionId, viewerCount: -1 });
    expect(negative.error).toEqual({ message: expect.stringContaining('viewerCount'), code: 'validation_failed', sessionId });
    expect(negative.ack.error?.errors?.map((e) => e.field)).toEqual(['viewerCount']);

    const badId = await refused(socket, 'update_viewers', { sessionId: 'not-a-uuid', viewerCount: 5 });
    expect(badId.error.code).toBe('validation_failed');
    expect(badId.ack.error?.errors?.map((e) => e.field)).toEqual(['sessionId']);

    const notANumber = await refused(socket, 'update_viewers', { sessionId, viewerCount: 'lots' });
    expect(notANumber.ack.error?.errors?.map((e) => e.field)).toEqual(['viewerCount']);

    const badJoin = await refused(socket, 'join_session', {});
    expect(badJoin.ack.error?.errors?.map((e) => e.field)).toEqual(['sessionId']);

    expect(await getSession(token, sessionId)).toMatchObject({ viewerCount: 8, peakViewers: 8 });
    // Nothing was broadcast for the refused reports: the next update is the first one seen.
    const next = nextUpdate(socket, (u) => u.viewerCount === 9);
    expect((await send(socket, 'update_viewers', { sessionId, viewerCount: 9 })).ok).toBe(true);
    await next;
    expect(seen.map((u) => u.viewerCount)).toEqual([9]);
  });

  it('answers an unknown event with an error event', async () => {
    const { token, sessionId } = await creatorWithSession();
    const socket = await t.socket(token);
    const { ack, error } = await refused(socket, 'launch_rocket', { sessionId });
    expect(error).toEqual({ message: expect.stringContaining('launch_rocket'), code: 'unknown_event', sessionId });
    expect(ack.error?.code).toBe('unknown_event');
    // Without an ack the error event still arrives.
    const plain = nextEvent<SocketError>(socket, 'error');
    socket.emit('launch_rocket');
    expect(await plain).toMatchObject({ code: 'unknown_event' });
  });

  it('refuses update_viewers on an ended session', async () => {
    const { token, sessionId } = await creatorWithSession();
    const socket = await t.socket(token);
    expect((await send(socket, 'update_viewers', { sessionId, viewerCount: 12 })).ok).toBe(true);
    expect((await t.http.post(`/api/sessions/${sessionId}/end`, { token })).status).toBe(200);
    const { ack, error } = await refused(socket, 'update_viewers', { sessionId, viewerCount: 30 });
    expect(error).toEqual({ message: expect.any(String), code: 'session_ended', sessionId });
    expect(ack.error?.code).toBe('session_ended');
    expect(await getSession(token, sessionId)).toMatchObject({ status: 'ended', viewerCount: 0, peakViewers: 12 });
  });

  it('leave_session stops delivery to that socket', async () => {
    const { token, sessionId } = await creatorWithSession();
    const leaver = await t.socket(token);
    const stayer = await t.socket(token);
    for (const s of [leaver, stayer]) expect((await send(s, 'join_session', { sessionId })).ok).toBe(true);

    const both = [nextUpdate(leaver, (u) => u.viewerCount === 1), nextUpdate(stayer, (u) => u.viewerCount === 1)];
    expect((await send(stayer, 'update_viewers', { sessionId, viewerCount: 1 })).ok).toBe(true);
    await Promise.all(both);

    const seenByLeaver = record(leaver);
    expect(await send(leaver, 'leave_session', { sessionId })).toEqual({ ok: true, data: { sessionId } });
    // Broadcast while the leaver is out; the stayer receiving it means the broadcast is done.
    const missed = nextUpdate(stayer, (u) => u.viewerCount === 2);
    expect((await send(stayer, 'update_viewers', { sessionId, viewerCount: 2 })).ok).toBe(true);
    await missed;
    // Rejoin and broadcast again: the leaver's next session_updated must be this one, not the missed one.
    expect((await send(leaver, 'join_session', { sessionId })).ok).toBe(true);
    const back = nextUpdate(leaver, (u) => u.viewerCount === 3);
    expect((await send(stayer, 'update_viewers', { sessionId, viewerCount: 3 })).ok).toBe(true);
    await back;
    expect(seenByLeaver.map((u) => u.viewerCount)).toEqual([3]);
  });
});

describe('/streaming/overlay', () => {
  it('joins anonymously by sessionId and receives session_updated', async () => {
    const { token, sessionId } = await creatorWithSession();
    const overlay = await t.overlaySocket();
    expect(await send(overlay, 'join_overlay', { sessionId })).toEqual({ ok: true, data: null });
    const creatorSocket = await t.socket(token);
    const update = nextUpdate(overlay, (u) => u.viewerCount === 77);
    expect((await send(creatorSocket, 'update_viewers', { sessionId, viewerCount: 77 })).ok).toBe(true);
    expect(await update).toMatchObject({ sessionId, viewerCount: 77, peakViewers: 77, status: 'active' });
  });

  it('refuses every write event with read_only and changes nothing', async () => {
    const { token, sessionId } = await creatorWithSession();
    const creatorSocket = await t.socket(token);
    expect((await send(creatorSocket, 'update_viewers', { sessionId, viewerCount: 10 })).ok).toBe(true);
    const overlay = await t.overlaySocket();
    expect((await send(overlay, 'join_overlay', { sessionId })).ok).toBe(true);
    const seen = record(overlay);

    const writes: Array<[string, unknown]> = [
      ['update_viewers', { sessionId, viewerCount: 5_000 }],
      ['add_tip', { sessionId, amountCents: 500, tipperName: 'eve' }],
      ['chatbot_message', { sessionId, senderName: 'eve', message: 'hi' }],
      ['join_session', { sessionId }],
    ];
    for (const [event, payload] of writes) {
      const { ack, error } = await refused(overlay, event, payload);
      expect(error).toEqual({ message: expect.stringContaining(event), code: 'read_only', sessionId });
      expect(ack.error?.code).toBe('read_only');
    }
    expect(await getSession(token, sessionId)).toMatchObject({ viewerCount: 10, peakViewers: 10, tipCount: 0, totalTipsCents: 0 });

    // The overlay is still subscribed, and nothing was broadcast for the refused writes.
    const next = nextUpdate(overlay, (u) => u.viewerCount === 11);
    expect((await send(creatorSocket, 'update_viewers', { sessionId, viewerCount: 11 })).ok).toBe(true);
    await next;
    // (With Redis, the broadcast of 10 may reach the overlay after its join: broadcasts publish first.)
    expect(seen.map((u) => u.viewerCount).filter((count) => count !== 10)).toEqual([11]);
  });

  it('refuses join_overlay with an unknown key, an unknown session, or a malformed payload', async () => {
    const overlay = await t.overlaySocket();
    const unknownKey = await refused(overlay, 'join_overlay', { overlayKey: randomBytes(24).toString('base64url') });
    expect(unknownKey.error).toMatchObject({ code: 'not_found', message: expect.any(String) });

    const unknownSession = randomUUID();
    const noSession = await refused(overlay, 'join_overlay', { sessionId: unknownSession });
    expect(noSession.error).toEqual({ code: 'not_found', message: expect.any(String), sessionId: unknownSession });

    const malformed = await refused(overlay, 'join_overlay', { sessionId: 'nope' });
    expect(malformed.error.code).toBe('validation_failed');
    expect(malformed.ack.error?.code).toBe('validation_failed');

    // A NUL character cannot be in any key (nor in a Postgres text value): a 400 naming the field, not a 500.
    const nul = await refused(overlay, 'join_overlay', { overlayKey: `${randomBytes(24).toString('base64url')}\u0000` });
    expect(nul.error.code).toBe('validation_failed');
    expect(nul.ack.error?.errors?.map((e) => e.field)).toEqual(['overlayKey']);
    expect(overlay.connected).toBe(true);
  });
});

describe('overlay key', () => {
  it('GET /api/overlay-key answers a stable key for the creator', async () => {
    const { token } = await t.createCreator();
    const first = await t.http.get('/api/overlay-key', { token });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ overlayKey: expect.any(String) });
    expect(first.body.overlayKey.length).toBeGreaterThanOrEqual(16);
    expect((await t.http.get('/api/overlay-key', { token })).body).toEqual(first.body);
    const other = await t.createCreator();
    expect((await t.http.get('/api/overlay-key', { token: other.token })).body.overlayKey).not.toBe(first.body.overlayKey);
    expect((await t.http.get('/api/overlay-key')).status).toBe(401);
  });

  it('a key-joined overlay follows the active session from one stream to the next', async () => {
    const { token } = await t.createCreator();
    const { overlayKey } = (await t.http.get('/api/overlay-key', { token })).body;
    const overlay = await t.overlaySocket();
    expect(await send(overlay, 'join_overlay', { overlayKey })).toEqual({ ok: true, data: null });

    const startedFirst = nextEvent<StreamSessionUpdate>(overlay, 'session_updated');
    const s1 = (await t.http.post('/api/sessions', { token, body: { platform: 'chaturbate' } })).body.id as string;
    expect(await startedFirst).toMatchObject({ sessionId: s1, status: 'active', viewerCount: 0 });

    const creatorSocket = await t.socket(token);
    const viewers = nextEvent<StreamSessionUpdate>(overlay, 'session_updated');
    expect((await send(creatorSocket, 'update_viewers', { sessionId: s1, viewerCount: 40 })).ok).toBe(true);
    expect(await viewers).toMatchObject({ sessionId: s1, viewerCount: 40 });

    const ended = nextEvent<StreamSessionUpdate>(overlay, 'session_updated');
    expect((await t.http.post(`/api/sessions/${s1}/end`, { token })).status).toBe(200);
    expect(await ended).toMatchObject({ sessionId: s1, status: 'ended', peakViewers: 40 });

    const startedSecond = nextEvent<StreamSessionUpdate>(overlay, 'session_updated');
    const s2 = (await t.http.post('/api/sessions', { token, body: { platform: 'stripchat' } })).body.id as string;
    expect(await startedSecond).toMatchObject({ sessionId: s2, status: 'active' });
    const viewers2 = nextEvent<StreamSessionUpdate>(overlay, 'session_updated');
    expect((await send(creatorSocket, 'update_viewers', { sessionId: s2, viewerCount: 6 })).ok).toBe(true);
    expect(await viewers2).toMatchObject({ sessionId: s2, viewerCount: 6 });
  });

  it('rotating the key cuts off every overlay of the creator at once, joined by key or by session id', async () => {
    const { token, sessionId } = await creatorWithSession();
    const { overlayKey: oldKey } = (await t.http.get('/api/overlay-key', { token })).body;
    const keyed = await t.overlaySocket();
    expect((await send(keyed, 'join_overlay', { overlayKey: oldKey })).ok).toBe(true);
    const bySession = await t.overlaySocket();
    expect((await send(bySession, 'join_overlay', { sessionId })).ok).toBe(true);

    const cutOff = nextEvent<string>(keyed, 'disconnect');
    const sessionCutOff = nextEvent<string>(bySession, 'disconnect');
    const rotated = await t.http.post('/api/overlay-key/rotate', { token });
    expect(rotated.status).toBe(200);
    expect(rotated.body).toEqual({ overlayKey: expect.any(String) });
    const newKey = rotated.body.overlayKey as string;
    expect(newKey).not.toBe(oldKey);
    expect((await t.http.get('/api/overlay-key', { token })).body.overlayKey).toBe(newKey);
    expect(await cutOff).toBe('io server disconnect');
    expect(await sessionCutOff).toBe('io server disconnect');
    const creatorSocket = await t.socket(token);

    const withOld = await t.overlaySocket();
    expect((await refused(withOld, 'join_overlay', { overlayKey: oldKey })).error.code).toBe('not_found');
    const withNew = await t.overlaySocket();
    expect(await send(withNew, 'join_overlay', { overlayKey: newKey })).toEqual({ ok: true, data: null });
    const served = nextEvent<StreamSessionUpdate>(withNew, 'session_updated');
    expect((await send(creatorSocket, 'update_viewers', { sessionId, viewerCount: 16 })).ok).toBe(true);
    expect(await served).toMatchObject({ sessionId, viewerCount: 16 });

    expect((await t.http.post('/api/overlay-key/rotate')).status).toBe(401);
  });
});

describe('an overlay joined by session id', () => {
  it('follows that session only: not the creator’s room, no later session, nothing after it ends', async () => {
    const { token } = await t.createCreator();
    const creatorSocket = await t.socket(token);
    // The start's own session_updated is in flight after the request answers (with Redis, local
    // sockets get it once the adapter has published it): seen by the creator first, it cannot
    // reach the overlay that joins next.
    const started = nextUpdate(creatorSocket, (u) => u.status === 'active');
    const sessionId = (await t.http.post('/api/sessions', { token, body: { platform: 'chaturbate' } })).body.id as string;
    expect(await started).toMatchObject({ sessionId });
    const overlay = await t.overlaySocket();
    expect((await send(overlay, 'join_overlay', { sessionId })).ok).toBe(true);
    const seen = record(overlay);

    const ended = nextUpdate(overlay, (u) => u.status === 'ended');
    expect((await t.http.post(`/api/sessions/${sessionId}/end`, { token })).status).toBe(200);
    expect(await ended).toMatchObject({ sessionId, status: 'ended' });

    // A key-joined overlay is the witness: once it has the next session's broadcasts, the other would have them too.
    const { overlayKey } = (await t.http.get('/api/overlay-key', { token })).body;
    const witness = await t.overlaySocket();
    expect((await send(witness, 'join_overlay', { overlayKey })).ok).toBe(true);
    const next = (await t.http.post('/api/sessions', { token, body: { platform: 'other', title: 'Later' } })).body.id as string;
    const witnessed = nextUpdate(witness, (u) => u.sessionId === next && u.viewerCount === 9);
    expect((await send(creatorSocket, 'update_viewers', { sessionId: next, viewerCount: 9 })).ok).toBe(true);
    expect((await t.http.patch(`/api/sessions/${sessionId}`, { token, body: { title: 'Renamed after the end' } })).status).toBe(200);
    await witnessed;
    const renamed = nextUpdate(witness, (u) => u.sessionId === next && u.viewerCount === 10);
    expect((await send(creatorSocket, 'update_viewers', { sessionId: next, viewerCount: 10 })).ok).toBe(true);
    await renamed;

    expect(seen.map((u) => [u.sessionId, u.status])).toEqual([[sessionId, 'ended']]);
    expect(overlay.connected).toBe(true);
  });

  it('is refused for an ended session', async () => {
    const { token, sessionId } = await creatorWithSession();
    expect((await t.http.post(`/api/sessions/${sessionId}/end`, { token })).status).toBe(200);
    const overlay = await t.overlaySocket();
    expect((await refused(overlay, 'join_overlay', { sessionId })).error).toMatchObject({ code: 'session_ended', sessionId });
  });
});

describe('connection-state recovery', () => {
  it('an overlay that drops and reconnects gets the session_updated it missed', async () => {
    const { token, sessionId } = await creatorWithSession();
    const creatorSocket = await t.socket(token);
    // The test reconnects by hand after broadcasting, so nothing depends on a reconnection delay.
    const overlay = droppableOverlay();
    try {
      await nextEvent(overlay, 'connect');
      expect(overlay.recovered).toBe(false);
      expect((await send(overlay, 'join_overlay', { sessionId })).ok).toBe(true);

      // A first broadcast gives the client an offset to resume from.
      const first = nextUpdate(overlay, (u) => u.viewerCount === 5);
      expect((await send(creatorSocket, 'update_viewers', { sessionId, viewerCount: 5 })).ok).toBe(true);
      expect(await first).toMatchObject({ viewerCount: 5 });

      const serverSide = (t.kernel as Kernel).realtime.overlay.sockets.get(overlay.id!);
      expect(serverSide).toBeDefined();
      const serverSawDrop = new Promise<string>((resolve) => serverSide!.once('disconnect', resolve));
      const clientSawDrop = nextEvent<string>(overlay, 'disconnect');
      const reconnected = nextEvent(overlay, 'connect');
      const missed = nextEvent<StreamSessionUpdate>(overlay, 'session_updated');

      overlay.io.engine.close();
      await clientSawDrop;
      // A transport drop (not a deliberate disconnect) is what the server keeps the session for.
      expect(await serverSawDrop).toBe('transport close');

      const ack = await send(creatorSocket, 'update_viewers', { sessionId, viewerCount: 25 });
      expect(ack.ok).toBe(true);
      expect(overlay.connected).toBe(false); // the broadcast happened while the overlay was away

      overlay.connect();
      await reconnected;
      expect(overlay.recovered).toBe(true);
      expect(await missed).toMatchObject({ sessionId, viewerCount: 25, peakViewers: 25 });

      // Recovered into its rooms: live broadcasts keep arriving.
      const live = nextEvent<StreamSessionUpdate>(overlay, 'session_updated');
      expect((await send(creatorSocket, 'update_viewers', { sessionId, viewerCount: 26 })).ok).toBe(true);
      expect(await live).toMatchObject({ sessionId, viewerCount: 26 });
    } finally {
      overlay.disconnect();
    }
  });
});

/** An overlay client that keeps its recovery id across a dropped transport and reconnects only when told. */
function droppableOverlay(): TestSocket {
  return io(t.url + '/streaming/overlay', { transports: ['websocket'], forceNew: true, reconnection: false }) as TestSocket;
}

describe('overlay key rotation and recovery', () => {
  it('refuses to recover a connection whose overlay key was rotated while it was away', async () => {
    const { token, sessionId } = await creatorWithSession();
    const { overlayKey } = (await t.http.get('/api/overlay-key', { token })).body;
    const overlay = droppableOverlay();
    try {
      await nextEvent(overlay, 'connect');
      expect((await send(overlay, 'join_overlay', { overlayKey })).ok).toBe(true);
      // A first broadcast gives the client an offset, which is what makes it try to recover.
      const first = nextEvent(overlay, 'session_updated');
      await send(await t.socket(token), 'update_viewers', { sessionId, viewerCount: 1 });
      await first;
      // The server must have seen the drop (and kept the session) before the client comes back.
      const serverSide = (t.kernel as Kernel).realtime.overlay.sockets.get(overlay.id!)!;
      const serverSawDrop = new Promise<string>((resolve) => serverSide.once('disconnect', resolve));
      overlay.io.engine.close();
      expect(await serverSawDrop).toBe('transport close');

      expect((await t.http.post('/api/overlay-key/rotate', { token })).status).toBe(200);
      const refused = nextEvent<Error>(overlay, 'connect_error');
      overlay.connect();
      expect((await refused).message).toMatch(/overlay key rotated/);
      expect(overlay.connected).toBe(false);
    } finally {
      overlay.disconnect();
    }
  });

  it('leave_overlay stops a key-joined overlay from following the next session', async () => {
    const { token, sessionId } = await creatorWithSession();
    const other = await creatorWithSession();
    const { overlayKey } = (await t.http.get('/api/overlay-key', { token })).body;
    const overlay = await t.overlaySocket();
    expect((await send(overlay, 'join_overlay', { overlayKey })).ok).toBe(true);
    expect((await send(overlay, 'leave_overlay', {})).ok).toBe(true);
    await t.http.post(`/api/sessions/${sessionId}/end`, { token });
    const next = (await t.http.post('/api/sessions', { token, body: { platform: 'other' } })).body.id as string;
    expect((await send(overlay, 'join_overlay', { sessionId: other.sessionId })).ok).toBe(true);

    // Session starts' own broadcasts (0 viewers) may arrive late through Redis; any viewer update counts.
    const first = nextUpdate(overlay, (u) => u.viewerCount > 0);
    await send(await t.socket(token), 'update_viewers', { sessionId: next, viewerCount: 3 });
    await send(await t.socket(other.token), 'update_viewers', { sessionId: other.sessionId, viewerCount: 4 });
    // Broadcasts reach one socket in order: had it still followed the key, `next` would come first.
    expect(await first).toMatchObject({ sessionId: other.sessionId, viewerCount: 4 });
  });
});
