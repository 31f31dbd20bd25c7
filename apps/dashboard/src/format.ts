/** Display formatting: money, durations, times. Pure, so views stay thin. */

const money = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD' });

export const formatCents = (cents: number): string => money.format(cents / 100);

const count = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });

/** A number of things: `1 tip`, `3 tips`, `12.5 tokens`. */
export const formatCount = (n: number, noun: string): string => `${count.format(n)} ${n === 1 ? noun : `${noun}s`}`;

/** A platform's tokens: `250 tokens`, `1 token`. */
export const formatTokens = (tokens: number): string => formatCount(tokens, 'token');

const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });

/** A share from 0 to 1 as a percentage: `0.125` → `12.5%`. */
export const formatShare = (share: number): string => percent.format(share);

/** `3723` → `1:02:03`; under an hour `2:03`. */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = s % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return hours ? `${hours}:${pad(minutes)}:${pad(seconds)}` : `${minutes}:${pad(seconds)}`;
}

export const formatTime = (iso: string): string => new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });

export const formatDateTime = (iso: string): string =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * What a creator types as an amount ("5", "5.5", "5.50", "$5") in cents, or null when it is
 * not an amount. Rounding is refused rather than guessed: "5.555" is not an amount.
 */
export function parseAmount(text: string): number | null {
  const match = /^\s*\$?\s*(\d{1,9})(?:[.,](\d{1,2}))?\s*$/.exec(text);
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** A whole number as typed ("50", " 1200 "), or null: no signs, decimals or separators. */
export function parseWholeNumber(text: string): number | null {
  const match = /^\s*(\d{1,9})\s*$/.exec(text);
  return match ? Number(match[1]) : null;
}

export const PLATFORM_NAMES: Record<string, string> = { chaturbate: 'Chaturbate', stripchat: 'Stripchat', other: 'Other' };

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** How long ago `iso` was, from `now` (epoch ms): `just now`, `5 minutes ago`, `yesterday`. */
export function formatRelativeTime(iso: string, now: number): string {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  if (Math.abs(seconds) < 10) return 'just now';
  for (const [unit, size] of [['day', 86_400], ['hour', 3600], ['minute', 60]] as const) {
    if (Math.abs(seconds) >= size) return relative.format(Math.trunc(seconds / size), unit);
  }
  return relative.format(seconds, 'second');
}
