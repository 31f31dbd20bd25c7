import type { Server as HttpServer } from 'node:http';
import type { EntityManager } from '@mikro-orm/sql';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { kernelEvents, Problem, type BroadcastMeta, type StreamSessionUpdate, type CommandRef, type CreatorIdentity, type SocketContext, type SocketErrorPayload } from '@streaming-companion/sdk';
import type { Redis } from 'ioredis';
import { Server, type Namespace, type Socket } from 'socket.io';
import type { BroadcastTarget } from '../entities/outbox-event.ts';
import { API_TOKEN_PREFIX, sha256 } from '../auth/credentials.ts';
import { refuseUnstorableText } from '../http/unstorable-text.ts';
import { validationProblem } from '../http/problem.ts';
import type { Authenticator } from '../http/route-registry.ts';
import type { PinoLogger } from '../logger.ts';
import type { OverlayJoin } from '../overlay/overlay-keys.ts';
import { RedisOutageLog } from '../redis-outage-log.ts';

/** How long a dropped client may be away and still get what it missed. */
export const RECOVERY_WINDOW_MS = 2 * 60 * 1000;

export const rooms = {
  session: (sessionId: string) => `session:${sessionId}`,
  creator: (creatorId: string) => `creator:${creatorId}`,
  /** Sockets authenticated with a personal API token (by its hash): cut off when it is revoked. */
  apiToken: (tokenHash: string) => `api-token:${tokenHash}`,
  /** Overlay sockets that joined by key: moved from session to session, cut off on rotation. */
  overlayKey: (creatorId: string) => `overlay-key:${creatorId}`,
  /** Overlay sockets that joined one of the creator's sessions by its id: cut off on rotation too. */
  overlayBySession: (creatorId: string) => `overlay-by-session:${creatorId}`,
};

export interface CommandHandlerRecord {
  owner: string;
  command: CommandRef;
  handler: (payload: any, ctx: SocketContext) => unknown;
}

/** Sends one socket that has just joined a session what it needs to show that session now. */
export type OverlayStateHook = (socket: Socket, sessionId: string, creatorId: string) => Promise<void>;

export interface RealtimeServerOptions {
  authenticator: Authenticator;
  forkEm: () => EntityManager;
  log: PinoLogger;
  corsOrigins: string[];
  /** With Redis, broadcasts reach every instance and recovery works across them. */
  redis?: Redis;
  redisPrefix?: string;
  /** Whether what an overlay joined with still holds: a recovered connection on a rotated key, or of an ended session, is refused. */
  overlayJoinIsCurrent: (join: OverlayJoin) => Promise<boolean>;
  /** Throws a Problem (404) unless the session is the creator's. */
  assertOwnsSession: (em: EntityManager, creatorId: string, sessionId: string) => Promise<void>;
  /** Whether an event goes to `/streaming/overlay` too (its ref's overlay flag). */
  isOverlayEvent: (name: string) => boolean;
}

/** The two socket.io namespaces: `/streaming` (creators, read-write) and `/streaming/overlay` (anyone, read-only). */
export class RealtimeServer {
  readonly io: Server;
  readonly streaming: Namespace;
  readonly overlay: Namespace;
  readonly #o: RealtimeServerOptions;
  readonly #handlers = new Map<string, CommandHandlerRecord>();
  readonly #overlayHandlers = new Map<string, (socket: Socket, payload: unknown) => Promise<void>>();
  #closing: Promise<void> | undefined;

