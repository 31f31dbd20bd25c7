import { BroadcastSequences, isBroadcastMeta } from '@streaming-companion/sdk/wire';
import { io } from 'socket.io-client';
import { OVERLAY_EVENT_NAMES, type OverlayEventName, type OverlayEvents } from './overlay-events.ts';
import { realTimers, type Timers } from './timers.ts';

/**
 * One socket.io connection to `<server>/streaming/overlay` per (server, overlay key or session)
 * on a page, shared by every element that asks for it. It joins with `join_overlay` on every
 * connect (connection-state recovery restores rooms after a short drop, but a restarted server
 * knows nothing of us), reconnects with backoff forever, also when the server refused or
 * dropped us, and never surfaces an error: an overlay on stream shows nothing rather than text.
 * Session broadcasts carry a sequence number: one seen twice is dropped (a widget must not
 * play an alert twice), and a jump means some were missed, so it joins again to get the state.
 * The creator's widget settings are state, not news: the last ones are handed to every
 * element that starts listening later (one added to the page after the join).
 */

export interface OverlayTarget {
  /** Base URL of the Streaming Companion server, e.g. `http://localhost:3130`. */
  server: string;
  overlayKey?: string;
  sessionId?: string;
}

/** The parts of a socket.io client socket the connection uses (a fake one in tests). */
export interface OverlaySocket {
  readonly active: boolean;
  readonly connected: boolean;
  on(event: string, listener: (...args: any[]) => void): unknown;
  emit(event: string, ...args: any[]): unknown;
  connect(): unknown;
  disconnect(): unknown;
}

export type SocketFactory = (url: string, options: { path: string }) => OverlaySocket;

export interface OverlayConnectionOptions {
  createSocket?: SocketFactory;
  timers?: Timers;
  random?: () => number;
  /** How long to wait for the `join_overlay` answer before trying again. */
  joinTimeoutMs?: number;
}

type JoinAck = { ok: true; data: unknown } | { ok: false; error?: { code?: string; message?: string } };

const defaultSocketFactory: SocketFactory = (url, { path }) =>
  io(url, {
    path,
    transports: ['websocket', 'polling'],
    reconnection: true,
    reconnectionAttempts: Infinity,
    reconnectionDelay: 1000,
    reconnectionDelayMax: 10_000,
    randomizationFactor: 0.5,
    timeout: 10_000,
    // Every target gets its own socket: two overlay keys on one server must not share rooms.
    forceNew: true,
  });

/** The namespace URL and the engine path for a server URL (a server behind a path prefix keeps it). */
export function socketAddress(server: string): { url: string; path: string } {
  const base = new URL(server);
  const prefix = base.pathname.replace(/\/+$/, '');
  return { url: `${base.origin}/streaming/overlay`, path: `${prefix}/socket.io` };
}

/** What `join_overlay` is sent with: the key (follows the creator's active session) wins over a session id. */
export function joinPayload(target: OverlayTarget): { overlayKey: string } | { sessionId: string } | undefined {
  if (target.overlayKey) return { overlayKey: target.overlayKey };
  if (target.sessionId) return { sessionId: target.sessionId };
  return undefined;
}

/** Identifies a shareable connection, or undefined when the target has nothing to join with. */
export function targetId(target: OverlayTarget): string | undefined {
  const join = joinPayload(target);
  if (!join) return undefined;
  return `${target.server.replace(/\/+$/, '')}\n${'overlayKey' in join ? `key:${join.overlayKey}` : `session:${join.sessionId}`}`;
}

/** Exponential backoff with jitter: 1 s, 2 s, 4 s … up to 30 s, each scaled by 0.5–1. */
export function backoffDelay(attempt: number, random: () => number = Math.random, minMs = 1000, maxMs = 30_000): number {
  const base = Math.min(maxMs, minMs * 2 ** Math.min(attempt, 20));
  return Math.round(base * (0.5 + random() * 0.5));
}

type Handler<E extends OverlayEventName> = (payload: OverlayEvents[E]) => void;

/** Events whose last payload a new listener gets at once. */
const REPLAYED: ReadonlySet<OverlayEventName> = new Set<OverlayEventName>(['widget_settings']);

export class OverlayConnection {
  readonly target: OverlayTarget;
  readonly #socket: OverlaySocket;
  readonly #timers: Timers;
  readonly #random: () => number;
  readonly #joinTimeoutMs: number;
  readonly #handlers = new Map<OverlayEventName, Set<Handler<any>>>();
  #joined = false;
  #closed = false;
  #joinAttempt = 0;
  #joinTimer: unknown;
  #connectAttempt = 0;
  #connectTimer: unknown;
  #joinSeq = 0;
  readonly #sequences = new BroadcastSequences();
  readonly #last = new Map<OverlayEventName, unknown>();

