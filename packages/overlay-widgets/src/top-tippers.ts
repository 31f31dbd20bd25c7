import type { OverlayTip, SessionUpdate, TipsSnapshot, TopTipper } from './overlay-events.ts';
import { SessionScope } from './session-scope.ts';

/**
 * The session's top tippers, for `<sc-leaderboard>`: the server's ranking from `tips_snapshot`
 * (on join, and again after a void, since a void can reorder anything), then each named tip
 * added to its tipper's total and the ranking sorted again. Anonymous tips are not ranked (as
 * on the server). A tip delivered twice counts once.
 */
export class TopTippers {
  #entries: TopTipper[] = [];
  readonly #counted = new Set<string>();
  readonly #scope = new SessionScope();

  /** Highest total first; between equal totals, whoever got there first. */
  get entries(): readonly TopTipper[] {
    return this.#entries;
  }

  top(limit: number): readonly TopTipper[] {
    return this.#entries.slice(0, Math.max(0, limit));
  }

  /** The server's ranking replaces this one; answers whether it was one. */
  snapshot(snapshot: Pick<TipsSnapshot, 'sessionId' | 'topTippers'>): boolean {
    if (!snapshot || typeof snapshot.sessionId !== 'string' || !Array.isArray(snapshot.topTippers)) return false;
    this.#scope.enter(snapshot.sessionId);
    this.#counted.clear();
    this.#entries = snapshot.topTippers
      .filter((entry) => entry && typeof entry.tipperName === 'string' && Number.isFinite(entry.totalCents))
      .map((entry) => ({ tipperName: entry.tipperName, totalCents: entry.totalCents, tipCount: Number.isFinite(entry.tipCount) ? entry.tipCount : 0 }))
      .slice(0, MAX_ENTRIES);
    sortByTotal(this.#entries);
    return true;
  }

  /** Count a tip; answers whether the ranking changed (not for an anonymous or repeated tip). */
  add(tip: Pick<OverlayTip, 'id' | 'sessionId' | 'amountCents' | 'tipperName' | 'isAnonymous'>): boolean {
    if (!tip || typeof tip.id !== 'string' || !Number.isFinite(tip.amountCents) || this.#counted.has(tip.id)) return false;
    if (tip.isAnonymous || typeof tip.tipperName !== 'string' || !tip.tipperName.trim()) return false;
    if (this.#scope.enter(tip.sessionId)) this.#clear();
    this.#counted.add(tip.id);
    if (this.#counted.size > MAX_COUNTED) this.#counted.delete(this.#counted.values().next().value!);
    const entry = this.#entries.find((e) => e.tipperName === tip.tipperName);
    if (entry) {
      entry.totalCents += tip.amountCents;
      entry.tipCount += 1;
    } else {
      this.#entries.push({ tipperName: tip.tipperName, totalCents: tip.amountCents, tipCount: 1 });
    }
    sortByTotal(this.#entries);
    this.#entries = this.#entries.slice(0, MAX_ENTRIES);
    return true;
  }

  /** Empty when the session ends or another one starts; answers whether it changed. */
  session(update: Pick<SessionUpdate, 'sessionId' | 'status'>): boolean {
    if (!this.#scope.update(update) || !this.#entries.length) return false;
    this.#clear();
    return true;
  }

  #clear(): void {
    this.#entries = [];
    this.#counted.clear();
  }
}

/** Tippers kept beyond those shown, so one climbing from below the top ten is ranked right. */
const MAX_ENTRIES = 200;
/** Tip ids remembered to count a redelivered tip once. */
const MAX_COUNTED = 500;

function sortByTotal(entries: TopTipper[]): void {
  // Array.prototype.sort is stable: equal totals keep their order.
  entries.sort((a, b) => b.totalCents - a.totalCents);
}