  constructor(options: RealtimeServerOptions) {
    this.#o = options;
    const adapterKeys = `${options.redisPrefix ?? 'sc'}:socket.io`;
    this.io = new Server({
      serveClient: false,
      cors: options.corsOrigins.length ? { origin: options.corsOrigins.includes('*') ? true : options.corsOrigins } : undefined,
      connectionStateRecovery: { maxDisconnectionDuration: RECOVERY_WINDOW_MS, skipMiddlewares: false },
      // Every key under the deployment's prefix, the recovery sessions' too (the adapter's default is a bare `sio:session:`).
      adapter: options.redis
        ? createAdapter(handleSubscribeFailures(options.redis, options.log), { streamName: adapterKeys, channelPrefix: adapterKeys, sessionKeyPrefix: `${adapterKeys}:session:` })
        : undefined,
    });
    this.streaming = this.io.of('/streaming');
    this.overlay = this.io.of('/streaming/overlay');
    // Recovery restores a socket's rooms without its join_overlay, so check what it joined with again.
    this.overlay.use((socket, next) => {
      const join = socket.data as OverlayJoin;
      if (!socket.recovered || !join.overlayKey) return next();
      options.overlayJoinIsCurrent(join).then(
        (current) => next(current ? undefined : new Error('overlay key rotated or session ended: join again')),
        () => next(new Error('could not verify the overlay key')),
      );
    });
    this.streaming.use((socket, next) => {
      const token = (socket.handshake.auth as { token?: unknown }).token;
      if (typeof token !== 'string' || !token) return next(new Error('unauthorized: pass auth: { token }'));
      options.authenticator.authenticate(token).then(
        (creator) => {
          if (!creator) return next(new Error('unauthorized: the token is invalid, expired or revoked'));
          socket.data.creator = creator;
          if (token.startsWith(API_TOKEN_PREFIX)) socket.data.apiTokenHash = sha256(token);
          next();
        },
        () => next(new Error('unauthorized: could not verify the token')),
      );
    });
  }

  /** Register a `/streaming` client→server command (kernel or plugin). */
  on(record: CommandHandlerRecord): void {
    const clash = this.#handlers.get(record.command.name);
    if (clash) throw new Error(`${record.owner}: socket event "${record.command.name}" is already handled by ${clash.owner}`);
    this.#handlers.set(record.command.name, record);
  }

  /** Register a `/streaming/overlay` event; the kernel's join/leave only. */
  onOverlay(event: string, handler: (socket: Socket, payload: unknown) => Promise<void>): void {
    this.#overlayHandlers.set(event, handler);
  }

  attach(httpServer: HttpServer): void {
    this.io.attach(httpServer);
    this.streaming.on('connection', (socket) => this.#onStreamingConnection(socket));
    this.overlay.on('connection', (socket) => this.#onOverlayConnection(socket));
  }

  /**
   * Send to a target's rooms on `/streaming`, and on `/streaming/overlay` for overlay events.
   * A session broadcast's meta (`{ sessionId, seq }`) travels as a second argument, so
   * listeners that take only the payload see exactly the spec's payload.
   */
  send(target: BroadcastTarget, event: string, payload: unknown, meta?: BroadcastMeta): void {
    const targets = [...(target.sessionId ? [rooms.session(target.sessionId)] : []), ...(target.creatorId ? [rooms.creator(target.creatorId)] : [])];
    if (!targets.length) return;
    const args = meta ? [payload, meta] : [payload];
    this.streaming.to(targets).emit(event, ...args);
    if (this.#o.isOverlayEvent(event)) this.overlay.to(targets).emit(event, ...args);
    // A session's end is the last an overlay hears of it: overlays joined by its id get nothing after, key-joined ones wait in the creator's room for the next.
    if (target.sessionId && event === kernelEvents.socket.session_updated.name && (payload as StreamSessionUpdate).status === 'ended') {
      this.overlay.in(rooms.session(target.sessionId)).socketsLeave(rooms.session(target.sessionId));
    }
  }

  /** A revoked API token: its live connections end now, not at their next handshake. */
  disconnectApiToken(tokenHash: string): void {
    this.streaming.in(rooms.apiToken(tokenHash)).disconnectSockets(true);
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      // Never attached (a boot that failed before listening, a worker): socket.io's close() would throw
      // on the missing engine and never call back, hanging the kernel's stop(). Release the adapters only.
      if (!this.io.engine) {
        await Promise.allSettled([...this.io._nsps.values()].map((nsp) => nsp.adapter.close()));
        return;
      }
      await new Promise<void>((resolve) => this.io.close(() => resolve()));
    })();
    return this.#closing;
  }

  #onStreamingConnection(socket: Socket): void {
    const creator = socket.data.creator as CreatorIdentity;
    if (!socket.recovered) {
      const apiTokenHash = socket.data.apiTokenHash as string | undefined;
      void socket.join([rooms.creator(creator.id), ...(apiTokenHash ? [rooms.apiToken(apiTokenHash)] : [])]);
    }
    onEachEvent(socket, this.#o.log, async (event, payload) => {
      const record = this.#handlers.get(event);
      if (!record) throw new Problem(400, 'unknown_event', `unknown event "${event}"`);
      const parsed = record.command.schema.safeParse(payload);
      if (!parsed.success) throw validationProblem(parsed.error);
      refuseUnstorableText(parsed.data);
      const em = this.#o.forkEm();
      return record.handler(parsed.data, {
        creator,
        socketId: socket.id,
        em,
        log: this.#o.log.child({ socketId: socket.id, event, creatorId: creator.id }),
        joinSession: async (id) => {
          await this.#o.assertOwnsSession(em, creator.id, id);
          await socket.join(rooms.session(id));
        },
        leaveSession: async (id) => {
          await socket.leave(rooms.session(id));
        },
      });
    });
  }

  #onOverlayConnection(socket: Socket): void {
    onEachEvent(socket, this.#o.log, async (event, payload) => {
      const handler = this.#overlayHandlers.get(event);
      if (!handler) throw new Problem(403, 'read_only', `the overlay namespace is read-only; "${event}" is not allowed here`);
      await handler(socket, payload);
    });
  }
}

