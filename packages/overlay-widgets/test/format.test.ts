import { describe, expect, it } from 'vitest';
import {
  ANONYMOUS,
  clip,
  displayMessage,
  displayName,
  formatAmount,
  formatCents,
  formatGoalAmount,
  formatMenuPrice,
  formatTipAmount,
  formatTokens,
  MESSAGE_MAX_CHARS,
  NAME_MAX_CHARS,
} from '../src/format.ts';

describe('amounts', () => {
  it('shows tokens when the tip came in tokens', () => {
    expect(formatTipAmount({ amountCents: 500, tokens: 100 })).toBe('100 tokens');
    expect(formatTipAmount({ amountCents: 5, tokens: 1 })).toBe('1 token');
    expect(formatTipAmount({ amountCents: 5000, tokens: 1000 })).toBe('1,000 tokens');
    expect(formatTipAmount({ amountCents: 0, tokens: 0 })).toBe('0 tokens');
  });

  it('shows money from cents when there are no tokens, USD by default', () => {
    expect(formatTipAmount({ amountCents: 1250, tokens: null })).toBe('$12.50');
    expect(formatTipAmount({ amountCents: 100_000, tokens: null })).toBe('$1,000.00');
    expect(formatCents(5)).toBe('$0.05');
  });

  it('uses the currency and locale options', () => {
    expect(formatTipAmount({ amountCents: 1250, tokens: null }, { currency: 'EUR' })).toBe('€12.50');
    expect(formatTipAmount({ amountCents: 1250, tokens: null }, { currency: 'eur', locale: 'de-DE' })).toBe('12,50\u00a0€');
    expect(formatTokens(1000, 'de-DE')).toBe('1.000 tokens');
  });

  it('falls back to USD for a currency code that does not exist, never throwing', () => {
    expect(formatCents(1250, { currency: 'NOPE!' })).toBe('$12.50');
    expect(formatCents(1250, { currency: 'USD', locale: 'not a locale!!' })).toBe('$12.50');
    expect(formatCents(Number.NaN)).toBe('$0.00');
  });

  it('formats goal amounts as money or, with cents per token, as tokens', () => {
    expect(formatGoalAmount(1000, 2500)).toBe('$10.00 / $25.00');
    expect(formatGoalAmount(1000, 2500, { centsPerToken: 5 })).toBe('200 / 500 tokens');
  });

  it('formats menu prices in tokens when the item has a token price, else in money (or tokens of cents-per-token)', () => {
    expect(formatMenuPrice({ priceCents: 500, priceTokens: 50 })).toBe('50 tokens');
    expect(formatMenuPrice({ priceCents: 500, priceTokens: 1 })).toBe('1 token');
    expect(formatMenuPrice({ priceCents: 500, priceTokens: null })).toBe('$5.00');
    expect(formatMenuPrice({ priceCents: 1250, priceTokens: null }, { currency: 'EUR', locale: 'de-DE' })).toBe('12,50\u00a0€');
    expect(formatMenuPrice({ priceCents: 100_000, priceTokens: 2000 }, { locale: 'de-DE' })).toBe('2.000 tokens');
    // Rounded up: tipping that many tokens covers the price.
    expect(formatMenuPrice({ priceCents: 501, priceTokens: null }, { centsPerToken: 5 })).toBe('101 tokens');
    expect(formatMenuPrice({ priceCents: 500, priceTokens: 80 }, { centsPerToken: 5 })).toBe('80 tokens');
    expect(formatMenuPrice({ priceCents: Number.NaN, priceTokens: null })).toBe('$0.00');
  });
});

describe('amounts in the creator\'s display unit', () => {
  const tokens = { centsPerToken: 5, tokenLabel: 'tokens' };

  it('shows a tip in tokens of the given worth: its own tokens when they are worth that, else its cents converted', () => {
    expect(formatTipAmount({ amountCents: 500, tokens: 100, centsPerToken: 5 }, tokens)).toBe('100 tokens');
    expect(formatTipAmount({ amountCents: 500, tokens: 100 }, tokens)).toBe('100 tokens');
    expect(formatTipAmount({ amountCents: 500, tokens: null }, tokens)).toBe('100 tokens');
    // Tokens of another platform's worth are converted from cents.
    expect(formatTipAmount({ amountCents: 800, tokens: 100, centsPerToken: 8 }, tokens)).toBe('160 tokens');
    expect(formatTipAmount({ amountCents: 500, tokens: null }, { centsPerToken: 5, tokenLabel: 'kisses' })).toBe('100 kisses');
  });

  it('in a currency, a tip that came in tokens still shows its tokens (the platform\'s unit)', () => {
    expect(formatTipAmount({ amountCents: 500, tokens: 100 }, { currency: 'EUR' })).toBe('100 tokens');
    expect(formatTipAmount({ amountCents: 500, tokens: null }, { currency: 'EUR' })).toBe('€5.00');
  });

  it('shows sums (a tipper\'s total) and goals in the same unit', () => {
    expect(formatAmount(1234)).toBe('$12.34');
    expect(formatAmount(1234, { currency: 'EUR', locale: 'de-DE' })).toBe('12,34\u00a0€');
    expect(formatAmount(1000, tokens)).toBe('200 tokens');
    expect(formatAmount(5, { centsPerToken: 5 })).toBe('1 token');
    expect(formatGoalAmount(1000, 2500, { centsPerToken: 5, tokenLabel: 'tks' })).toBe('200 / 500 tks');
    expect(formatMenuPrice({ priceCents: 500, priceTokens: 50 }, { tokenLabel: 'tks' })).toBe('50 tks');
  });
});

describe('names and messages', () => {
  it('shows Anonymous for anonymous tips and empty names', () => {
    expect(displayName({ tipperName: 'Alice', isAnonymous: false })).toBe('Alice');
    expect(displayName({ tipperName: 'Alice', isAnonymous: true })).toBe(ANONYMOUS);
    expect(displayName({ tipperName: null, isAnonymous: false })).toBe(ANONYMOUS);
    expect(displayName({ tipperName: '   ', isAnonymous: false })).toBe(ANONYMOUS);
    expect(displayName({ tipperName: '\u202e\u0000', isAnonymous: false })).toBe(ANONYMOUS);
  });

  it('keeps markup as plain text (escaping is the template’s job)', () => {
    expect(displayName({ tipperName: '<img src=x onerror=alert(1)>', isAnonymous: false })).toBe('<img src=x onerror=alert(1)>');
  });

  it('clips long names and messages with an ellipsis at a hard cap', () => {
    const long = 'x'.repeat(500);
    const name = displayName({ tipperName: long, isAnonymous: false });
    expect(Array.from(name)).toHaveLength(NAME_MAX_CHARS);
    expect(name.endsWith('…')).toBe(true);
    const message = displayMessage({ message: long });
    expect(Array.from(message)).toHaveLength(MESSAGE_MAX_CHARS);
    expect(displayMessage({ message: null })).toBe('');
  });

  it('clips by whole characters, never splitting an emoji', () => {
    expect(clip('😀😀😀😀', 3)).toBe('😀😀…');
    expect(clip('ab', 3)).toBe('ab');
    expect(clip('abcd', 3)).toBe('ab…');
  });

  it('drops control and bidi-override characters', () => {
    expect(clip('a\u0007b\u202ec\nd', 10)).toBe('abc\nd');
  });
});
