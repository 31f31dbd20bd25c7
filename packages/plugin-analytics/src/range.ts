import { TZDate } from '@date-fns/tz';
import { parseQueryDate, Problem, QUERY_DATE_MAX_YEAR, QUERY_DATE_MIN_YEAR } from '@streaming-companion/sdk';
import type { Interval } from './contract.ts';

/**
 * A report's range and how its curve is cut, from the query: `from`/`to` as ISO date-times
 * (with an offset, or UTC) or plain dates (midnight in `tz`), half-open [from, to). Refused
 * with a problem naming the field: a bad date or time zone, `from` not before `to`, a range
 * longer than ten years, or an interval that would cut it into more than MAX_POINTS points.
 */

export const MAX_POINTS = 1_500;
const MAX_RANGE_MS = 10 * 366 * 86_400_000;
const DEFAULT_RANGE_MS = 30 * 86_400_000;

const APPROX_MS: Record<Interval, number> = {
  minute: 60_000,
  '15m': 900_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
  month: 30 * 86_400_000,
};

export interface RangeQuery {
  from?: string;
  to?: string;
  tz: string;
  interval?: Interval;
}

export interface ResolvedRange {
  from: Date;
  to: Date;
  tz: string;
  interval: Interval;
}

/** Every IANA zone this runtime knows, plus UTC. */
export function isTimeZone(tz: string): boolean {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: tz }).resolvedOptions().timeZone.length > 0;
  } catch {
    return false;
  }
}

/** The range, its defaults filled in: without `from`/`to`, `fallback` (a session's span) or the last 30 days up to `now`. */
export function resolveRange(query: RangeQuery, now: Date, fallback?: { from: Date; to: Date }): ResolvedRange {
  if (!isTimeZone(query.tz)) throw field('tz', 'time_zone', `"${query.tz}" is not an IANA time zone (like Europe/Berlin)`);
  const to = query.to ? instant(query.to, query.tz, 'to') : (fallback?.to ?? now);
  const from = query.from ? instant(query.from, query.tz, 'from') : (fallback?.from ?? new Date(to.getTime() - DEFAULT_RANGE_MS));
  if (from >= to) throw field('from', 'before_to', 'must be before to');
  const span = to.getTime() - from.getTime();
  if (span > MAX_RANGE_MS) throw field('to', 'too_long', 'the range may be ten years at most');
  const interval = query.interval ?? chooseInterval(span);
  if (span / APPROX_MS[interval] > MAX_POINTS) {
    throw field('interval', 'too_many_points', `a ${interval} curve over this range has more than ${MAX_POINTS} points; choose a longer interval`);
  }
  return { from, to, tz: query.tz, interval };
}

/** The finest interval that keeps a curve readable: about a hundred points or fewer. */
export function chooseInterval(spanMs: number): Interval {
  if (spanMs <= 2 * 3_600_000) return 'minute';
  if (spanMs <= 24 * 3_600_000) return '15m';
  if (spanMs <= 7 * 86_400_000) return 'hour';
  if (spanMs <= 120 * 86_400_000) return 'day';
  if (spanMs <= 2 * 366 * 86_400_000) return 'week';
  return 'month';
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO date-time as written, or a plain date as midnight in `tz`. */
function instant(value: string, tz: string, name: string): Date {
  const date = DATE.exec(value);
  if (date) {
    const [, y, m, d] = date.map(Number) as [number, number, number, number];
    if (y < QUERY_DATE_MIN_YEAR || y > QUERY_DATE_MAX_YEAR) throw field(name, 'date', `must be between ${QUERY_DATE_MIN_YEAR}-01-01 and ${QUERY_DATE_MAX_YEAR}-12-31`);
    if (m < 1 || m > 12 || new Date(Date.UTC(y, m - 1, d)).getUTCDate() !== d) throw field(name, 'date', `"${value}" is not a date`);
    // Midnight as the zone's clock shows it, the offset read on that day (a DST day comes out right).
    return new Date(new TZDate(y, m - 1, d, tz).getTime());
  }
  if (!DATE_TIME.test(value)) throw field(name, 'date', `"${value}" is not an ISO 8601 date (2026-03-29) or date-time with an offset (2026-03-29T18:00:00+02:00)`);
  // The SDK's reading: a real calendar day and time, years 1970–9999.
  const parsed = parseQueryDate(value);
  if (typeof parsed === 'string') throw field(name, 'date', parsed);
  return parsed;
}

function field(name: string, rule: string, message: string): Problem {
  return new Problem(400, 'validation_failed', `query.${name}: ${message}`, { errors: [{ field: `query.${name}`, rule, message }] });
}
