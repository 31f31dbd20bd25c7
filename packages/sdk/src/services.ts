import type { EntityManager } from '@mikro-orm/sql';
import type { StreamSessionDto, StreamSessionUpdate } from './domain.ts';

/**
 * A typed handle on a service one plugin (or the kernel) provides and others use.
 * Only the reference is shared; the implementation stays private to its provider.
 */
export interface ServiceRef<T> {
  readonly id: string;
  /** The plugin id that provides it (`core` for the kernel). */
  readonly providedBy: string;
  /** Phantom, for inference only. */
  readonly __type?: T;
}

export function createServiceRef<T>(options: { id: string; providedBy: string }): ServiceRef<T> {
  return Object.freeze({ id: options.id, providedBy: options.providedBy });
}

/** What the kernel offers plugins about sessions (use with `ctx.use(coreServiceRefs.sessions)`). */
export interface SessionsService {
  /** The creator's session; another creator's or a missing one is a 404 Problem. */
  get(em: EntityManager, creatorId: string, sessionId: string): Promise<StreamSessionDto>;
  getActive(em: EntityManager, creatorId: string): Promise<StreamSessionDto | null>;
  /**
   * Inside the caller's transaction: add a tip to the session's totals in one locked update.
   * An ended session is refused (409 `session_ended`), a missing or foreign one is a 404.
   * Answers the session as `session_updated` shows it, so callers need no second read.
   */
  addTip(em: EntityManager, creatorId: string, sessionId: string, tip: { amountCents: number; newTipper: boolean }): Promise<StreamSessionUpdate>;
}

export const coreServiceRefs = {
  sessions: createServiceRef<SessionsService>({ id: 'core.sessions', providedBy: 'core' }),
};
