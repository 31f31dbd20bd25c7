/**
 * Calendar dates (`YYYY-MM-DD`) as the creator's clock shows them. Day arithmetic is done on
 * the dates themselves, so a daylight-saving change never shifts a day. Pure, for tests.
 */

/** The browser's IANA time zone: reports cut days where the creator lives. */
export const creatorTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** The date an instant falls on in `tz`. */
export function localDate(at: Date | string, tz: string): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(at));
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${part('year')}-${part('month')}-${part('day')}`;
}

export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export function addMonths(date: string, months: number): string {
  const [y, m] = date.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1 + months, 1)).toISOString().slice(0, 10);
}

/** The Monday on or before `date`: weeks start on Monday, as the server cuts them. */
export function weekStart(date: string): string {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return addDays(date, -((weekday + 6) % 7));
}

export const monthStart = (date: string): string => `${date.slice(0, 7)}-01`;
