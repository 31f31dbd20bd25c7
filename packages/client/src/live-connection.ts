import type { PayloadOf, SocketEventRef } from '@streaming-companion/sdk/contracts';
import { BroadcastSequences, isBroadcastMeta } from '@streaming-companion/sdk/wire';
import { io, type Socket } from 'socket.io-client';
import { ApiError } from './api-error.ts';
import type { ChatbotMessageInput, ChatbotResponse, ServerToClientEvents, SessionTotals, StreamSessionUpdate, TipDto } from './events.ts';

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'closed';

export interface AddTipInput {
  sessionId: string;
  amountCents: number;
  tipperName?: string;
  message?: string;
  /** Your id for this tip: sending it again (after a drop, say) records it once. */
  clientTipId?: string;
}

export type RecordedTip = TipDto & { sessionTotals: SessionTotals };

export interface LiveConnectionOptions {
  /**
   * How long a call (`joinSession`, `addTip`, …) waits for the server's answer, reconnection
   * included, before it rejects with `no_reply`. Default 20 s.
   */
  ackTimeoutMs?: number;
}

type Ack = { ok: true; data: unknown } | { ok: false; error: { code: string; message: string; errors?: ApiError['errors'] } };

/**
 * The authenticated `/streaming` socket. It reconnects by itself; sessions joined through
 * it are joined again after a reconnect that the server could not recover, so listeners
 * keep receiving without the caller doing anything.
 */
export class LiveConnection {
  /** The underlying socket.io-client socket (listeners on it see duplicates `on` drops). */
  readonly socket: Socket;
  readonly #joined = new Set<string>();
  readonly #statusListeners = new Set<(status: ConnectionStatus) => void>();
  readonly #listeners = new Map<string, Set<(payload: any) => void>>();
  readonly #gapListeners = new Set<(sessionId: string) => void>();
  readonly #sequences = new BroadcastSequences();
  #status: ConnectionStatus = 'connecting';
  readonly #ackTimeoutMs: number;