/**
 * Run `handle` for every client event. What it returns is acked as `{ ok: true, data }`; a
 * Problem it throws becomes the spec's `error` event and `{ ok: false, error }`; anything
 * else is logged and answered as an internal error, without details.
 */
function onEachEvent(socket: Socket, log: PinoLogger, handle: (event: string, payload: unknown) => Promise<unknown>): void {
  socket.onAny((event: string, ...args: unknown[]) => {
    const ack = typeof args.at(-1) === 'function' ? (args.pop() as (reply: unknown) => void) : undefined;
    const payload = args[0];
    handle(event, payload).then(
      (data) => ack?.({ ok: true, data: data ?? null }),
      (error: unknown) => {
        if (!(error instanceof Problem)) log.error({ err: error, event, socketId: socket.id }, 'socket handler failed');
        const problem = error instanceof Problem ? error : new Problem(500, 'internal_error', 'something went wrong on our side');
        const sessionId = sessionIdOf(payload);
        const reply: SocketErrorPayload = { message: problem.detail, code: problem.code, ...(sessionId ? { sessionId } : {}) };
        emitNow(socket, kernelEvents.socket.error.name, reply);
        ack?.({ ok: false, error: { code: problem.code, message: problem.detail, errors: problem.errors } });
      },
    );
  });
}

/**
 * The streams adapter SUBSCRIBEs on connections it duplicates from this client and never handles
 * the reply, so a stop soon after start (or a failed boot) disconnects them mid-SUBSCRIBE and
 * leaves unhandled rejections ("Connection is closed"). Hand it duplicates whose subscribe
 * failures are logged instead, and whose connection errors go to the log rather than to stderr
 * (a duplicate has none of the original's listeners). The client is the realtime server's own,
 * so patching it is contained.
 */
function handleSubscribeFailures(redis: Redis, log: PinoLogger): Redis {
  const duplicate = redis.duplicate.bind(redis);
  redis.duplicate = (...args: Parameters<Redis['duplicate']>) => {
    const client = new RedisOutageLog(log, 'socket adapter subscriber').watch(duplicate(...args));
    const subscribe = client.subscribe.bind(client) as (...channels: unknown[]) => Promise<unknown>;
    client.subscribe = ((...channels: unknown[]) => {
      const reply = subscribe(...channels);
      reply.catch((err: unknown) => log.debug({ err }, 'socket adapter subscription ended before it was confirmed'));
      return reply;
    }) as Redis['subscribe'];
    return client;
  };
  return redis;
}

/**
 * Emit to one socket ahead of its pending ack. With connection-state recovery on, a plain
 * `socket.emit` goes through the adapter, which with Redis publishes first and delivers after
 * the round trip — so the ack would overtake it. This reply needs no replay, so it skips that.
 */
export function emitNow(socket: Socket, event: string, payload: unknown): void {
  socket.nsp.local.to(socket.id).emit(event, payload);
}

function sessionIdOf(payload: unknown): string | undefined {
  const id = (payload as { sessionId?: unknown } | null | undefined)?.sessionId;
  return typeof id === 'string' ? id.slice(0, 64) : undefined;
}
