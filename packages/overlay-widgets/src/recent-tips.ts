import type { OverlayTip, SessionUpdate } from './overlay-events.ts';

/** The last N tips of the current session, newest first, for `<sc-event-list>`. */
export class RecentTips {
  #limit: number;
  #items: OverlayTip[] = [];
  #sessionId: string | undefined;

  constructor(limit = DEFAULT_LIMIT) {
    this.#limit = clampLimit(limit);
  }

  get items(): readonly OverlayTip[] {
    return this.#items;
  }

  get limit(): number {
    return this.#limit;
  }

  set limit(limit: number) {
    this.#limit = clampLimit(limit);
    this.#items = this.#items.slice(0, this.#limit);
  }

  /** Answers whether the list changed (a redelivered tip does not). */
  add(tip: OverlayTip): boolean {
    if (!tip || typeof tip.id !== 'string' || this.#items.some((t) => t.id === tip.id)) return false;
    if (this.#sessionId !== undefined && tip.sessionId !== this.#sessionId) this.#items = [];
    this.#sessionId = tip.sessionId;
    this.#items = [tip, ...this.#items].slice(0, this.#limit);
    return true;
  }

  /** Empty the list when the session ends or another one starts; answers whether it changed. */
  session(update: Pick<SessionUpdate, 'sessionId' | 'status'>): boolean {
    if (!update || typeof update.sessionId !== 'string') return false;
    const stale = update.status === 'ended' || (this.#sessionId !== undefined && update.sessionId !== this.#sessionId);
    this.#sessionId = update.status === 'ended' ? undefined : update.sessionId;
    if (!stale || !this.#items.length) return false;
    this.#items = [];
    return true;
  }
}

export const DEFAULT_LIMIT = 5;
export const MAX_LIMIT = 50;

function clampLimit(limit: number): number {
  return Number.isFinite(limit) ? Math.min(MAX_LIMIT, Math.max(1, Math.floor(limit))) : DEFAULT_LIMIT;
}
