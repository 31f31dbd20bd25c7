import type { OverlayTip, SessionUpdate, TipsSnapshot } from './overlay-events.ts';
import { SessionScope } from './session-scope.ts';

/**
 * The last N tips of the current session, newest first, for `<sc-event-list>`: filled from the
 * server's `tips_snapshot` when the overlay joins (so a reload keeps the list), then tip by
 * tip; a voided tip leaves. Up to `MAX_LIMIT` are kept whatever the limit, so raising the limit
 * or voiding a tip shows older ones again at once.
 */
export class RecentTips {
  #limit: number;
  #items: OverlayTip[] = [];
  readonly #scope = new SessionScope();

  constructor(limit = DEFAULT_LIMIT) {
    this.#limit = clampLimit(limit);
  }

  get items(): readonly OverlayTip[] {
    return this.#items.slice(0, this.#limit);
  }

  get limit(): number {
    return this.#limit;
  }

  set limit(limit: number) {
    this.#limit = clampLimit(limit);
  }

  /** Answers whether the list changed (a redelivered tip does not). */
  add(tip: OverlayTip): boolean {
    if (!tip || typeof tip.id !== 'string' || this.#items.some((t) => t.id === tip.id)) return false;
    if (this.#scope.enter(tip.sessionId)) this.#items = [];
    this.#items = [tip, ...this.#items].slice(0, MAX_LIMIT);
    return true;
  }

  /**
   * The server's list replaces this one: it is the truth after a reload or a void. (It holds
   * the latest 20; a longer list fills up again as tips come.) Answers whether it was one.
   */
  snapshot(snapshot: Pick<TipsSnapshot, 'sessionId' | 'recent'>): boolean {
    if (!snapshot || typeof snapshot.sessionId !== 'string' || !Array.isArray(snapshot.recent)) return false;
    this.#scope.enter(snapshot.sessionId);
    this.#items = snapshot.recent.filter((tip) => tip && typeof tip.id === 'string' && !tip.voidedAt).slice(0, MAX_LIMIT);
    return true;
  }

  /** Drop a voided tip; answers whether it was kept. */
  remove(tipId: string): boolean {
    const kept = this.#items.filter((tip) => tip.id !== tipId);
    if (kept.length === this.#items.length) return false;
    this.#items = kept;
    return true;
  }

  /** Empty the list when the session ends or another one starts; answers whether it changed. */
  session(update: Pick<SessionUpdate, 'sessionId' | 'status'>): boolean {
    if (!this.#scope.update(update) || !this.#items.length) return false;
    this.#items = [];
    return true;
  }
}

export const DEFAULT_LIMIT = 5;
export const MAX_LIMIT = 50;

function clampLimit(limit: number): number {
  return Number.isFinite(limit) ? Math.min(MAX_LIMIT, Math.max(1, Math.floor(limit))) : DEFAULT_LIMIT;
}