  constructor(baseUrl: string, token: string, options: LiveConnectionOptions = {}) {
    this.#ackTimeoutMs = options.ackTimeoutMs ?? 20_000;
    this.socket = io(`${baseUrl}/streaming`, { auth: { token }, transports: ['websocket', 'polling'] });
    this.socket.onAny((event: string, payload: unknown, meta: unknown) => this.#receive(event, payload, meta));
    this.socket.on('connect', () => {
      // A recovered connection kept its rooms; a fresh one must ask again, and counts as
      // connected once it has, so whoever waits for 'connected' (to refetch what it missed,
      // say) misses no event after that.
      if (this.socket.recovered || this.#joined.size === 0) return this.#setStatus('connected');
      this.#sequences.reset();
      const rejoins = [...this.#joined].map((sessionId) => this.#emit('join_session', { sessionId }).catch(() => {}));
      void Promise.all(rejoins).then(() => {
        if (this.socket.connected) this.#setStatus('connected');
      });
    });
    this.socket.on('disconnect', () => this.#setStatus(this.socket.active ? 'reconnecting' : 'closed'));
    this.socket.on('connect_error', () => this.#setStatus(this.socket.active ? 'reconnecting' : 'closed'));
  }

  get status(): ConnectionStatus {
    return this.#status;
  }

  /**
   * Listen to a server event, by name (first-party events are typed) or by a plugin's event ref
   * (typed from its contract). A session broadcast the connection has already seen (a redelivery)
   * is not passed on. Returns a function that stops listening.
   */
  on<E extends keyof ServerToClientEvents>(event: E, listener: (payload: ServerToClientEvents[E]) => void): () => void;
  on<R extends SocketEventRef>(event: R, listener: (payload: PayloadOf<R>) => void): () => void;
  on(event: string | SocketEventRef, listener: (payload: any) => void): () => void {
    const name = typeof event === 'string' ? event : event.name;
    let listeners = this.#listeners.get(name);
    if (!listeners) this.#listeners.set(name, (listeners = new Set()));
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  /**
   * Called with a session id when broadcasts of that session were missed (its sequence number
   * jumped, e.g. after a long drop): refetch what you show of it. Returns a function that stops it.
   */
  onGap(listener: (sessionId: string) => void): () => void {
    this.#gapListeners.add(listener);
    return () => this.#gapListeners.delete(listener);
  }

  /** Called now with the current status and on every change; returns a function that stops it. */
  onStatus(listener: (status: ConnectionStatus) => void): () => void {
    this.#statusListeners.add(listener);
    listener(this.#status);
    return () => this.#statusListeners.delete(listener);
  }

  /** Receive the session's events (own sessions only). */
  async joinSession(sessionId: string): Promise<void> {
    await this.#emit('join_session', { sessionId });
    this.#sequences.reset(sessionId);
    this.#joined.add(sessionId);
  }

  async leaveSession(sessionId: string): Promise<void> {
    this.#joined.delete(sessionId);
    await this.#emit('leave_session', { sessionId });
  }

  /** Report the platform's current viewer count; resolves the session's figures with it (the server keeps the peak). */
  updateViewers(sessionId: string, viewerCount: number): Promise<StreamSessionUpdate> {
    return this.#emit('update_viewers', { sessionId, viewerCount }) as Promise<StreamSessionUpdate>;
  }

  /** Record a tip over the socket (the tips plugin's `add_tip`); resolves with the stored tip. */
  addTip(input: AddTipInput): Promise<RecordedTip> {
    return this.#emit('add_tip', input) as Promise<RecordedTip>;
  }

  /**
   * Pass a viewer's chat line to a live session's personas (the chatbot plugin's `chatbot_message`),
   * for platforms without a connector. Resolves with the reply sent, which the session's sockets
   * also get as `chatbot_response`, or null when no persona answered (none fits, or a cooldown holds).
   */
  chatbotMessage(input: ChatbotMessageInput): Promise<ChatbotResponse | null> {
    return this.#emit('chatbot_message', input) as Promise<ChatbotResponse | null>;
  }

  close(): void {
    this.socket.disconnect();
    this.#setStatus('closed');
  }

  /**
   * Any client → server event, acked; a refusal rejects with an ApiError (status 0). It never
   * hangs: on a closed connection it rejects at once (`connection_closed`), and when the
   * connection drops with the call in flight or no answer comes in time, with `no_reply`.
   */
  #emit(event: string, payload: unknown): Promise<unknown> {
    if (!this.socket.active) {
      return Promise.reject(new ApiError({ status: 0, code: 'connection_closed', detail: `"${event}" not sent: the connection is closed` }));
    }
    return new Promise((resolve, reject) => {
      const emit = this.socket.timeout(this.#ackTimeoutMs).emit as (e: string, p: unknown, ack: (err: Error | null, reply: Ack) => void) => void;
      emit.call(this.socket, event, payload, (err, reply) => {
        if (err) {
          const detail = `no answer to "${event}" (${err.message}); the server may or may not have handled it`;
          reject(Object.assign(new ApiError({ status: 0, code: 'no_reply', detail }), { cause: err }));
        } else if (reply.ok) resolve(reply.data);
        else reject(new ApiError({ status: 0, code: reply.error.code, detail: reply.error.message, errors: reply.error.errors }));
      });
    });
  }

  #receive(event: string, payload: unknown, meta: unknown): void {
    const verdict = isBroadcastMeta(meta) ? this.#sequences.check(meta) : 'next';
    if (verdict === 'duplicate') return;
    for (const listener of [...(this.#listeners.get(event) ?? [])]) listener(payload);
    if (verdict === 'gap') for (const listener of [...this.#gapListeners]) listener((meta as { sessionId: string }).sessionId);
  }

  #setStatus(status: ConnectionStatus): void {
    if (status === this.#status) return;
    this.#status = status;
    for (const listener of this.#statusListeners) listener(status);
  }
}
