import type { EntityManager } from '@mikro-orm/sql';
import type { z } from 'zod';
import type { CreatorIdentity, Logger } from './context-types.ts';
import type { CommandRef, DomainEvent, DomainEventRef, PayloadInput, PayloadOf, SocketEventRef } from './events.ts';
import type { JobContext } from './jobs.ts';

/** Sockets a server → client event goes to: a session's or a creator's (`toSession`, `toCreator`). */
export interface RealtimeTarget {
  /**
   * Inside `em`'s transaction: written to the outbox with the change, and sent once the
   * transaction commits (or, after a crash, by the next instance to boot). Session broadcasts
   * carry the session's next sequence number. Use it for everything that follows a change.
   */
  publish<R extends SocketEventRef>(em: EntityManager, event: R, payload: PayloadInput<R>): Promise<void>;
  /** Sent now to whoever is connected and stored nowhere: for replies that follow no change (a chatbot answer). */
  emit<R extends SocketEventRef>(event: R, payload: PayloadInput<R>): void;
}

/** Picks the sockets a server → client event goes to. */
export interface Realtime {
  /** The session's room on `/streaming`, and on `/streaming/overlay` for the event's overlay flag. */
  toSession(sessionId: string): RealtimeTarget;
  /**
   * Every socket of this creator, whichever session they watch (e.g. a menu change). With
   * `alsoSession`, that session's sockets too (overlays joined by the session's id are in no
   * creator room); a socket in both gets the event once.
   */
  toCreator(creatorId: string, options?: { alsoSession?: string | null }): RealtimeTarget;
}

/** One overlay socket that has just joined, live session or not, for sending it what it shows. */
export interface OverlayConnect {
  /** The live session it follows; null for one joined by key while the creator is not live. */
  sessionId: string | null;
  creatorId: string;
  em: EntityManager;
  /** Only to this socket, and only events overlays receive. */
  emit<R extends SocketEventRef<string, z.ZodType, true>>(event: R, payload: PayloadInput<R>): void;
}

/** One overlay socket that has just joined a session, for sending it the current state. */
export interface OverlayJoin extends OverlayConnect {
  sessionId: string;
}

/** `ctx.realtime`: broadcasts to sockets, and hooks to send an overlay what it shows when it joins. */
export interface PluginRealtime extends Realtime {
  /**
   * Called whenever an overlay joins a session (a freshly added or reloaded OBS source), after
   * the kernel has sent `session_updated`: send what the overlay needs so it is never blank mid-stream.
   */
  onOverlayJoin(handler: (join: OverlayJoin) => Promise<void> | void): void;
  /**
   * Called on every successful `join_overlay`, before `session_updated` and the `onOverlayJoin`
   * hooks, even with no live session (`sessionId` null): for what an overlay shows whether or
   * not the creator is live, such as its look.
   */
  onOverlayConnect(handler: (connect: OverlayConnect) => Promise<void> | void): void;
}

/** What a socket command's handler gets besides the payload: the creator, the socket, and an entity manager of its own. */
export interface SocketContext {
  creator: CreatorIdentity;
  socketId: string;
  em: EntityManager;
  log: Logger;
  /** Put this socket in (or out of) a session's rooms, after checking it is the creator's. */
  joinSession(sessionId: string): Promise<void>;
  /** Take this socket out of a session's rooms. */
  leaveSession(sessionId: string): Promise<void>;
}

/** `ctx.socket`: handlers for the plugin's own commands (client → server events). */
export interface SocketRegistrar {
  /**
   * Handle a client → server event on the authenticated `/streaming` namespace. The payload is
   * parsed by the command's schema first; a bad one answers the spec's `error` event (and the
   * ack) without calling you. What you return is acknowledged as `{ ok: true, data }`.
   */
  on<R extends CommandRef>(command: R, handler: (payload: PayloadOf<R>, ctx: SocketContext) => unknown): void;
}

/** How a subscription to a domain event runs (`ctx.events.on`); `E` is the event it receives. */
export interface EventSubscriberOptions<E extends DomainEvent = DomainEvent> {
  /** Unique within the plugin; names the subscription in logs and the job queue. Defaults to the event name. */
  name?: string;
  /** Total tries; default 8, with exponential backoff. */
  attempts?: number;
  /**
   * Run the handler in a transaction (`job.em`) that also records the event as handled by this
   * subscription, so a redelivered event is skipped: what the handler writes happens once.
   * Ids are kept 30 days.
   */
  once?: boolean;
  /**
   * Handle a session's events of this kind in the order they were committed, each once (implies
   * `once`). The event's payload must carry the session's `sessionId`; events without one are
   * handled once, as they come. When a delivery finds earlier events of the same session this
   * subscription has not handled yet (their jobs died with a crashed process, or wait for a retry,
   * or were simply delivered later), it handles those first, from the outbox, in the same
   * transaction. An earlier event whose handler throws there is left to its own retries, so one
   * bad event cannot hold its session's later ones back.
   */
  inSessionOrder?: boolean;
  /**
   * Whether the event concerns this subscriber at all: a cheap read (does the creator have a menu,
   * does the session have a goal?) run before the handler, outside any transaction and before
   * what `once` and `inSessionOrder` record. False, and the event is done with for this
   * subscriber: the handler is not called, nothing is recorded, nothing is retried. Most events
   * find most plugins with nothing to do, and this is what makes that cheap. (An earlier event an
   * `inSessionOrder` subscriber catches up on goes through it too, inside that transaction.)
   *
   * A function, or better a {@link SqlCondition}: the kernel asks the SQL conditions of all an
   * event's subscribers in one statement.
   */
  when?: ((event: E, job: JobContext) => Promise<boolean> | boolean) | SqlCondition<E>;
}

/**
 * A subscriber's `when` as SQL: a boolean expression over your plugin's tables, with a `?` for
 * each value `params` gives from the event. The kernel asks the conditions of every subscriber
 * of an event in one statement, so an event that concerns none of them costs one round trip to
 * the database rather than one each. Keep it to one indexed lookup; `?` stands only for a
 * parameter (write jsonb's `?` operator as `jsonb_exists`).
 *
 * ```ts
 * ctx.events.on(tipEvents.domain['streaming.tip.received'], countTip, {
 *   when: {
 *     sql: 'exists (select 1 from acme_counters where creator_id = ? and active)',
 *     params: ({ payload }) => [payload.creatorId],
 *   },
 * });
 * ```
 */
export interface SqlCondition<E extends DomainEvent = DomainEvent> {
  /** A boolean SQL expression, usually `exists (select 1 from … where …)`. */
  sql: string;
  /** The values of its `?`s, in order, from the event. */
  params: (event: E) => readonly unknown[];
}

/** `ctx.events`: publish the plugin's domain events, and subscribe to its own or its dependencies'. */
export interface EventBus {
  /**
   * Subscribe to a domain event (your own, or one from a plugin in your `deps`). Delivery is
   * at least once, after the publishing transaction commits (a retry, with Redis, as a BullMQ
   * job), so handlers must be idempotent: `event.id` is stable across redeliveries.
   */
  on<R extends DomainEventRef>(event: R, handler: (event: DomainEvent<R>, job: JobContext) => Promise<void> | void, options?: EventSubscriberOptions<DomainEvent<R>>): void;
  /**
   * Write one of your domain events to the outbox inside `em`'s transaction: it is delivered
   * after that commits, and never if it rolls back. Outside a transaction it is written and
   * delivered at once.
   */
  publish<R extends DomainEventRef>(em: EntityManager, event: R, payload: PayloadInput<R>): Promise<void>;
}
