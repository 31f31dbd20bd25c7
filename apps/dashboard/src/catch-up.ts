import type { AnalyticsSummary } from '@streaming-companion/client';

/**
 * The analytics are rollups that subscribers write a moment after a tip is recorded (goals
 * reached and menu sales one step later still), so a summary fetched as a session ends may
 * lag. What the tips, goals and menu plugins already know says when it has caught up.
 */
export interface SessionFacts {
  /** The session's own tip count (voided tips left out). */
  tipCount: number;
  /** Its goals whose status is completed. */
  goalsReached: number;
  /** Menu items its tips bought. */
  itemsSold: number;
}

/**
 * Exactly the session's tips (a voided tip leaves the analytics a moment after it leaves the
 * session, so more is behind too), and at least the goals and sales the plugins know (a goal
 * deleted since still counts in the analytics, so more is fine there).
 */
export function caughtUp(summary: Pick<AnalyticsSummary, 'tipCount' | 'goals' | 'menuItems'>, facts: SessionFacts): boolean {
  const sold = summary.menuItems.reduce((sum, item) => sum + item.count, 0);
  return summary.tipCount === facts.tipCount && summary.goals.length >= facts.goalsReached && sold >= facts.itemsSold;
}

/** How long to wait before each fetch again while the summary lags: about 8 s in all, then it is shown as it is. */
export const RETRY_DELAYS_MS = [250, 500, 1_000, 2_000, 4_000] as const;
