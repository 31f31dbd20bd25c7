import type { SessionUpdate } from './overlay-events.ts';

/**
 * Which session a widget's tips belong to. What a widget keeps of one session must go when
 * that session ends or data of another one arrives (the overlay key follows the creator from
 * session to session without a reload).
 */
export class SessionScope {
  #sessionId: string | undefined;

  get sessionId(): string | undefined {
    return this.#sessionId;
  }

  /** Data of `sessionId` arrives: answers whether what is kept belongs to another session. */
  enter(sessionId: string): boolean {
    const stale = this.#sessionId !== undefined && sessionId !== this.#sessionId;
    this.#sessionId = sessionId;
    return stale;
  }

  /** `session_updated`: answers whether what is kept must go (the session ended, or another one started). */
  update(update: Pick<SessionUpdate, 'sessionId' | 'status'>): boolean {
    if (!update || typeof update.sessionId !== 'string') return false;
    const stale = update.status === 'ended' || (this.#sessionId !== undefined && update.sessionId !== this.#sessionId);
    this.#sessionId = update.status === 'ended' ? undefined : update.sessionId;
    return stale;
  }
}
