import type { AnalyticsInterval, AnalyticsSummary } from '@streaming-companion/client';
import { addDays, addMonths, localDate, monthStart, weekStart } from './calendar.ts';

/** One bar of the tips-over-time chart. */
export interface CurveBar {
  label: string;
  tipCount: number;
  totalCents: number;
  peakViewers: number | null;
}

/** Intervals of a fixed length; the others are calendar days, weeks and months in the creator's time zone. */
const FIXED_MS: Partial<Record<AnalyticsInterval, number>> = { minute: 60_000, '15m': 900_000, hour: 3_600_000 };

type Curve = Pick<AnalyticsSummary, 'from' | 'to' | 'tz' | 'interval' | 'curve'>;

/**
 * Every interval of the range, the empty ones too, each labelled in the creator's time zone.
 * The server sends only intervals that had tips or viewers; left out, a quiet week would look
 * like no time at all on the chart's axis.
 */
export function curveBars(summary: Curve, locale?: string): CurveBar[] {
  const { curve, interval, tz } = summary;
  if (!curve.length) return [];
  const step = FIXED_MS[interval];
  // Keys sort as text in time order: ISO instants for fixed intervals, YYYY-MM-DD starts for calendar ones.
  const keyOf = step ? (iso: string) => new Date(iso).toISOString() : (iso: string) => calendarStart(localDate(iso, tz), interval);
  const points = new Map(curve.map((point) => [keyOf(point.start), point]));
  const grid = step ? fixedGrid(summary, step) : calendarGrid(summary);
  const label = labeller(summary, locale);
  return [...new Set([...grid, ...points.keys()])].sort().map((key) => {
    const point = points.get(key);
    return { label: label(key), tipCount: point?.tipCount ?? 0, totalCents: point?.totalCents ?? 0, peakViewers: point?.peakViewers ?? null };
  });
}

/** The range's intervals, lined up on the first point the server sent (a 15-minute grid is not the hour's, say). */
function fixedGrid({ from, to, curve }: Curve, step: number): string[] {
  const anchor = Date.parse(curve[0]!.start);
  const end = Date.parse(to);
  const keys: string[] = [];
  for (let at = anchor - Math.floor((anchor - Date.parse(from)) / step) * step; at < end; at += step) keys.push(new Date(at).toISOString());
  return keys;
}

function calendarGrid({ from, to, tz, interval }: Curve): string[] {
  const last = calendarStart(localDate(new Date(Date.parse(to) - 1), tz), interval);
  const keys: string[] = [];
  for (let key = calendarStart(localDate(from, tz), interval); key <= last; key = interval === 'month' ? addMonths(key, 1) : addDays(key, interval === 'week' ? 7 : 1)) keys.push(key);
  return keys;
}

function calendarStart(date: string, interval: AnalyticsInterval): string {
  if (interval === 'week') return weekStart(date);
  if (interval === 'month') return monthStart(date);
  return date;
}

/** Times for fixed intervals (with the day when the range spans several); dates for the others. */
function labeller({ from, to, tz, interval }: Curve, locale: string | undefined): (key: string) => string {
  if (FIXED_MS[interval]) {
    const severalDays = localDate(from, tz) !== localDate(new Date(Date.parse(to) - 1), tz);
    const time = new Intl.DateTimeFormat(locale, { timeZone: tz, hour: '2-digit', minute: '2-digit', ...(severalDays ? { month: 'short', day: 'numeric' } : {}) });
    return (key) => time.format(new Date(key));
  }
  // A calendar key is a date, not an instant: read and shown in UTC so no offset moves it.
  const date = new Intl.DateTimeFormat(locale, interval === 'month' ? { timeZone: 'UTC', month: 'short', year: 'numeric' } : { timeZone: 'UTC', month: 'short', day: 'numeric' });
  const show = (key: string) => date.format(new Date(`${key}T00:00:00Z`));
  return interval === 'week' ? (key) => `Week of ${show(key)}` : show;
}
