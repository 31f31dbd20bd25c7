import type {
  AlertSettings,
  AlertVariation,
  DisplayUnit,
  WidgetKind,
  WidgetSettings,
} from '@streaming-companion/plugin-widgets/contract';
import type { AmountFormat } from './format.ts';
import { httpUrl } from './media.ts';
import { templateParts } from './alert-look.ts';

/**
 * The creator's widget settings (`widget_settings`) as the overlays take them. The server
 * validated them, but an overlay may talk to an older or newer server, so every field is read
 * again here, one by one, and a field that does not parse is left out: the widget keeps its own
 * default (or its URL option) for it. Only the types come from the widgets plugin's contract
 * (importing its zod schemas would triple a page's weight); the `Record`s keyed by the
 * contract's unions below stop compiling when the contract gains a value this file misses.
 */

export type Theme = Pick<AlertSettings, 'textColor' | 'accentColor' | 'backgroundColor' | 'fontFamily' | 'fontSizePx' | 'position' | 'widthPx'>;
export type FontFamily = Theme['fontFamily'];
export type WidgetPosition = Theme['position'];
export type AlertAnimation = AlertSettings['animation'];

/** One widget's settings, each field present only when it parsed. */
export type WidgetPart<K extends WidgetKind> = Partial<Omit<WidgetSettings[K], 'variations'>> &
  (K extends 'alerts' ? { variations?: Array<Partial<AlertVariation> & { minAmountCents: number }> } : unknown);

/** What the overlays keep of a `widget_settings`. */
export interface OverlaySettings {
  creatorId: string;
  display: DisplayUnit | undefined;
  parts: { [K in WidgetKind]: WidgetPart<K> };
  /** Media id → URL, as the server resolved them. */
  media: ReadonlyMap<string, string>;
}

/** The font stacks behind the settings' font names (a name never reaches CSS as typed). */
export const FONT_STACKS: Record<FontFamily, string> = {
  system: "'Segoe UI', system-ui, -apple-system, 'Helvetica Neue', Arial, sans-serif",
  sans: "Inter, 'Helvetica Neue', Helvetica, Arial, 'Liberation Sans', sans-serif",
  serif: "Georgia, 'Times New Roman', 'Liberation Serif', serif",
  rounded: "ui-rounded, 'SF Pro Rounded', Nunito, 'Varela Round', 'Arial Rounded MT Bold', sans-serif",
  mono: "ui-monospace, 'SF Mono', Menlo, Consolas, 'Liberation Mono', monospace",
  display: "Impact, Haettenschweiler, 'Arial Narrow Bold', Oswald, 'Liberation Sans Narrow', sans-serif",
};

const POSITIONS: Record<WidgetPosition, true> = {
  'top-left': true,
  top: true,
  'top-right': true,
  center: true,
  'bottom-left': true,
  bottom: true,
  'bottom-right': true,
};
const ANIMATIONS: Record<AlertAnimation, true> = { pop: true, fade: true, slide: true, none: true };
const HIGHLIGHT_SHOWS: Record<WidgetSettings['highlights']['show'], true> = { last: true, biggest: true, both: true };

type Reader<T> = (value: unknown) => T | undefined;
type Readers<T> = { [K in keyof T]-?: Reader<T[K]> };

const HEX_COLOUR = /^#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const colour: Reader<string> = (v) => (typeof v === 'string' && HEX_COLOUR.test(v) ? v : undefined);
const int =
  (min: number, max: number): Reader<number> =>
  (v) =>
    Number.isInteger(v) && (v as number) >= min && (v as number) <= max ? (v as number) : undefined;
const oneOf =
  <T extends string>(values: Record<T, unknown>): Reader<T> =>
  (v) =>
    typeof v === 'string' && Object.hasOwn(values, v) ? (v as T) : undefined;
const text =
  (min: number, max: number): Reader<string> =>
  (v) => {
    const t = typeof v === 'string' ? v.trim() : undefined;
    return t !== undefined && t.length >= min && t.length <= max ? t : undefined;
  };
const bool: Reader<boolean> = (v) => (typeof v === 'boolean' ? v : undefined);
/** A media id, or null for none. */
const mediaId: Reader<string | null> = (v) => (v === null ? null : typeof v === 'string' && UUID.test(v) ? v : undefined);
/** An alert template that uses only `{name}`, `{amount}` and `{message}`. */
const template: Reader<string> = (v) => {
  const t = text(1, 200)(v);
  return t !== undefined && templateParts(t).every((part) => part.kind === 'text' || part.known) ? t : undefined;
};

const THEME: Readers<Theme> = {
  textColor: colour,
  accentColor: colour,
  backgroundColor: colour,
  fontFamily: oneOf(FONT_STACKS),
  fontSizePx: int(10, 96),
  position: oneOf(POSITIONS),
  widthPx: int(120, 1920),
};

const ALERT_LOOK = {
  template,
  durationMs: int(1000, 60_000),
  animation: oneOf(ANIMATIONS),
  soundId: mediaId,
  volume: int(0, 100),
  imageId: mediaId,
};

const PARTS: { [K in WidgetKind]: Readers<Omit<WidgetSettings[K], 'variations'>> } = {
  alerts: { ...THEME, ...ALERT_LOOK, minAmountCents: int(0, 100_000_000) },
  goal: { ...THEME, showReached: bool },
  recent: { ...THEME, limit: int(1, 20) },
  leaderboard: { ...THEME, title: text(0, 60), limit: int(1, 10) },
  highlights: { ...THEME, show: oneOf(HIGHLIGHT_SHOWS) },
};

