import type { EntityManager } from '@mikro-orm/sql';
import type { z } from 'zod';
import type { DomainEvent, DomainEventName, DomainEvents, OverlayEventName, ServerToClientEvents } from './domain.ts';
import type { ServiceRef } from './services.ts';

/** The pino-compatible subset of a logger that plugins get. */
export interface Logger {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

/** The creator a request, socket or job acts for. */
export interface CreatorIdentity {
  id: string;
  email: string | null;
  displayName: string;
}

/** A plugin migration: plain SQL, run once, in order, inside a transaction. */
export interface PluginMigration {
  /** Stable and unique within the plugin, e.g. `0001_create_tips`. */
  name: string;
  up: string[];
}

// ---------- HTTP ----------

export type RouteAuth = 'creator' | 'public';
type AnyZod = z.ZodType;
type Infer<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteSpec<P extends AnyZod | undefined, Q extends AnyZod | undefined, B extends AnyZod | undefined, R extends AnyZod | undefined> {
  auth: RouteAuth;
  summary?: string;
  description?: string;
  tags?: string[];
  params?: P;
  query?: Q;
  body?: B;
  /** Response schema: documents the route and is checked in development and tests. */
  response?: R;
  /** Success status; 200 unless set. */
  status?: number;
  /** Response media type; JSON unless set (a string body is sent as is, e.g. CSV). */
  contentType?: string;
}

export interface HttpRequest<P, Q, B, A extends RouteAuth> {
  params: P;
  query: Q;
  body: B;
  headers: Record<string, string | string[] | undefined>;
  /** The calling creator; present on every `auth: 'creator'` route. */
  creator: A extends 'creator' ? CreatorIdentity : CreatorIdentity | null;
  requestId: string;
  ip: string;
  /** An entity manager forked for this request. */
  em: EntityManager;
  log: Logger;
  /** Set a different success status or a header on the reply (e.g. 200 for an idempotent replay). */
  reply: { status(code: number): void; header(name: string, value: string): void };
}

export type RouteHandler<P, Q, B, R, A extends RouteAuth> = (req: HttpRequest<P, Q, B, A>) => Promise<R> | R;

type RouteMethod = <
  A extends RouteAuth,
  P extends AnyZod | undefined = undefined,
  Q extends AnyZod | undefined = undefined,
  B extends AnyZod | undefined = undefined,
  R extends AnyZod | undefined = undefined,
>(
  path: string,
  spec: RouteSpec<P, Q, B, R> & { auth: A },
  handler: RouteHandler<Infer<P>, Infer<Q>, Infer<B>, R extends z.ZodType ? z.input<R> : unknown, A>,
) => void;

export interface HttpRegistrar {
  get: RouteMethod;
  post: RouteMethod;
  put: RouteMethod;
  patch: RouteMethod;
  delete: RouteMethod;
}

// ---------- Sockets ----------

export interface SocketContext {
  creator: CreatorIdentity;
  socketId: string;
  em: EntityManager;
  log: Logger;
  /** Put this socket in (or out of) a session's rooms, after checking it is the creator's. */
  joinSession(sessionId: string): Promise<void>;
  leaveSession(sessionId: string): Promise<void>;
}

export interface SocketRegistrar {
  /**
   * Handle a client→server event on the authenticated `/streaming` namespace. The payload is
   * validated first; a bad one answers the spec's `error` event (and the ack) without calling you.
   * What you return is acknowledged as `{ ok: true, data }`.
   */
  on<S extends AnyZod, R>(event: string, schema: S, handler: (payload: z.output<S>, ctx: SocketContext) => Promise<R> | R): void;
}

// ---------- Realtime ----------

export interface RealtimeTarget {
  /** Emit to the session's room on `/streaming`, and on `/streaming/overlay` when the spec lists the event there. */
  emit<E extends keyof ServerToClientEvents>(event: E, payload: ServerToClientEvents[E]): void;
}

export interface Realtime {
  toSession(sessionId: string): RealtimeTarget;
  /** Every socket of this creator, whichever session they watch (e.g. `menu_updated`). */
  toCreator(creatorId: string): RealtimeTarget;
}

/** One overlay socket that has just joined a session, for sending it the current state. */
export interface OverlayJoin {
  sessionId: string;
  creatorId: string;
  em: EntityManager;
  /** Only to this socket, and only the events the overlay namespace carries. */
  emit<E extends OverlayEventName>(event: E, payload: ServerToClientEvents[E]): void;
}

export interface PluginRealtime extends Realtime {
  /**
   * Called whenever an overlay joins a session (a freshly added or reloaded OBS source), after
   * the kernel has sent `session_updated`: send what the overlay needs so it is never blank mid-stream.
   */
  onOverlayJoin(handler: (join: OverlayJoin) => Promise<void> | void): void;
}

export type { OverlayEventName };

// ---------- Domain events ----------

export interface EventSubscriberOptions {
  /** Unique within the plugin; names the subscription in logs and the job queue. Defaults to the event name. */
  name?: string;
  attempts?: number;
}

export interface EventBus {
  /**
   * Subscribe to a domain event. Delivery is at least once, after the publishing
   * transaction commits (with Redis, as a BullMQ job), so handlers must be idempotent:
   * `event.id` is stable across redeliveries.
   */
  on<N extends DomainEventName>(
    name: N,
    handler: (event: DomainEvent<N>, ctx: JobContext) => Promise<void> | void,
    options?: EventSubscriberOptions,
  ): void;
  /**
   * Write a domain event to the outbox through `em`. Call it inside the transaction that
   * makes the change: it is delivered after that commits, and never if it rolls back.
   */
  publish<N extends DomainEventName>(em: EntityManager, name: N, payload: DomainEvents[N]): void;
}

// ---------- Jobs ----------

export interface JobContext {
  jobId: string;
  /** 1 on the first try. */
  attempt: number;
  em: EntityManager;
  log: Logger;
}

export interface Backoff {
  type: 'fixed' | 'exponential';
  delayMs: number;
}

export interface JobOptions {
  concurrency?: number;
  /** Total tries, including the first. Default 3. */
  attempts?: number;
  backoff?: Backoff;
}

export interface EnqueueOptions {
  /** Enqueuing twice with one id runs the job once. */
  jobId?: string;
  delayMs?: number;
}

export type ScheduleSpec = { everyMs: number } | { cron: string };

export interface JobRef<T> {
  readonly name: string;
  /** Phantom, for inference only. */
  readonly __data?: T;
}

export interface JobRegistrar {
  define<S extends AnyZod>(
    name: string,
    schema: S,
    handler: (data: z.output<S>, ctx: JobContext) => Promise<void> | void,
    options?: JobOptions,
  ): JobRef<z.input<S>>;
  enqueue<T>(job: JobRef<T>, data: T, options?: EnqueueOptions): Promise<void>;
  /** Run a job on a repeat; the key makes scheduling idempotent across restarts and instances. */
  schedule<T>(job: JobRef<T>, key: string, spec: ScheduleSpec, data: T): Promise<void>;
}

// ---------- The plugin ----------

export interface Database {
  /** A fresh entity manager (a fork of the global one). */
  em(): EntityManager;
  /** Run `fn` in a transaction; domain events it publishes are delivered after commit. */
  transaction<T>(fn: (em: EntityManager) => Promise<T>): Promise<T>;
}

export interface PluginContext<C> {
  readonly pluginId: string;
  readonly config: C;
  readonly log: Logger;
  readonly http: HttpRegistrar;
  readonly socket: SocketRegistrar;
  readonly events: EventBus;
  readonly jobs: JobRegistrar;
  readonly realtime: PluginRealtime;
  readonly db: Database;
  provide<T>(ref: ServiceRef<T>, implementation: T): void;
  /** A service another plugin (or the kernel) provides; the provider must be a declared dependency. */
  use<T>(ref: ServiceRef<T>): T;
  /** Called when the server stops, in reverse plugin order. */
  onStop(fn: () => Promise<void> | void): void;
}

export interface PluginDefinition<CS extends AnyZod = AnyZod> {
  /** Lowercase id; also the prefix of the plugin's tables and jobs. */
  id: string;
  version: string;
  /** Semver range of the kernel this plugin works with, e.g. `^0.1.0`. */
  engine: string;
  dependencies?: string[];
  config?: CS;
  /** MikroORM entity schemas (`defineEntity`) the plugin's tables map to. */
  entities?: unknown[];
  migrations?: PluginMigration[];
  setup(ctx: PluginContext<z.output<CS>>): Promise<void> | void;
}

export type Plugin = PluginDefinition & { readonly kind: 'streaming-companion-plugin' };

/** Declare a plugin. Returns the definition, checked and branded for the kernel. */
export function definePlugin<CS extends AnyZod = z.ZodObject<{}>>(definition: PluginDefinition<CS>): Plugin {
  if (!/^[a-z][a-z0-9-]{1,31}$/.test(definition.id)) {
    throw new Error(`plugin id "${definition.id}" must be 2-32 lowercase letters, digits or dashes, starting with a letter`);
  }
  return { ...(definition as unknown as PluginDefinition), kind: 'streaming-companion-plugin' };
}
