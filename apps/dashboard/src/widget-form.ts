import type { AlertSettings, AlertVariation, DisplayUnit, OverlayPage, WidgetKind, WidgetMedia, WidgetSettings } from '@streaming-companion/client';
import { fieldMessage, type FieldLabels, type FormReading } from './errors.ts';
import { amountExample, amountInputValue, parseAmountIn, parseWholeNumber } from './format.ts';

/**
 * The Widgets view's forms: each widget's settings (with the alert variations, rows that come
 * and go as the creator edits them), the display unit and the test alert, read from what the
 * creator typed; and the names of the choices. Pure, so the view and its panels stay thin. The
 * ranges are the server's (the widgets plugin's contract), checked here so a slip shows at once.
 */

type Values = Record<string, string | undefined>;
type Theme = Pick<AlertSettings, 'textColor' | 'accentColor' | 'backgroundColor' | 'fontFamily' | 'fontSizePx' | 'position' | 'widthPx'>;
/** One widget's settings, as its panel saves them. */
export type WidgetPart = WidgetSettings[WidgetKind];

/** The Widgets view's tabs in order: one per widget, the amounts, and every OBS source. */
export const WIDGET_TABS = [
  { tab: 'alerts', label: 'Tip alerts' },
  { tab: 'goal', label: 'Goal bar' },
  { tab: 'recent', label: 'Recent tips' },
  { tab: 'leaderboard', label: 'Leaderboard' },
  { tab: 'highlights', label: 'Last & biggest tip' },
  { tab: 'display', label: 'Amounts' },
  { tab: 'sources', label: 'All OBS sources' },
] as const satisfies ReadonlyArray<{ tab: WidgetKind | 'display' | 'sources'; label: string }>;
export type WidgetTab = (typeof WIDGET_TABS)[number]['tab'];

/** The tab a route names, the first when it names none (or one that does not exist). */
export const widgetTabOf = (tab: string | undefined): WidgetTab => WIDGET_TABS.find((t) => t.tab === tab)?.tab ?? WIDGET_TABS[0].tab;

export const isWidgetKind = (tab: WidgetTab): tab is WidgetKind => tab !== 'display' && tab !== 'sources';

/** The overlay page (under `/overlay/`) that shows each widget. */
export const WIDGET_PAGES: Record<WidgetKind, OverlayPage> = {
  alerts: 'alerts',
  goal: 'goal',
  recent: 'events',
  leaderboard: 'leaderboard',
  highlights: 'highlights',
};

const options = <T extends string>(names: Record<T, string>) => Object.entries<string>(names).map(([value, label]) => ({ value, label }));

export const FONT_NAMES: Record<Theme['fontFamily'], string> = {
  system: 'System',
  sans: 'Sans-serif',
  serif: 'Serif',
  rounded: 'Rounded',
  mono: 'Monospace',
  display: 'Display (bold, condensed)',
};
export const FONT_OPTIONS = options(FONT_NAMES);

export const POSITION_NAMES: Record<Theme['position'], string> = {
  'top-left': 'Top left',
  top: 'Top',
  'top-right': 'Top right',
  center: 'Centre',
  'bottom-left': 'Bottom left',
  bottom: 'Bottom',
  'bottom-right': 'Bottom right',
};
export const POSITION_OPTIONS = options(POSITION_NAMES);

export const ALERT_ANIMATION_NAMES: Record<AlertSettings['animation'], string> = { pop: 'Pop in', fade: 'Fade in', slide: 'Slide in', none: 'None' };
export const ALERT_ANIMATION_OPTIONS = options(ALERT_ANIMATION_NAMES);

export const HIGHLIGHT_NAMES: Record<WidgetSettings['highlights']['show'], string> = {
  both: 'The last tipper and the biggest tip',
  last: 'The last tipper',
  biggest: 'The biggest tip',
};
export const HIGHLIGHT_OPTIONS = options(HIGHLIGHT_NAMES);