  constructor(target: OverlayTarget, options: OverlayConnectionOptions = {}) {
    this.target = target;
    this.#timers = options.timers ?? realTimers;
    this.#random = options.random ?? Math.random;
    this.#joinTimeoutMs = options.joinTimeoutMs ?? 10_000;
    const { url, path } = socketAddress(target.server);
    this.#socket = (options.createSocket ?? defaultSocketFactory)(url, { path });
    this.#socket.on('connect', () => this.#onConnect());
    this.#socket.on('disconnect', () => this.#onDrop());
    this.#socket.on('connect_error', () => this.#onDrop());
    for (const event of OVERLAY_EVENT_NAMES) this.#socket.on(event, (payload: unknown, meta: unknown) => this.#receive(event, payload, meta));
    // The default factory connects at once; a fake may not.
    if (!this.#socket.active) this.#socket.connect();
  }

  /** Whether the server confirmed the join on the current connection. */
  get joined(): boolean {
    return this.#joined;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Listen to an overlay event (a replayed one starts with its last payload); answers the function that stops listening. */
  on<E extends OverlayEventName>(event: E, handler: Handler<E>): () => void {
    let set = this.#handlers.get(event);
    if (!set) this.#handlers.set(event, (set = new Set()));
    set.add(handler);
    if (this.#last.has(event)) this.#call(event, handler, this.#last.get(event));
    return () => set.delete(handler);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#clearTimer('join');
    this.#clearTimer('connect');
    this.#handlers.clear();
    this.#socket.disconnect();
  }

  #onConnect(): void {
    if (this.#closed) return;
    this.#clearTimer('connect');
    this.#connectAttempt = 0;
    this.#joinAttempt = 0;
    this.#join();
  }

  #join(): void {
    this.#clearTimer('join');
    const payload = joinPayload(this.target);
    if (this.#closed || !payload || !this.#socket.connected) return;
    const seq = ++this.#joinSeq;
    // What the join sends is the state now; numbering starts again from the next broadcast.
    this.#sequences.reset();
    let answered = false;
    const answer = (ack: JoinAck | undefined): void => {
      if (answered || seq !== this.#joinSeq || this.#closed) return;
      answered = true;
      this.#clearTimer('join');
      if (ack && ack.ok) {
        this.#joined = true;
        this.#joinAttempt = 0;
        return;
      }
      // Refused (an unknown or rotated key, a server not ready yet) or no answer: try again later.
      this.#joined = false;
      this.#joinTimer = this.#timers.setTimeout(() => this.#join(), backoffDelay(this.#joinAttempt++, this.#random, 2000, 60_000));
    };
    this.#joinTimer = this.#timers.setTimeout(() => answer(undefined), this.#joinTimeoutMs);
    this.#socket.emit('join_overlay', payload, (ack: JoinAck) => answer(ack));
  }

  /**
   * Disconnected or a connect attempt failed. socket.io retries on its own while the socket is
   * `active`; when the server itself refused (middleware) or disconnected us it does not, so we
   * call `connect()` again after a backoff.
   */
  #onDrop(): void {
    this.#joined = false;
    this.#joinSeq++;
    this.#clearTimer('join');
    if (this.#closed || this.#socket.active || this.#connectTimer !== undefined) return;
    this.#connectTimer = this.#timers.setTimeout(() => {
      this.#connectTimer = undefined;
      if (!this.#closed && !this.#socket.active) this.#socket.connect();
    }, backoffDelay(this.#connectAttempt++, this.#random));
  }

  #receive(event: OverlayEventName, payload: unknown, meta: unknown): void {
    const verdict = isBroadcastMeta(meta) ? this.#sequences.check(meta) : 'next';
    if (verdict === 'duplicate') return;
    this.#dispatch(event, payload);
    if (verdict === 'gap' && this.#joined) this.#join();
  }

  #dispatch(event: OverlayEventName, payload: unknown): void {
    if (this.#closed || payload === null || typeof payload !== 'object') return;
    if (REPLAYED.has(event)) this.#last.set(event, payload);
    for (const handler of [...(this.#handlers.get(event) ?? [])]) this.#call(event, handler, payload);
  }

  #call(event: OverlayEventName, handler: Handler<any>, payload: unknown): void {
    try {
      handler(payload);
    } catch (error) {
      // One widget's failure must not stop the others on the page.
      console.error(`[overlay] ${event} handler failed`, error);
    }
  }

  #clearTimer(which: 'join' | 'connect'): void {
    const handle = which === 'join' ? this.#joinTimer : this.#connectTimer;
    if (handle !== undefined) this.#timers.clearTimeout(handle);
    if (which === 'join') this.#joinTimer = undefined;
    else this.#connectTimer = undefined;
  }
}

interface SharedEntry {
  connection: OverlayConnection;
  users: number;
  closeTimer?: ReturnType<typeof setTimeout>;
}

const shared = new Map<string, SharedEntry>();

/** How long an unused shared connection lingers, so an element moved in the DOM reuses it. */
export const RELEASE_DELAY_MS = 2000;

export interface ConnectionLease {
  connection: OverlayConnection;
  release(): void;
}

/**
 * The page's connection for `target`, created on first use; every element calls this and
 * releases its lease when it leaves the page. Undefined when the target has no key or session.
 */
export function acquireOverlayConnection(target: OverlayTarget, options?: OverlayConnectionOptions): ConnectionLease | undefined {
  const id = targetId(target);
  if (!id) return undefined;
  let entry = shared.get(id);
  if (!entry || entry.connection.closed) {
    entry = { connection: new OverlayConnection(target, options), users: 0 };
    shared.set(id, entry);
  }
  const held = entry;
  if (held.closeTimer !== undefined) clearTimeout(held.closeTimer);
  held.closeTimer = undefined;
  held.users++;
  let released = false;
  return {
    connection: held.connection,
    release: () => {
      if (released) return;
      released = true;
      if (--held.users > 0) return;
      held.closeTimer = setTimeout(() => {
        if (held.users > 0) return;
        held.connection.close();
        if (shared.get(id) === held) shared.delete(id);
      }, RELEASE_DELAY_MS);
    },
  };
}

/** How many shared connections the page holds (for tests and diagnostics). */
export function sharedConnectionCount(): number {
  return shared.size;
}
