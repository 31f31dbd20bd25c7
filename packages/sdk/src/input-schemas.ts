import { z } from 'zod';

/**
 * Schemas for input every plugin reads the same way: dates in a query string, and text from
 * viewers. (NUL characters, which Postgres cannot store, are refused by the kernel in every
 * route's params, query and body and every socket command's payload, whatever the schema.)
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2}):(\d{2}))?)?$/;
/** The first year `queryDate` and `parseQueryDate` take. */
export const QUERY_DATE_MIN_YEAR = 1970;
/** The last year `queryDate` and `parseQueryDate` take. */
export const QUERY_DATE_MAX_YEAR = 9999;

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * The instant an ISO 8601 date (`2026-03-29`, midnight UTC) or date-time (`2026-03-29T18:00`,
 * `…:00.250Z`, `…+02:00`; UTC without an offset) stands for, or why it is not one: the
 * calendar date must exist (no 30 February) and its year be between 1970 and 9999.
 */
export function parseQueryDate(value: string): Date | string {
  const m = ISO_DATE.exec(value);
  if (!m) return 'must be an ISO 8601 date (2026-03-29) or date-time (2026-03-29T18:00:00Z, or with an offset like +02:00)';
  const part = (group: number) => Number(m[group] ?? 0);
  const [year, month, day, hour, minute, second] = [part(1), part(2), part(3), part(4), part(5), part(6)];
  const [offsetHours, offsetMinutes] = [part(10), part(11)];
  if (year < QUERY_DATE_MIN_YEAR || year > QUERY_DATE_MAX_YEAR) return `must be between ${QUERY_DATE_MIN_YEAR}-01-01 and ${QUERY_DATE_MAX_YEAR}-12-31`;
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return `${value.slice(0, 10)} is not a date in the calendar`;
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return `${value.slice(11)} is not a time of day`;
  const ms = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  const offset = (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms) - offset);
}

/** A date or date-time from a query string (see `parseQueryDate`), as a `Date`; anything else is a 400 naming the field. */
export const queryDate = () =>
  z
    .string()
    .meta({ description: 'ISO 8601 date (midnight UTC) or date-time (UTC unless it has an offset), years 1970–9999', example: '2026-03-29T18:00:00Z' })
    .transform((value, ctx) => {
      const parsed = parseQueryDate(value);
      if (typeof parsed !== 'string') return parsed;
      ctx.issues.push({ code: 'custom', message: parsed, input: value });
      return z.NEVER;
    });

// Zero-width characters, directional marks, embeddings, overrides and isolates, the byte-order
// mark, and Unicode tag characters: invisible, and able to make a name pass for another one.
const INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff\u{e0000}-\u{e007f}]/gu;
// Line breaks, tabs and other whitespace controls, with the spaces around them.
const CONTROL_SPACE = /[ \t-\r\u0085\u2028\u2029]*[\t-\r\u0085\u2028\u2029][ \t-\r\u0085\u2028\u2029]*/g;
// Every other C0 and C1 control.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * Text from a viewer (a tipper's name, a tip message, chat) as stored: invisible marks removed,
 * line breaks and other control whitespace turned into one space, other controls removed,
 * trimmed; null when nothing visible is left. Not escaped: renderers escape it.
 */
export function cleanViewerText(value: string): string | null {
  return value.replace(INVISIBLE, '').replace(CONTROL_SPACE, ' ').replace(CONTROL, '').trim() || null;
}

/** A viewer text field: cleaned by `cleanViewerText` (blank becomes null), then at most `maxLength` characters. */
export const viewerText = (maxLength: number) =>
  z
    .string()
    .transform(cleanViewerText)
    .pipe(z.string().max(maxLength, `must be at most ${maxLength} characters`).nullable());
