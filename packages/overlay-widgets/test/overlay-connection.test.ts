import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  acquireOverlayConnection,
  backoffDelay,
  joinPayload,
  OverlayConnection,
  RELEASE_DELAY_MS,
  sharedConnectionCount,
  socketAddress,
  targetId,
  type OverlaySocket,
} from '../src/overlay-connection.ts';
import { FakeTimers } from './fake-timers.ts';

/** A stand-in for socket.io-client's Socket, driven by the test. */
class FakeSocket implements OverlaySocket {
  active = false;
  connected = false;
  connectCalls = 0;
  disconnected = false;
  readonly emitted: Array<{ event: string; payload: unknown; ack?: (reply: unknown) => void }> = [];
  readonly #listeners = new Map<string, Array<(...args: any[]) => void>>();

  on(event: string, listener: (...args: any[]) => void): this {
    this.#listeners.set(event, [...(this.#listeners.get(event) ?? []), listener]);
    return this;
  }
  emit(event: string, payload: unknown, ack?: (reply: unknown) => void): this {
    this.emitted.push({ event, payload, ack });
    return this;
  }
  connect(): this {
    this.connectCalls++;
    this.active = true;
    return this;
  }
  disconnect(): this {
    this.disconnected = true;
    this.active = false;
    this.connected = false;
    return this;
  }
  /** Server → client. */
  receive(event: string, ...args: unknown[]): void {
    for (const listener of this.#listeners.get(event) ?? []) listener(...args);
  }
  serverAccepts(): void {
    this.active = true;
    this.connected = true;
    this.receive('connect');
  }
  /** A transport drop: socket.io keeps reconnecting by itself. */
  transportDrops(): void {
    this.connected = false;
    this.receive('disconnect', 'transport close');
  }
  /** `socket.disconnect(true)` on the server, or a middleware refusal: socket.io gives up. */
  serverDisconnects(): void {
    this.connected = false;
    this.active = false;
    this.receive('disconnect', 'io server disconnect');
  }
  serverRefuses(): void {
    this.connected = false;
    this.active = false;
    this.receive('connect_error', new Error('overlay key rotated'));
  }
  joins(): Array<{ event: string; payload: unknown; ack?: (reply: unknown) => void }> {
    return this.emitted.filter((e) => e.event === 'join_overlay');
  }
}

function connect(target = { server: 'http://localhost:3130', overlayKey: 'k'.repeat(32) }) {
  const timers = new FakeTimers();
  const socket = new FakeSocket();
  const created: Array<{ url: string; path: string }> = [];
  const connection = new OverlayConnection(target, {
    timers,
    random: () => 1,
    createSocket: (url, options) => {
      created.push({ url, ...options });
      return socket;
    },
  });
  return { timers, socket, connection, created };
}

describe('OverlayConnection', () => {
  it('connects to the overlay namespace of the server', () => {
    const { created, socket } = connect();
    expect(created).toEqual([{ url: 'http://localhost:3130/streaming/overlay', path: '/socket.io' }]);
    expect(socket.connectCalls).toBe(1);
  });

  it('joins with the overlay key on connect, and again on every reconnect', () => {
    const { socket, connection } = connect();
    expect(socket.joins()).toHaveLength(0);
    socket.serverAccepts();
    expect(socket.joins().map((j) => j.payload)).toEqual([{ overlayKey: 'k'.repeat(32) }]);
    socket.joins()[0]!.ack!({ ok: true, data: null });
    expect(connection.joined).toBe(true);

    socket.transportDrops();
    expect(connection.joined).toBe(false);
    socket.serverAccepts(); // recovered or a fresh server: join either way
    expect(socket.joins()).toHaveLength(2);
    socket.joins()[1]!.ack!({ ok: true, data: null });
    expect(connection.joined).toBe(true);
  });

  it('joins by session id when there is no key', () => {
    const { socket } = connect({ server: 'http://localhost:3130', sessionId: '6f1c1f1e-0000-4000-8000-000000000000' } as never);
    socket.serverAccepts();
    expect(socket.joins()[0]!.payload).toEqual({ sessionId: '6f1c1f1e-0000-4000-8000-000000000000' });
  });

  it('tries the join again with backoff when it is refused or not answered', () => {
    const { socket, timers, connection } = connect();
    socket.serverAccepts();
    socket.joins()[0]!.ack!({ ok: false, error: { code: 'not_found' } });
    expect(connection.joined).toBe(false);
    timers.advance(1999);
    expect(socket.joins()).toHaveLength(1);
    timers.advance(1);
    expect(socket.joins()).toHaveLength(2);
    // No answer at all: after the join timeout, then the backoff, it asks again.
    timers.advance(10_000 + 4000);
    expect(socket.joins()).toHaveLength(3);
    socket.joins()[2]!.ack!({ ok: true, data: null });
    expect(connection.joined).toBe(true);
    timers.advance(600_000);
    expect(socket.joins()).toHaveLength(3);
  });

  it('ignores a late answer to a join sent on an earlier connection', () => {
    const { socket, connection } = connect();
    socket.serverAccepts();
    const first = socket.joins()[0]!;
    socket.transportDrops();
    first.ack!({ ok: true, data: null });
    expect(connection.joined).toBe(false);
  });

  it('reconnects by itself when the server disconnected or refused it (socket.io would give up)', () => {
    const { socket, timers } = connect();
    socket.serverAccepts();
    socket.serverDisconnects();
    expect(socket.connectCalls).toBe(1);
    timers.advance(1000);
    expect(socket.connectCalls).toBe(2);
    socket.serverRefuses();
    timers.advance(1999);
    expect(socket.connectCalls).toBe(2);
    timers.advance(1);
    expect(socket.connectCalls).toBe(3);
    socket.serverAccepts();
    expect(socket.joins()).toHaveLength(2);
  });

  it('leaves reconnecting to socket.io after a transport drop', () => {
    const { socket, timers } = connect();
    socket.serverAccepts();
    socket.transportDrops();
    timers.advance(120_000);
    expect(socket.connectCalls).toBe(1);
  });

  it('hands events to every subscriber, isolating a failing one', () => {
    const { socket, connection } = connect();
    const seen: unknown[] = [];
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    connection.on('tip_received', () => {
      throw new Error('widget bug');
    });
    const stop = connection.on('tip_received', (p) => seen.push(p.tip.id));
    connection.on('goal_progress', (p) => seen.push(p.goalId));
    socket.receive('tip_received', { sessionId: 's', tip: { id: 't1' }, sessionTotals: {} });
    socket.receive('goal_progress', { goalId: 'g1' });
    socket.receive('tip_received', null);
    stop();
    socket.receive('tip_received', { sessionId: 's', tip: { id: 't2' }, sessionTotals: {} });
    expect(seen).toEqual(['t1', 'g1']);
    expect(error).toHaveBeenCalledTimes(2);
    error.mockRestore();
  });

  it("hands the creator's last widget settings to a listener that comes later; other events only as they come", () => {
    const { socket, connection } = connect();
    socket.serverAccepts();
    socket.receive('widget_settings', { creatorId: 'c', settings: { n: 1 }, media: {} });
    socket.receive('widget_settings', { creatorId: 'c', settings: { n: 2 }, media: {} });
    socket.receive('tip_received', { sessionId: 's', tip: { id: 't1' }, sessionTotals: {} });
    const settings: unknown[] = [];
    const tips: unknown[] = [];
    connection.on('widget_settings', (p) => settings.push(p.settings));
    connection.on('tip_received', (p) => tips.push(p.tip.id));
    expect(settings).toEqual([{ n: 2 }]);
    expect(tips).toEqual([]);
    socket.receive('widget_settings', { creatorId: 'c', settings: { n: 3 }, media: {} });
    expect(settings).toEqual([{ n: 2 }, { n: 3 }]);
  });

  it('drops a session broadcast it has already seen, and joins again when it sees some were missed', () => {
    const { socket, connection } = connect();
    socket.serverAccepts();
    socket.joins()[0]!.ack!({ ok: true, data: null });
    const seen: string[] = [];
    connection.on('tip_received', (p) => seen.push(p.tip.id));
    const broadcast = (id: string, seq: number) => socket.receive('tip_received', { sessionId: 's', tip: { id }, sessionTotals: {} }, { sessionId: 's', seq });

    broadcast('a', 4);
    broadcast('a', 4); // redelivered: an alert must not play twice
    broadcast('b', 5);
    expect(seen).toEqual(['a', 'b']);
    expect(socket.joins()).toHaveLength(1);

    broadcast('d', 7); // 6 never came: show this one, then fetch the state again
    expect(seen).toEqual(['a', 'b', 'd']);
    expect(socket.joins()).toHaveLength(2);
    socket.joins()[1]!.ack!({ ok: true, data: null });

    // After joining again, numbering starts from whatever comes next.
    broadcast('f', 9);
    broadcast('g', 10);
    expect(seen).toEqual(['a', 'b', 'd', 'f', 'g']);
    expect(socket.joins()).toHaveLength(2);
  });

  it('close() disconnects for good', () => {
    const { socket, connection, timers } = connect();
    socket.serverAccepts();
    connection.close();
    expect(socket.disconnected).toBe(true);
    socket.receive('disconnect', 'io client disconnect');
    timers.advance(120_000);
    expect(socket.connectCalls).toBe(1);
  });
});

describe('connection helpers', () => {
  it('keeps a server path prefix in the engine path', () => {
    expect(socketAddress('https://example.com/companion/')).toEqual({ url: 'https://example.com/streaming/overlay', path: '/companion/socket.io' });
    expect(socketAddress('http://localhost:3130')).toEqual({ url: 'http://localhost:3130/streaming/overlay', path: '/socket.io' });
  });

  it('prefers the overlay key over a session id, and needs one of them', () => {
    expect(joinPayload({ server: 'x', overlayKey: 'k', sessionId: 's' })).toEqual({ overlayKey: 'k' });
    expect(joinPayload({ server: 'x', sessionId: 's' })).toEqual({ sessionId: 's' });
    expect(joinPayload({ server: 'x' })).toBeUndefined();
    expect(targetId({ server: 'x' })).toBeUndefined();
    expect(targetId({ server: 'http://a/', overlayKey: 'k' })).toBe(targetId({ server: 'http://a', overlayKey: 'k' }));
  });

  it('backs off exponentially with jitter up to a cap', () => {
    expect([0, 1, 2, 3, 4, 5, 10].map((n) => backoffDelay(n, () => 1))).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
    expect(backoffDelay(0, () => 0)).toBe(500);
  });
});

describe('acquireOverlayConnection', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shares one connection per target between elements and closes it after the last release', () => {
    vi.useFakeTimers();
    const sockets: FakeSocket[] = [];
    const createSocket = () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    };
    const target = { server: 'http://localhost:3130', overlayKey: 'shared-key-0123456789' };
    const a = acquireOverlayConnection(target, { createSocket })!;
    const b = acquireOverlayConnection({ ...target }, { createSocket })!;
    const other = acquireOverlayConnection({ ...target, overlayKey: 'another-key-0123456789' }, { createSocket })!;
    expect(a.connection).toBe(b.connection);
    expect(other.connection).not.toBe(a.connection);
    expect(sockets).toHaveLength(2);
    expect(acquireOverlayConnection({ server: 'http://localhost:3130' })).toBeUndefined();

    a.release();
    a.release();
    vi.advanceTimersByTime(RELEASE_DELAY_MS * 2);
    expect(sockets[0]!.disconnected).toBe(false);
    b.release();
    // An element moved in the DOM takes it back before it closes.
    const c = acquireOverlayConnection(target, { createSocket })!;
    vi.advanceTimersByTime(RELEASE_DELAY_MS * 2);
    expect(c.connection).toBe(a.connection);
    expect(sockets[0]!.disconnected).toBe(false);
    c.release();
    other.release();
    vi.advanceTimersByTime(RELEASE_DELAY_MS);
    expect(sockets.every((s) => s.disconnected)).toBe(true);
    expect(sharedConnectionCount()).toBe(0);
  });
});