/** Currencies offered for the display unit (any ISO code is allowed by the server; these are the usual ones). */
export const CURRENCIES = ['USD', 'EUR', 'GBP', 'CAD', 'AUD', 'CHF', 'SEK', 'NOK', 'DKK', 'PLN', 'BRL', 'MXN', 'COP', 'JPY'] as const;

/** The variables an alert's text may use, each with what it becomes. */
export const TEMPLATE_HINT = 'Use {name} for the tipper, {amount} for the tip and {message} for their message.';

/** Media of one kind for a picker: "None", then each upload by name. */
export const mediaOptions = (media: readonly WidgetMedia[], kind: WidgetMedia['kind']) => [
  { value: '', label: 'None' },
  ...media.filter((m) => m.kind === kind).map((m) => ({ value: m.id, label: m.name })),
];

/** A saved setting that uses an upload, as a `media_in_use` refusal names it (`alerts.variations.1.imageId`), in the alerts form's words: "variation 2's image". */
function mediaUserName(field: string): string {
  const match = /^alerts\.(?:variations\.(\d+)\.)?(sound|image)Id$/.exec(field);
  if (!match) return field;
  return `${match[1] === undefined ? 'every alert' : `variation ${Number(match[1]) + 1}`}'s ${match[2]}`;
}

/** What a picker says when the server keeps an upload that saved settings still use (`media_in_use`, its fields). */
export const mediaInUseMessage = (fields: readonly string[]): string =>
  `Your saved tip alerts still use this file (${fields.map(mediaUserName).join(', ')}): pick another file there and save, then delete it.`;

/** A colour with its opacity apart, for a colour input (which takes `#rrggbb` only) and an opacity from 0 to 100. */
export function splitColour(colour: string): { rgb: string; opacity: number } {
  const alpha = colour.length === 9 ? parseInt(colour.slice(7), 16) : 255;
  return { rgb: colour.slice(0, 7).toLowerCase(), opacity: Math.round((alpha / 255) * 100) };
}

/** `#rrggbb` and an opacity (0–100) as one colour: `#rrggbbaa`, or `#rrggbb` when fully opaque. */
export function joinColour(rgb: string, opacity: number): string {
  if (opacity >= 100) return rgb.toLowerCase();
  return `${rgb.toLowerCase()}${Math.round((opacity / 100) * 255)
    .toString(16)
    .padStart(2, '0')}`;
}

/** Seconds as typed ("5", "2.5") for a duration in milliseconds shown back ("5", "2.5"). */
export const secondsValue = (ms: number): string => String(ms / 1000);

/**
 * One alert variation of the alerts form. `key` names its inputs and stays with it while the
 * rows around it come and go, so what the creator typed in a row stays in that row.
 */
export interface VariationRow {
  key: string;
  saved?: AlertVariation;
  /** Whether it sets its own text and accent colours (else the alert's are used). */
  ownColours: boolean;
}

/** A variation row's input for one of its parts (`minAmount`, `template`, `duration`, `animation`, `soundId`, `volume`, `imageId`, `ownColours`, `textColor`, `accentColor`). */
export const variationInput = (key: string, part: string): string => `variation-${key}-${part}`;

export const variationRows = (saved: readonly AlertVariation[]): VariationRow[] =>
  saved.map((variation, i) => ({ key: `v${i + 1}`, saved: variation, ownColours: Boolean(variation.textColor || variation.accentColor) }));

/** The most variations an alert may have. */
export const MAX_VARIATIONS = 10;

export function addVariationRow(rows: readonly VariationRow[]): VariationRow[] {
  if (rows.length >= MAX_VARIATIONS) return [...rows];
  const next = Math.max(0, ...rows.map((row) => Number(row.key.slice(1)))) + 1;
  return [...rows, { key: `v${next}`, ownColours: false }];
}

