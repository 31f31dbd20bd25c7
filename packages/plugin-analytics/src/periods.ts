/**
 * The calendar periods the rollups are kept for (UTC days, months and years), and how a range
 * is read from them: the largest whole periods it holds, and the tips themselves for what is
 * left at its ends (less than a day on each side). A year of history is then a handful of
 * rollup rows per question plus a day's tips at most, however many tips the year had.
 */

export const GRAINS = ['day', 'month', 'year'] as const;
export type Grain = (typeof GRAINS)[number];

export interface Period {
  grain: Grain;
  start: Date;
}

/** A half-open stretch of time read from the tips. */
export interface Span {
  from: Date;
  to: Date;
}

export interface ReadPlan {
  periods: Period[];
  raw: Span[];
}

const DAY_MS = 86_400_000;

/** The start of the period of `grain` holding `at`. */
export function periodStart(grain: Grain, at: Date): Date {
  if (grain === 'day') return new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);
  if (grain === 'month') return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  return new Date(Date.UTC(at.getUTCFullYear(), 0, 1));
}

function periodEnd({ grain, start }: Period): Date {
  if (grain === 'day') return new Date(start.getTime() + DAY_MS);
  if (grain === 'month') return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
  return new Date(Date.UTC(start.getUTCFullYear() + 1, 0, 1));
}

/** Whole periods for [from, to), largest first where they fit; the tips for the part-days at its ends. */
export function planRead(from: Date, to: Date): ReadPlan {
  const firstDay = periodStart('day', new Date(from.getTime() + DAY_MS - 1));
  const lastDay = periodStart('day', to);
  if (firstDay >= lastDay) return { periods: [], raw: [{ from, to }] };
  const periods: Period[] = [];
  for (let at = firstDay; at < lastDay; ) {
    const period = (['year', 'month', 'day'] as const)
      .map((grain) => ({ grain, start: at }))
      .find((p) => periodStart(p.grain, at).getTime() === at.getTime() && periodEnd(p) <= lastDay)!;
    periods.push(period);
    at = periodEnd(period);
  }
  const raw = [
    { from, to: firstDay },
    { from: lastDay, to },
  ].filter((span) => span.from < span.to);
  return { periods, raw };
}
