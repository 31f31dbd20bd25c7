import { describe, expect, it } from 'vitest';
import type { DisplayUnit } from '@streaming-companion/client';
import { displayUnit } from '../src/display-unit.ts';
import {
  amountInputValue,
  amountUnitName,
  formatCents,
  formatCount,
  formatDuration,
  formatRelativeTime,
  formatShare,
  formatTokens,
  parseAmount,
  parseAmountIn,
  parseWholeNumber,
  tipAmountOf,
} from '../src/format.ts';

describe('parseAmount', () => {
  it('reads what a creator types as an amount, in cents', () => {
    expect(parseAmount('5')).toBe(500);
    expect(parseAmount('5.5')).toBe(550);
    expect(parseAmount('12.50')).toBe(1250);
    expect(parseAmount(' $7,25 ')).toBe(725);
    expect(parseAmount('0.01')).toBe(1);
  });

  it('refuses what is not an amount rather than guessing', () => {
    for (const text of ['', 'abc', '5.555', '-5', '1e3', '5.', '.5', '12 50']) expect(parseAmount(text), text).toBeNull();
  });
});

describe('formatDuration', () => {
  it('shows minutes and seconds, and hours once there are any', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(65)).toBe('1:05');
    expect(formatDuration(3723)).toBe('1:02:03');
    expect(formatDuration(-4)).toBe('0:00');
  });
});

describe('parseWholeNumber', () => {
  it('reads a whole number as typed', () => {
    expect(parseWholeNumber('50')).toBe(50);
    expect(parseWholeNumber(' 1200 ')).toBe(1200);
    expect(parseWholeNumber('0')).toBe(0);
  });

  it('refuses anything else', () => {
    for (const text of ['', 'ten', '2.5', '-3', '1,000', '1e3']) expect(parseWholeNumber(text), text).toBeNull();
  });
});

describe('formatCount, formatTokens and formatShare', () => {
  it('says how many, in the singular for one', () => {
    expect(formatCount(1, 'tip')).toBe('1 tip');
    expect(formatCount(3, 'tip')).toBe('3 tips');
    expect(formatCount(0, 'session')).toBe('0 sessions');
    expect(formatTokens(1)).toBe('1 token');
    expect(formatTokens(12.5)).toBe('12.5 tokens');
    expect(formatTokens(1234)).toBe('1,234 tokens');
  });

  it('shows a share as a percentage', () => {
    expect(formatShare(0.125)).toBe('12.5%');
    expect(formatShare(0)).toBe('0%');
    expect(formatShare(1)).toBe('100%');
  });
});

describe('formatRelativeTime', () => {
  it('says how long ago, in the largest whole unit', () => {
    const now = Date.parse('2026-03-01T12:00:00Z');
    const ago = (seconds: number) => formatRelativeTime(new Date(now - seconds * 1000).toISOString(), now);
    expect(ago(3)).toBe('just now');
    expect(ago(42)).toBe('42 seconds ago');
    expect(ago(60)).toBe('1 minute ago');
    expect(ago(3 * 3600 + 1200)).toBe('3 hours ago');
    expect(ago(86_400)).toBe('yesterday');
  });
});

describe('the display unit', () => {
  const EUR: DisplayUnit = { kind: 'currency', currency: 'EUR' };
  const TOKENS: DisplayUnit = { kind: 'tokens', centsPerToken: 5, label: 'tokens' };

  it('shows amounts in a currency, or in tokens at their rate', () => {
    expect(formatCents(1250, { kind: 'currency', currency: 'USD' })).toBe('$12.50');
    expect(formatCents(1250, EUR)).toBe('€12.50');
    expect(formatCents(1250, TOKENS)).toBe('250 tokens');
    expect(formatCents(1234, TOKENS)).toBe('246.8 tokens');
    expect(formatCents(2500, { kind: 'tokens', centsPerToken: 10, label: 'tk' })).toBe('250 tk');
    expect([amountUnitName(EUR), amountUnitName(TOKENS)]).toEqual(['€', 'tokens']);
    expect([amountInputValue(1250, EUR), amountInputValue(1250, TOKENS)]).toEqual(['12.50', '250']);
  });

  it('reads amounts typed in it: money in cents, or whole tokens worth their rate', () => {
    expect(parseAmountIn('€7,25', EUR)).toEqual({ cents: 725, tokens: null });
    expect(parseAmountIn('50', TOKENS)).toEqual({ cents: 250, tokens: 50 });
    for (const text of ['2.5', '', 'many']) expect(parseAmountIn(text, TOKENS), text).toBeNull();
    // The tips API takes tokens with their rate, so the tip keeps them; money as cents.
    expect(tipAmountOf({ cents: 250, tokens: 50 }, TOKENS)).toEqual({ tokens: 50, centsPerToken: 5 });
    expect(tipAmountOf({ cents: 725, tokens: null }, EUR)).toEqual({ amountCents: 725 });
  });

  it('is what money shows by default, and tells its followers when it changes', () => {
    const changes: string[] = [];
    const stop = displayUnit.subscribe(() => changes.push(formatCents(500)));
    try {
      expect(formatCents(500)).toBe('$5.00');
      displayUnit.set(TOKENS);
      displayUnit.set({ ...TOKENS });
      displayUnit.reset();
      expect(changes).toEqual(['100 tokens', '$5.00']);
    } finally {
      stop();
      displayUnit.reset();
    }
  });
});
