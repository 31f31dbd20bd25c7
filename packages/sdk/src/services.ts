import type { EntityManager } from '@mikro-orm/sql';
import type { AnyEventContract } from './events.ts';
import type { StreamPlatform } from './enums.ts';
import type { ChatMessageInput, StreamSessionDto, StreamSessionUpdate } from './kernel-contract.ts';

/**
 * A typed handle on a service one plugin (or the kernel) provides and others use. Only the
 * reference is shared, from the provider's `contract.ts`; the implementation stays private.
 */
export interface ServiceRef<T> {
  readonly kind: 'service';
  readonly id: string;
  /** The plugin id that provides it (`core` for the kernel). */
  readonly providedBy: string;
  /** Phantom, for inference only. */
  readonly __type?: T;
}

/**
 * The ref of a service a plugin provides: export it from the provider's `contract.ts`. `id`
 * names the service server-wide; `providedBy` is the providing plugin's id.
 */
export function createServiceRef<T>(options: { id: string; providedBy: string }): ServiceRef<T> {
  return Object.freeze({ kind: 'service', id: options.id, providedBy: options.providedBy });
}

/** A dependency the plugin can do without: `undefined` in `setup` when its plugin is not loaded. */
export interface OptionalDependency<R extends ServiceRef<unknown> | AnyEventContract> {
  readonly kind: 'optional';
  readonly ref: R;
}

/** A service ref or event contract the plugin uses when its plugin is loaded, and does without otherwise. */
export function optional<R extends ServiceRef<any> | AnyEventContract>(ref: R): OptionalDependency<R> {
  return Object.freeze({ kind: 'optional', ref });
}

/**
 * What a plugin may name in `deps`: a service ref, an optional one, or another plugin's event
 * contract (to subscribe to its events). Each names the plugin it comes from, which makes
 * that plugin a dependency: set up first, and required at boot unless optional.
 */
export type Dependency = ServiceRef<any> | OptionalDependency<ServiceRef<any> | AnyEventContract> | AnyEventContract;

/** What `setup` receives for a plugin's `deps`. */
export type ResolvedDeps<D extends Record<string, Dependency>> = {
  readonly [K in keyof D]: D[K] extends ServiceRef<infer T>
    ? T
    : D[K] extends OptionalDependency<ServiceRef<infer T>>
      ? T | undefined
      : D[K] extends OptionalDependency<infer C extends AnyEventContract>
        ? C | undefined
        : D[K];
};

/** The plugin a dependency comes from, and whether boot needs it. */
export function dependencyOwner(dependency: Dependency): { plugin: string; what: string; required: boolean } {
  switch (dependency.kind) {
    case 'service':
      return { plugin: dependency.providedBy, what: dependency.id, required: true };
    case 'optional': {
      const { ref } = dependency;
      return ref.kind === 'service' ? { plugin: ref.providedBy, what: ref.id, required: false } : { plugin: ref.owner, what: 'events', required: false };
    }
    case 'events':
      return { plugin: dependency.owner, what: 'events', required: true };
  }
}

/** What starting a session takes. */
export interface StartSession {
  platform: StreamPlatform;
  title?: string;
  metadata?: Record<string, unknown>;
  /** A rehearsal: overlays play its tips, analytics leaves it out. */
  rehearsal?: boolean;
}

/** What the kernel offers plugins about sessions. */
export interface SessionsService {
  /**
   * Start a session for the creator (what `POST /api/sessions` does): a 409
   * `session_already_active` while another one is live.
   */
  start(em: EntityManager, creatorId: string, input: StartSession): Promise<StreamSessionDto>;
  /** End a session (idempotent: an ended one is answered unchanged). */
  end(em: EntityManager, creatorId: string, sessionId: string): Promise<StreamSessionDto>;
  /** Report the live viewer count (what `update_viewers` does); an ended session is a 409. */
  updateViewers(em: EntityManager, creatorId: string, sessionId: string, viewerCount: number): Promise<StreamSessionUpdate>;
  /**
   * Inside the caller's transaction: publish a viewer's chat line in a live session as
   * `streaming.chat.message`, for whatever answers chat (the chatbot). Connectors call it.
   */
  chatMessage(em: EntityManager, creatorId: string, sessionId: string, message: ChatMessageInput): Promise<void>;
  /** The creator's session; another creator's or a missing one is a 404 Problem. */
  get(em: EntityManager, creatorId: string, sessionId: string): Promise<StreamSessionDto>;
  /** The creator's live session, or null. */
  getActive(em: EntityManager, creatorId: string): Promise<StreamSessionDto | null>;
  /**
   * The session a request names: the creator's, or a 404 `session_not_found` whose `errors`
   * name the field `sessionId`; with `live`, an ended one is a 409 `session_ended` naming it too.
   */
  require(em: EntityManager, creatorId: string, sessionId: string, options?: { live?: boolean }): Promise<StreamSessionDto>;
  /**
   * Inside the caller's transaction: add a tip to the session's totals in one locked update,
   * and publish the resulting `session_updated`. An ended session is refused (409
   * `session_ended`), a missing or foreign one is a 404. Answers the session update.
   */
  addTip(em: EntityManager, creatorId: string, sessionId: string, tip: { amountCents: number; newTipper: boolean }): Promise<StreamSessionUpdate>;
  /**
   * Inside the caller's transaction: lock the session (live or ended), then let `count` recount
   * its tip totals from the tips (after a tip was voided), write them and publish the resulting
   * `session_updated`. The lock comes first, so a tip recorded meanwhile is either counted by
   * `count` or added after this commits, never lost. A missing or foreign session is a 404.
   */
  recountTips(em: EntityManager, creatorId: string, sessionId: string, count: (em: EntityManager) => Promise<TipTotals>): Promise<StreamSessionUpdate>;
}

/** A session's tip figures, as `recountTips` writes them. */
export type TipTotals = Pick<StreamSessionUpdate, 'totalTipsCents' | 'tipCount' | 'tipperCount' | 'biggestTipCents'>;

/** What anyone may know of a creator (public routes use it to tell an unknown creator from a quiet one). */
export interface CreatorsService {
  /** The creator's id and display name, or null when there is no such creator. */
  find(em: EntityManager, creatorId: string): Promise<{ id: string; displayName: string } | null>;
}

/**
 * The time: use it instead of `new Date()` for what depends on time passing (cooldowns,
 * schedules), so tests can run a manual clock and move it on instead of waiting.
 */
export interface Clock {
  /** The current time, by this clock. */
  now(): Date;
}

/**
 * Keeps what a plugin must store but never show (a platform token) sealed at rest:
 * authenticated encryption under the server's secrets key (`SECRETS_KEY`, or one the server
 * made and keeps). `open` throws on a sealed value that was tampered with or made under another key.
 */
export interface SecretsService {
  /** The text, encrypted for storing; sealing it again gives a different string. */
  seal(plaintext: string): string;
  /** The text `seal` was given. */
  open(sealed: string): string;
}

/** The kernel's services, for `deps`. */
export const coreServices = {
  sessions: createServiceRef<SessionsService>({ id: 'core.sessions', providedBy: 'core' }),
  creators: createServiceRef<CreatorsService>({ id: 'core.creators', providedBy: 'core' }),
  clock: createServiceRef<Clock>({ id: 'core.clock', providedBy: 'core' }),
  secrets: createServiceRef<SecretsService>({ id: 'core.secrets', providedBy: 'core' }),
};