export const removeVariationRow = (rows: readonly VariationRow[], key: string): VariationRow[] => rows.filter((row) => row.key !== key);

export const setOwnColours = (rows: readonly VariationRow[], key: string, ownColours: boolean): VariationRow[] =>
  rows.map((row) => (row.key === key ? { ...row, ownColours } : row));

const THEME_LABELS: FieldLabels = {
  textColor: { input: 'textColor', label: 'Text colour' },
  accentColor: { input: 'accentColor', label: 'Accent colour' },
  backgroundColor: { input: 'backgroundColor', label: 'Background colour' },
  fontFamily: { input: 'fontFamily', label: 'Font' },
  fontSizePx: { input: 'fontSize', label: 'Text size' },
  position: { input: 'position', label: 'Position' },
  widthPx: { input: 'width', label: 'Width' },
};

/** An alert's look, by server field: its input part and label, the same at the top of the form and in a variation. */
const LOOK_PARTS: Record<string, { part: string; label: string }> = {
  minAmountCents: { part: 'minAmount', label: 'Minimum amount' },
  template: { part: 'template', label: 'Alert text' },
  durationMs: { part: 'duration', label: 'Duration' },
  animation: { part: 'animation', label: 'Animation' },
  soundId: { part: 'soundId', label: 'Sound' },
  volume: { part: 'volume', label: 'Volume' },
  imageId: { part: 'imageId', label: 'Image' },
};

/**
 * Where the server's field names land in a widget's form: `variations.2.template` is the text
 * input of the third variation row.
 */
export function widgetLabels(kind: WidgetKind, rows: readonly VariationRow[] = []): FieldLabels {
  const labels: FieldLabels = { ...THEME_LABELS };
  switch (kind) {
    case 'alerts':
      for (const [name, { part, label }] of Object.entries(LOOK_PARTS)) labels[name] = { input: part, label };
      rows.forEach((row, i) => {
        for (const [name, { part, label }] of Object.entries(LOOK_PARTS)) labels[`variations.${i}.${name}`] = { input: variationInput(row.key, part), label };
        labels[`variations.${i}.textColor`] = { input: variationInput(row.key, 'textColor'), label: 'Text colour' };
        labels[`variations.${i}.accentColor`] = { input: variationInput(row.key, 'accentColor'), label: 'Accent colour' };
      });
      break;
    case 'goal':
      labels.showReached = { input: 'showReached', label: 'Keep the reached goal on screen' };
      break;
    case 'recent':
      labels.limit = { input: 'limit', label: 'Tips shown' };
      break;
    case 'leaderboard':
      labels.title = { input: 'title', label: 'Title' };
      labels.limit = { input: 'limit', label: 'Tippers shown' };
      break;
    case 'highlights':
      labels.show = { input: 'show', label: 'Show' };
      break;
  }
  return labels;
}

export const DISPLAY_LABELS: FieldLabels = {
  kind: { input: 'unitKind', label: 'Show amounts in' },
  currency: { input: 'currency', label: 'Currency' },
  centsPerToken: { input: 'centsPerToken', label: 'Cents per token' },
  label: { input: 'tokenLabel', label: 'Token name' },
};

export const TEST_ALERT_LABELS: FieldLabels = {
  amountCents: { input: 'testAmount', label: 'Test amount' },
  tipperName: { input: 'testName', label: 'Test tipper' },
};

/** Reads inputs, adding a message per input at fault to `fields`. */
class Reader {
  readonly fields: Record<string, string> = {};
  readonly #values: Values;

  constructor(values: Values) {
    this.#values = values;
  }

