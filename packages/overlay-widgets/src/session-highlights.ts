import type { OverlayTip, SessionUpdate, TipsSnapshot } from './overlay-events.ts';
import { SessionScope } from './session-scope.ts';

/**
 * The session's last tip and biggest tip, for `<sc-tip-highlights>`: from `tips_snapshot` (on
 * join and after a void), then from each tip. A voided tip leaves at once; the snapshot that
 * follows the void fills its place.
 */
export class SessionHighlights {
  #last: OverlayTip | undefined;
  #biggest: OverlayTip | undefined;
  readonly #scope = new SessionScope();

  get last(): OverlayTip | undefined {
    return this.#last;
  }

  get biggest(): OverlayTip | undefined {
    return this.#biggest;
  }

  snapshot(snapshot: Pick<TipsSnapshot, 'sessionId' | 'recent' | 'biggest'>): boolean {
    if (!snapshot || typeof snapshot.sessionId !== 'string' || !Array.isArray(snapshot.recent)) return false;
    this.#scope.enter(snapshot.sessionId);
    this.#last = snapshot.recent.find(isShown);
    this.#biggest = isShown(snapshot.biggest) ? snapshot.biggest : undefined;
    return true;
  }

  /** A new tip is the last one, and the biggest when it beats it (a tie keeps the earlier). */
  add(tip: OverlayTip): boolean {
    if (!isShown(tip) || tip.id === this.#last?.id) return false;
    if (this.#scope.enter(tip.sessionId)) this.#biggest = undefined;
    this.#last = tip;
    if (!this.#biggest || tip.amountCents > this.#biggest.amountCents) this.#biggest = tip;
    return true;
  }

  remove(tipId: string): boolean {
    const changed = this.#last?.id === tipId || this.#biggest?.id === tipId;
    if (this.#last?.id === tipId) this.#last = undefined;
    if (this.#biggest?.id === tipId) this.#biggest = undefined;
    return changed;
  }

  session(update: Pick<SessionUpdate, 'sessionId' | 'status'>): boolean {
    if (!this.#scope.update(update) || (!this.#last && !this.#biggest)) return false;
    this.#last = this.#biggest = undefined;
    return true;
  }
}

function isShown(tip: OverlayTip | null | undefined): tip is OverlayTip {
  return !!tip && typeof tip.id === 'string' && Number.isFinite(tip.amountCents) && !tip.voidedAt;
}
