import type { MenuItem, OverlayTip } from './overlay-events.ts';

/** Hard caps on viewer text, in characters (CSS ellipsis clips further to the box). */
export const NAME_MAX_CHARS = 40;
export const MESSAGE_MAX_CHARS = 200;
export const ANONYMOUS = 'Anonymous';

export interface MoneyFormat {
  /** ISO 4217 code; an unknown code falls back to USD. */
  currency?: string;
  /** BCP 47 locale for numbers; default en-US. */
  locale?: string;
}

// Control characters (except tab/newline) and bidi overrides that could garble the layout.
const UNPRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** `text` cut to at most `max` characters (whole code points), with `…` when cut. */
export function clip(text: string, max: number): string {
  const clean = text.replace(UNPRINTABLE, '').trim();
  const chars = Array.from(clean);
  if (chars.length <= max) return clean;
  return `${chars.slice(0, Math.max(0, max - 1)).join('').trimEnd()}…`;
}

/** The name to show: "Anonymous" for anonymous tips and blank names, else the name clipped. */
export function displayName(tip: Pick<OverlayTip, 'tipperName' | 'isAnonymous'>): string {
  if (tip.isAnonymous || typeof tip.tipperName !== 'string') return ANONYMOUS;
  return clip(tip.tipperName, NAME_MAX_CHARS) || ANONYMOUS;
}

/** The message to show, clipped; empty when there is none. */
export function displayMessage(tip: Pick<OverlayTip, 'message'>): string {
  return typeof tip.message === 'string' ? clip(tip.message, MESSAGE_MAX_CHARS) : '';
}

/**
 * How amounts are shown: money in `currency`, or, with `centsPerToken`, tokens of that many
 * cents (`tokenLabel` after the number; default "token"/"tokens").
 */
export interface AmountFormat extends MoneyFormat {
  centsPerToken?: number;
  tokenLabel?: string;
}

/**
 * A tip's amount. In tokens when the format says so: the tip's own tokens when they are tokens
 * of the same worth, else its cents converted. Otherwise "100 tokens" when the tip came in
 * tokens (the platform's own unit), else money from cents ("$12.50").
 */
export function formatTipAmount(tip: Pick<OverlayTip, 'amountCents' | 'tokens'> & { centsPerToken?: number | null }, format: AmountFormat = {}): string {
  const perToken = tokenWorth(format);
  const tipTokens = typeof tip.tokens === 'number' && Number.isFinite(tip.tokens) ? tip.tokens : undefined;
  if (perToken) {
    const sameWorth = tipTokens !== undefined && (tip.centsPerToken == null || tip.centsPerToken === perToken);
    return formatTokens(sameWorth ? tipTokens : Math.round(finite(tip.amountCents) / perToken), format.locale, format.tokenLabel);
  }
  if (tipTokens !== undefined) return formatTokens(tipTokens, format.locale, format.tokenLabel);
  return formatCents(tip.amountCents, format);
}

/** A sum of cents (a tipper's total, say): tokens when the format has a token worth (rounded to the nearest), else money. */
export function formatAmount(cents: number, format: AmountFormat = {}): string {
  const perToken = tokenWorth(format);
  return perToken ? formatTokens(Math.round(finite(cents) / perToken), format.locale, format.tokenLabel) : formatCents(cents, format);
}

/** "1,000 tokens", "1 token", or the number with the creator's own label ("100 tokens", "5 kisses"). */
export function formatTokens(tokens: number, locale?: string, label?: string): string {
  const unit = label?.trim() || (Math.abs(tokens) === 1 ? 'token' : 'tokens');
  return `${numberFormat(locale).format(tokens)} ${unit}`;
}

/** Cents as money with `Intl.NumberFormat`; default USD in en-US. */
export function formatCents(cents: number, format: MoneyFormat = {}): string {
  return currencyFormat(format.currency, format.locale).format(finite(cents) / 100);
}

/**
 * A goal's amounts: "$10.00 / $25.00", or in tokens when the creator set how many cents a
 * token is worth ("200 / 500 tokens").
 */
export function formatGoalAmount(currentCents: number, targetCents: number, format: AmountFormat = {}): string {
  const perToken = tokenWorth(format);
  if (perToken) {
    const n = numberFormat(format.locale);
    const unit = format.tokenLabel?.trim() || 'tokens';
    return `${n.format(Math.floor(currentCents / perToken))} / ${n.format(Math.floor(targetCents / perToken))} ${unit}`;
  }
  return `${formatCents(currentCents, format)} / ${formatCents(targetCents, format)}`;
}

/**
 * A menu item's price: in tokens when the creator gave a token price ("50 tokens"), else in
 * tokens of `centsPerToken` when that is set (rounded up: tipping that many covers the price),
 * else money from cents ("$12.50").
 */
export function formatMenuPrice(item: Pick<MenuItem, 'priceCents' | 'priceTokens'>, format: AmountFormat = {}): string {
  if (typeof item.priceTokens === 'number' && Number.isFinite(item.priceTokens)) return formatTokens(item.priceTokens, format.locale, format.tokenLabel);
  const perToken = tokenWorth(format);
  if (perToken) return formatTokens(Math.ceil(finite(item.priceCents) / perToken), format.locale, format.tokenLabel);
  return formatCents(item.priceCents, format);
}

function tokenWorth(format: AmountFormat): number | undefined {
  const perToken = format.centsPerToken;
  return typeof perToken === 'number' && Number.isFinite(perToken) && perToken > 0 ? perToken : undefined;
}

function finite(n: number): number {
  return Number.isFinite(n) ? n : 0;
}

const formats = new Map<string, Intl.NumberFormat>();

function currencyFormat(currency = 'USD', locale = 'en-US'): Intl.NumberFormat {
  const id = `${locale}|${currency}`;
  let format = formats.get(id);
  if (!format) {
    try {
      format = new Intl.NumberFormat(locale, { style: 'currency', currency: currency.toUpperCase() });
    } catch {
      // An invalid currency code or locale must never blank an overlay.
      format = currency === 'USD' && locale === 'en-US' ? new Intl.NumberFormat('en-US') : currencyFormat('USD', safeLocale(locale));
    }
    formats.set(id, format);
  }
  return format;
}

function numberFormat(locale = 'en-US'): Intl.NumberFormat {
  const id = `${locale}|number`;
  let format = formats.get(id);
  if (!format) {
    format = new Intl.NumberFormat(safeLocale(locale), { maximumFractionDigits: 0 });
    formats.set(id, format);
  }
  return format;
}

function safeLocale(locale: string): string {
  try {
    return Intl.NumberFormat.supportedLocalesOf([locale]).length ? locale : 'en-US';
  } catch {
    return 'en-US';
  }
}
