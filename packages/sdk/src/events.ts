import type { z } from 'zod';

/**
 * Events are refs: a name (the wire name, e.g. `tip_received` or `streaming.tip.received`),
 * the id of the plugin that owns it, and a zod schema for its payload. Publishing, emitting,
 * subscribing and handling all take a ref, so a wrong payload or an unknown event does not
 * compile. Each plugin defines its own with `defineEvents`; the SDK defines only the kernel's.
 */
export interface EventRefBase<K extends string, N extends string, S extends z.ZodType> {
  readonly kind: K;
  readonly name: N;
  /** The plugin that defines the event (`core` for the kernel's). */
  readonly owner: string;
  readonly schema: S;
}

/** A domain event: written to the outbox with the change that caused it, delivered to subscribers as jobs. */
export type DomainEventRef<N extends string = string, S extends z.ZodType = z.ZodType> = EventRefBase<'domain', N, S>;

/** A server → client socket event, sent to a session's or a creator's sockets. */
export interface SocketEventRef<N extends string = string, S extends z.ZodType = z.ZodType, O extends boolean = boolean> extends EventRefBase<'socket', N, S> {
  /** Also sent on the read-only `/streaming/overlay` namespace (OBS). */
  readonly overlay: O;
}

/** A client → server event on `/streaming`, answered through the ack. */
export type CommandRef<N extends string = string, S extends z.ZodType = z.ZodType> = EventRefBase<'command', N, S>;

/** A ref of any kind, as `parsePayload` takes it. */
export type AnyEventRef = DomainEventRef | SocketEventRef | CommandRef;

/** What the payload of a ref is once parsed (what subscribers and listeners receive). */
export type PayloadOf<R extends { schema: z.ZodType }> = z.output<R['schema']>;
/** What a publisher or emitter passes for a ref. */
export type PayloadInput<R extends { schema: z.ZodType }> = z.input<R['schema']>;

type Schemas = Record<string, z.ZodType>;

/** What `defineEvents` takes: the plugin's events by kind, each wire name with its payload's schema. */
export interface EventsSpec<D extends Schemas, S extends Schemas, V extends string, C extends Schemas> {
  /** Domain events, e.g. `'streaming.goal.completed': GoalCompletedSchema`. */
  domain?: D;
  /** Server → client socket events, e.g. `goal_progress: GoalProgressSchema`. */
  socket?: S;
  /** Which socket events OBS overlays receive too. */
  overlay?: readonly V[];
  /** Client → server socket events, e.g. `add_tip: AddTipSchema`. */
  commands?: C;
}

/** Everything one plugin declares; what its `contract.ts` exports and other code imports. */
export interface EventContract<
  O extends string = string,
  D extends Schemas = Schemas,
  S extends Schemas = Schemas,
  V extends string = string,
  C extends Schemas = Schemas,
> {
  readonly kind: 'events';
  readonly owner: O;
  readonly domain: { readonly [K in keyof D & string]: DomainEventRef<K, D[K]> };
  readonly socket: { readonly [K in keyof S & string]: SocketEventRef<K, S[K], K extends V ? true : false> };
  readonly commands: { readonly [K in keyof C & string]: CommandRef<K, C[K]> };
}

/** Any plugin's contract. */
export interface AnyEventContract {
  readonly kind: 'events';
  readonly owner: string;
  readonly domain: Readonly<Record<string, DomainEventRef>>;
  readonly socket: Readonly<Record<string, SocketEventRef>>;
  readonly commands: Readonly<Record<string, CommandRef>>;
}

const SOCKET_NAME = /^[a-z][a-z0-9_]{0,63}$/;
const DOMAIN_NAME = /^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)+$/;

/**
 * Declare the events a plugin owns. The names are the wire names (keep the spec's); the
 * schemas type every publish, emit and handler, and check payloads in development and tests.
 *
 * ```ts
 * export const goalEvents = defineEvents('goals', {
 *   domain: { 'streaming.goal.completed': GoalCompleted },
 *   socket: { goal_progress: GoalProgress },
 *   overlay: ['goal_progress'],
 * });
 * ```
 */
export function defineEvents<
  const O extends string,
  D extends Schemas = {},
  S extends Schemas = {},
  const V extends keyof S & string = never,
  C extends Schemas = {},
>(owner: O, spec: EventsSpec<D, S, V, C>): EventContract<O, D, S, V, C> {
  const overlay = new Set<string>(spec.overlay ?? []);
  const refs = <K extends string>(kind: K, schemas: Schemas | undefined, pattern: RegExp, extra: (name: string) => object = () => ({})) =>
    Object.freeze(
      Object.fromEntries(
        Object.entries(schemas ?? {}).map(([name, schema]) => {
          if (!pattern.test(name)) throw new Error(`${owner}: ${kind} event name "${name}" must match ${pattern}`);
          return [name, Object.freeze({ kind, name, owner, schema, ...extra(name) })];
        }),
      ),
    );
  for (const name of overlay) {
    if (!spec.socket || !(name in spec.socket)) throw new Error(`${owner}: overlay event "${name}" is not one of its socket events`);
  }
  return Object.freeze({
    kind: 'events',
    owner,
    domain: refs('domain', spec.domain, DOMAIN_NAME),
    socket: refs('socket', spec.socket, SOCKET_NAME, (name) => ({ overlay: overlay.has(name) })),
    commands: refs('command', spec.commands, SOCKET_NAME),
  }) as unknown as EventContract<O, D, S, V, C>;
}

/** A delivered domain event: its payload plus the outbox id subscribers deduplicate on. */
export interface DomainEvent<R extends DomainEventRef = DomainEventRef> {
  /** Stable across redeliveries. */
  id: string;
  name: R['name'];
  payload: PayloadOf<R>;
  occurredAt: string;
}

type SocketRefsOf<C> = C extends AnyEventContract ? C['socket'][keyof C['socket']] : never;

/**
 * The server → client events of some contracts as one map of name → payload, e.g. for a
 * typed socket client: `SocketEventMap<typeof kernelEvents | typeof tipEvents>`.
 */
export type SocketEventMap<C extends AnyEventContract> = { [R in SocketRefsOf<C> as R['name']]: PayloadOf<R> };

/** The subset of `SocketEventMap` that OBS overlays receive. */
export type OverlayEventMap<C extends AnyEventContract> = {
  [R in SocketRefsOf<C> as R extends { overlay: true } ? R['name'] : never]: PayloadOf<R>;
};

/** Thrown where a payload breaks its event's schema (development and tests only). */
export class EventPayloadError extends Error {
  readonly event: string;
  constructor(ref: AnyEventRef, issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>) {
    const details = issues.map((i) => `${i.path.map(String).join('.') || '(payload)'}: ${i.message}`).join('; ');
    super(`${ref.kind} event "${ref.name}" (from ${ref.owner}) has an invalid payload: ${details}`);
    this.name = 'EventPayloadError';
    this.event = ref.name;
  }
}

/** Parse a payload by its ref's schema; throws an `EventPayloadError` naming each bad field. */
export function parsePayload<R extends AnyEventRef>(ref: R, payload: unknown): PayloadOf<R> {
  const parsed = ref.schema.safeParse(payload);
  if (!parsed.success) throw new EventPayloadError(ref, parsed.error.issues);
  return parsed.data as PayloadOf<R>;
}
