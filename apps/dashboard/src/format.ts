import type { DisplayUnit } from '@streaming-companion/client';
import { displayUnit } from './display-unit.ts';

/** Display formatting: money, durations, times. Pure but for the creator's display unit, which money reads by default. */

const count = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });

const currencyFormats = new Map<string, Intl.NumberFormat>();
function currencyFormat(currency: string): Intl.NumberFormat {
  let format = currencyFormats.get(currency);
  if (!format) currencyFormats.set(currency, (format = new Intl.NumberFormat(undefined, { style: 'currency', currency })));
  return format;
}

/** An amount as the creator counts it: `$12.50`, `€12.50`, or at 5 cents a token `250 tokens`. */
export function formatCents(cents: number, unit: DisplayUnit = displayUnit.current): string {
  if (unit.kind === 'currency') return currencyFormat(unit.currency).format(cents / 100);
  return `${count.format(cents / unit.centsPerToken)} ${unit.label}`;
}

/** What an amount input is in, for its label: `$`, `€`, `tokens`. */
export function amountUnitName(unit: DisplayUnit = displayUnit.current): string {
  if (unit.kind === 'tokens') return unit.label;
  return currencyFormat(unit.currency).formatToParts(0).find((part) => part.type === 'currency')?.value ?? unit.currency;
}

/** An example amount for messages: `5 or 12.50`, or `50` in tokens. */
export const amountExample = (unit: DisplayUnit = displayUnit.current): string => (unit.kind === 'tokens' ? '50' : '5 or 12.50');

/** An amount as a form shows it for editing, in the display unit: `12.50`, or `250` tokens. */
export function amountInputValue(cents: number, unit: DisplayUnit = displayUnit.current): string {
  return unit.kind === 'tokens' ? String(Math.round((cents / unit.centsPerToken) * 100) / 100) : (cents / 100).toFixed(2);
}

/** An amount typed in the display unit: its cents, and its tokens when typed in tokens. */
export interface TypedAmount {
  cents: number;
  tokens: number | null;
}

/**
 * What a creator types as an amount in the display unit, or null when it is not one: money as
 * `parseAmount` reads it, or a whole number of tokens, worth the unit's cents per token each.
 */
export function parseAmountIn(text: string, unit: DisplayUnit = displayUnit.current): TypedAmount | null {
  if (unit.kind === 'currency') {
    const cents = parseAmount(text.replace(amountUnitName(unit), ''));
    return cents === null ? null : { cents, tokens: null };
  }
  const tokens = parseWholeNumber(text);
  return tokens === null ? null : { cents: tokens * unit.centsPerToken, tokens };
}

/** A typed amount as the tips API takes it: tokens with their rate when typed in tokens (the tip keeps them), else cents. */
export function tipAmountOf(amount: TypedAmount, unit: DisplayUnit = displayUnit.current): { amountCents: number } | { tokens: number; centsPerToken: number } {
  return amount.tokens !== null && unit.kind === 'tokens' ? { tokens: amount.tokens, centsPerToken: unit.centsPerToken } : { amountCents: amount.cents };
}

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
