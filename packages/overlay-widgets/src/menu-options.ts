/**
 * The styling attributes of `<sc-tip-menu>` (and so its URL options), parsed and clamped, and
 * turned into the CSS custom properties the element's stylesheet reads. A colour is accepted
 * only when it is a colour and nothing else, so an option can never inject CSS.
 */

export const DEFAULT_FONT_SIZE_PX = 28;
export const MIN_FONT_SIZE_PX = 12;
export const MAX_FONT_SIZE_PX = 96;
export const DEFAULT_COLUMNS = 1;
export const MAX_COLUMNS = 4;
const MAX_COLOR_CHARS = 100;

/** `font-size` in px (`32` or `32px`), clamped to 12–96; undefined when not a number. */
export function fontSizeOption(value: unknown): number | undefined {
  const px = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+(?:\.\d+)?\s*(?:px)?\s*$/i.test(value) ? Number.parseFloat(value) : Number.NaN;
  return Number.isFinite(px) ? Math.min(MAX_FONT_SIZE_PX, Math.max(MIN_FONT_SIZE_PX, px)) : undefined;
}

/** `columns`, a whole number clamped to 1–4; undefined when not a number. */
export function columnsOption(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  return Number.isFinite(n) ? Math.min(MAX_COLUMNS, Math.max(1, Math.floor(n))) : undefined;
}

/** The font size shown: `fontSizeOption`, default 28. */
export function parseFontSize(value: unknown): number {
  return fontSizeOption(value) ?? DEFAULT_FONT_SIZE_PX;
}

/** The columns shown: `columnsOption`, default 1. */
export function parseColumns(value: unknown): number {
  return columnsOption(value) ?? DEFAULT_COLUMNS;
}

/** Whether the browser takes `value` as a colour; undefined outside a browser. */
export type ColorCheck = ((value: string) => boolean) | undefined;

/** The browser's own check (`CSS.supports('color', value)`), when there is one. */
export function browserColorCheck(): ColorCheck {
  const css = (globalThis as { CSS?: { supports?(property: string, value: string): boolean } }).CSS;
  return typeof css?.supports === 'function' ? (value) => css.supports!('color', value) : undefined;
}

// Nothing a colour needs, and everything that could end a declaration, open a block or
// reference something else: `;`, braces, quotes, escapes, comments, `url()`, `var()`, ….
const FORBIDDEN = /[;{}<>"'\\`]|\/\*|\b(?:url|var|env|attr|image|image-set|element|expression)\s*\(/i;
const HEX = /^#(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i;
const NUMBER = String.raw`[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?(?:%|deg|grad|rad|turn)?`;
const COLOR_FUNCTION = new RegExp(String.raw`^(?:rgba?|hsla?)\(\s*(?:(?:${NUMBER}|none)\s*[,/]?\s*){3,4}\)$`, 'i');
const NAMED = /^[a-z]{3,20}$/i;

/**
 * `value` trimmed when it is a CSS colour, else undefined. In a browser the browser decides
 * (so `oklch()`, `color-mix()`, … work); elsewhere (tests) a strict pattern for `#rgb`,
 * `#rgba`, `#rrggbb`, `#rrggbbaa`, `rgb()`/`rgba()`/`hsl()`/`hsla()` and named colours.
 */
export function safeColor(value: unknown, check: ColorCheck = browserColorCheck()): string | undefined {
  if (typeof value !== 'string') return undefined;
  const color = value.trim();
  if (!color || color.length > MAX_COLOR_CHARS || FORBIDDEN.test(color)) return undefined;
  if (check) {
    try {
      return check(color) ? color : undefined;
    } catch {
      return undefined;
    }
  }
  return HEX.test(color) || COLOR_FUNCTION.test(color) || NAMED.test(color) ? color : undefined;
}

export interface MenuStyleOptions {
  fontSize?: unknown;
  columns?: unknown;
  textColor?: unknown;
  background?: unknown;
  accentColor?: unknown;
}

/**
 * The custom properties to set on the menu for its attributes (`--sc-menu-font-size`,
 * `--sc-menu-columns`, `--sc-menu-text-color`, `--sc-menu-background`, `--sc-menu-accent`),
 * each only when its attribute is given and valid; otherwise the stylesheet's default, or what
 * the page's CSS sets on the element, applies.
 */
export function menuStyleProperties(options: MenuStyleOptions, check: ColorCheck = browserColorCheck()): Record<string, string> {
  const properties: Record<string, string> = {};
  const fontSize = fontSizeOption(options.fontSize);
  if (fontSize !== undefined) properties['--sc-menu-font-size'] = `${fontSize}px`;
  const columns = columnsOption(options.columns);
  if (columns !== undefined) properties['--sc-menu-columns'] = String(columns);
  const colors: Array<[string, unknown]> = [
    ['--sc-menu-text-color', options.textColor],
    ['--sc-menu-background', options.background],
    ['--sc-menu-accent', options.accentColor],
  ];
  for (const [property, value] of colors) {
    const color = safeColor(value, check);
    if (color) properties[property] = color;
  }
  return properties;
}