  text(input: string): string {
    return (this.#values[input] ?? '').trim();
  }

  /** A whole number from `min` to `max`. */
  whole(input: string, label: string, min: number, max: number): number {
    const n = parseWholeNumber(this.text(input));
    if (n === null || n < min || n > max) this.fields[input] = fieldMessage(label, `must be a whole number from ${min} to ${max}`);
    return n ?? min;
  }

  /** `#rrggbb`, as a colour input gives it. */
  colour(input: string, label: string): string {
    const colour = this.text(input).toLowerCase();
    if (!/^#[0-9a-f]{6}$/.test(colour)) this.fields[input] = fieldMessage(label, 'must be a colour like #ff4f8b');
    return colour;
  }

  /** One of a choice's values (a select's, so a slip is the page's, not the creator's). */
  choice<T extends string>(input: string, label: string, names: Record<T, string>): T {
    const value = this.text(input);
    if (!Object.hasOwn(names, value)) this.fields[input] = fieldMessage(label, 'must be one of the choices');
    return value as T;
  }

  /** An amount in the display unit, in cents, at least `min` cents. */
  amount(input: string, label: string, unit: DisplayUnit, min: number): number {
    const typed = parseAmountIn(this.text(input) || '0', unit);
    if (typed === null || typed.cents < min || typed.cents > 100_000_000) {
      this.fields[input] = fieldMessage(label, `must be an amount like ${amountExample(unit)}${min === 0 ? ' (0 for every tip)' : ''}`);
      return min;
    }
    return typed.cents;
  }

  /** Seconds as typed, at most one decimal, from 1 to 60, in milliseconds. */
  durationMs(input: string, label: string): number {
    const match = /^(\d{1,2})(?:[.,](\d))?$/.exec(this.text(input));
    const ms = match ? Number(match[1]) * 1000 + Number(match[2] ?? 0) * 100 : NaN;
    if (!(ms >= 1000 && ms <= 60_000)) this.fields[input] = fieldMessage(label, 'must be from 1 to 60 seconds, like 5 or 2.5');
    return Number.isNaN(ms) ? 5000 : ms;
  }

  /** An upload's id, or null for none. */
  media(input: string): string | null {
    return this.text(input) || null;
  }

  get ok(): boolean {
    return Object.keys(this.fields).length === 0;
  }
}

function readTheme(r: Reader): Theme {
  const background = r.colour('backgroundColor', 'Background colour');
  return {
    textColor: r.colour('textColor', 'Text colour'),
    accentColor: r.colour('accentColor', 'Accent colour'),
    backgroundColor: joinColour(background, r.whole('backgroundOpacity', 'Background opacity', 0, 100)),
    fontFamily: r.choice('fontFamily', 'Font', FONT_NAMES),
    fontSizePx: r.whole('fontSize', 'Text size', 10, 96),
    position: r.choice('position', 'Position', POSITION_NAMES),
    widthPx: r.whole('width', 'Width', 120, 1920),
  };
}

/** An alert's text, duration, animation, sound and image, from the inputs `input(part)` names. */
function readLook(r: Reader, input: (part: string) => string): Pick<AlertSettings, 'template' | 'durationMs' | 'animation' | 'soundId' | 'volume' | 'imageId'> {
  const template = r.text(input('template'));
  if (!template) r.fields[input('template')] = fieldMessage('Alert text', 'must not be empty');
  return {
    template,
    durationMs: r.durationMs(input('duration'), 'Duration'),
    animation: r.choice(input('animation'), 'Animation', ALERT_ANIMATION_NAMES),
    soundId: r.media(input('soundId')),
    volume: r.whole(input('volume'), 'Volume', 0, 100),
    imageId: r.media(input('imageId')),
  };
}

function readVariation(r: Reader, row: VariationRow, unit: DisplayUnit): AlertVariation {
  const input = (part: string) => variationInput(row.key, part);
  return {
    minAmountCents: r.amount(input('minAmount'), 'Minimum amount', unit, 1),
    ...readLook(r, input),
    ...(row.ownColours ? { textColor: r.colour(input('textColor'), 'Text colour'), accentColor: r.colour(input('accentColor'), 'Accent colour') } : {}),
  };
}

/**
 * The settings a submitted widget form describes, or a message for each input that is not
 * right yet. Inputs: the theme's (`textColor`, `accentColor`, `backgroundColor` with
 * `backgroundOpacity`, `fontFamily`, `fontSize`, `position`, `width`), then the widget's own:
 * alerts `minAmount` (in the display unit), `template`, `duration` (seconds), `animation`,
 * `soundId`, `volume`, `imageId` and each variation row's; goal `showReached`; recent `limit`;
 * leaderboard `title`, `limit`; highlights `show`.
 */
export function readWidgetForm(kind: WidgetKind, values: Values, rows: readonly VariationRow[], unit: DisplayUnit): FormReading<WidgetPart> {
  const r = new Reader(values);
  const theme = readTheme(r);
  let value: WidgetPart;
  switch (kind) {
    case 'alerts': {
      const variations = rows.map((row) => readVariation(r, row, unit));
      // The server refuses two at one amount without saying which: say it at the second.
      variations.forEach((variation, i) => {
        const input = variationInput(rows[i]!.key, 'minAmount');
        if (!r.fields[input] && variations.findIndex((v) => v.minAmountCents === variation.minAmountCents) < i) {
          r.fields[input] = 'Another variation starts at this amount: give each its own.';
        }
      });
      value = { ...theme, ...readLook(r, (part) => part), minAmountCents: r.amount('minAmount', 'Minimum amount', unit, 0), variations };
      break;
    }
    case 'goal':
      value = { ...theme, showReached: values.showReached === 'on' };
      break;
    case 'recent':
      value = { ...theme, limit: r.whole('limit', 'Tips shown', 1, 20) };
      break;
    case 'leaderboard': {
      const title = r.text('title');
      if (title.length > 60) r.fields.title = fieldMessage('Title', 'must be at most 60 characters');
      value = { ...theme, title, limit: r.whole('limit', 'Tippers shown', 1, 10) };
      break;
    }
    case 'highlights':
      value = { ...theme, show: r.choice('show', 'Show', HIGHLIGHT_NAMES) };
      break;
  }
  return r.ok ? { ok: true, value } : { ok: false, fields: r.fields };
}

/** A variation's amount as its row shows it, in the display unit. */
export const variationAmountValue = (row: VariationRow, unit: DisplayUnit): string => (row.saved ? amountInputValue(row.saved.minAmountCents, unit) : '');

/** The display unit a submitted form describes (inputs `unitKind`, `currency`, `centsPerToken`, `tokenLabel`), or the messages. */
export function readDisplayForm(values: Values): FormReading<DisplayUnit> {
  const r = new Reader(values);
  if (r.text('unitKind') === 'tokens') {
    const centsPerToken = r.whole('centsPerToken', 'Cents per token', 1, 10_000);
    const label = r.text('tokenLabel') || 'tokens';
    if (label.length > 20) r.fields.tokenLabel = fieldMessage('Token name', 'must be at most 20 characters');
    return r.ok ? { ok: true, value: { kind: 'tokens', centsPerToken, label } } : { ok: false, fields: r.fields };
  }
  const currency = r.text('currency').toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) r.fields.currency = fieldMessage('Currency', 'must be a currency code like USD');
  return r.ok ? { ok: true, value: { kind: 'currency', currency } } : { ok: false, fields: r.fields };
}

/** The sample tip of a test alert (inputs `testAmount` in the display unit, `testName`), or the messages. */
export function readTestAlertForm(values: Values, unit: DisplayUnit): FormReading<{ amountCents: number; tipperName?: string }> {
  const r = new Reader(values);
  const amountCents = r.amount('testAmount', 'Test amount', unit, 1);
  const tipperName = r.text('testName');
  if (tipperName.length > 50) r.fields.testName = fieldMessage('Test tipper', 'must be at most 50 characters');
  return r.ok ? { ok: true, value: { amountCents, ...(tipperName ? { tipperName } : {}) } } : { ok: false, fields: r.fields };
}