const VARIATION: Readers<AlertVariation> = { ...ALERT_LOOK, minAmountCents: int(1, 100_000_000), textColor: colour, accentColor: colour };
const MAX_VARIATIONS = 10;

function readFields<T>(raw: unknown, readers: Readers<T>): Partial<T> {
  const out: Partial<T> = {};
  if (!raw || typeof raw !== 'object') return out;
  for (const key of Object.keys(readers) as Array<keyof T>) {
    const value = readers[key]((raw as Record<PropertyKey, unknown>)[key]);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** Variations without a valid minimum are dropped; a repeated minimum keeps the first. */
function readVariations(raw: unknown): Array<Partial<AlertVariation> & { minAmountCents: number }> | undefined {
  if (!Array.isArray(raw)) return undefined;
  const byMinimum = new Map<number, Partial<AlertVariation> & { minAmountCents: number }>();
  for (const entry of raw.slice(0, MAX_VARIATIONS)) {
    const variation = readFields(entry, VARIATION);
    if (variation.minAmountCents !== undefined && !byMinimum.has(variation.minAmountCents)) byMinimum.set(variation.minAmountCents, { ...variation, minAmountCents: variation.minAmountCents });
  }
  return [...byMinimum.values()];
}

export function readDisplay(raw: unknown): DisplayUnit | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const unit = raw as Record<string, unknown>;
  if (unit.kind === 'currency') {
    const currency = typeof unit.currency === 'string' && /^[A-Z]{3}$/.test(unit.currency) ? unit.currency : undefined;
    return currency ? { kind: 'currency', currency } : undefined;
  }
  if (unit.kind === 'tokens') {
    const centsPerToken = int(1, 10_000)(unit.centsPerToken);
    return centsPerToken ? { kind: 'tokens', centsPerToken, label: text(1, 20)(unit.label) ?? 'tokens' } : undefined;
  }
  return undefined;
}

/** A `widget_settings` payload, read field by field; undefined when it is not one at all. */
export function readWidgetSettings(payload: unknown): OverlaySettings | undefined {
  if (!payload || typeof payload !== 'object') return undefined;
  const { creatorId, settings, media } = payload as Record<string, unknown>;
  if (typeof creatorId !== 'string' || !settings || typeof settings !== 'object') return undefined;
  const raw = settings as Record<string, unknown>;
  const read = <K extends WidgetKind>(kind: K): WidgetPart<K> => readFields(raw[kind], PARTS[kind]) as WidgetPart<K>;
  const alerts = read('alerts');
  const variations = readVariations((raw.alerts as Record<string, unknown> | undefined)?.variations);
  if (variations) alerts.variations = variations;
  const parts = { alerts, goal: read('goal'), recent: read('recent'), leaderboard: read('leaderboard'), highlights: read('highlights') };
  const urls = new Map<string, string>();
  if (media && typeof media === 'object') {
    for (const [id, url] of Object.entries(media)) if (UUID.test(id) && typeof url === 'string') urls.set(id, url);
  }
  return { creatorId, display: readDisplay(raw.display), parts, media: urls };
}

/** The http(s) URL of a media id (the server's URLs are paths on the server), if it has one. */
export function mediaUrl(settings: Pick<OverlaySettings, 'media'> | undefined, id: string | null | undefined, serverBase: string | undefined): string | undefined {
  if (!id || !settings) return undefined;
  return httpUrl(settings.media.get(id), serverBase);
}

/**
 * The custom properties a widget's theme sets (on the widget's host, under any page CSS, so
 * OBS's *Custom CSS* still wins). Values come only from the readers above: hex colours,
 * font stacks from the table, whole pixel numbers.
 */
export function themeProperties(theme: Partial<Theme>): Record<string, string> {
  const properties: Record<string, string> = {};
  if (theme.textColor) properties['--sc-text-color'] = theme.textColor;
  if (theme.accentColor) {
    properties['--sc-accent'] = theme.accentColor;
    properties['--sc-amount-color'] = theme.accentColor;
  }
  if (theme.backgroundColor) properties['--sc-background'] = theme.backgroundColor;
  if (theme.fontFamily) properties['--sc-font-family'] = FONT_STACKS[theme.fontFamily];
  if (theme.fontSizePx !== undefined) properties['--sc-font-size'] = `${theme.fontSizePx}px`;
  if (theme.widthPx !== undefined) properties['--sc-width'] = `${theme.widthPx}px`;
  return properties;
}

/** The options an element has as attributes (URL options on the pages); each one given wins over the settings. */
export interface AmountAttributes {
  currency?: string | null;
  locale?: string | null;
  centsPerToken?: number | null;
}

/**
 * How a widget shows amounts: an explicit `cents-per-token` or `currency` (attribute, URL
 * option) wins, so an existing OBS URL keeps its look; otherwise the creator's display unit.
 */
export function amountFormat(attributes: AmountAttributes, display: DisplayUnit | undefined): AmountFormat {
  const locale = attributes.locale ?? undefined;
  const perToken = attributes.centsPerToken;
  if (typeof perToken === 'number' && Number.isFinite(perToken) && perToken > 0) return { locale, centsPerToken: perToken };
  if (attributes.currency) return { locale, currency: attributes.currency };
  if (display?.kind === 'tokens') return { locale, centsPerToken: display.centsPerToken, tokenLabel: display.label };
  return { locale, currency: display?.currency };
}
