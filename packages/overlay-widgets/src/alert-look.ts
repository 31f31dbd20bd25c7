import type { ALERT_TEMPLATE_VARIABLES } from '@streaming-companion/plugin-widgets/contract';
import type { AlertAnimation, WidgetPart } from './widget-settings.ts';

/**
 * What one alert looks like under the creator's alert settings: its text from the template
 * (`{name} tipped {amount}!`), and the variation its amount reaches (the highest
 * `minAmountCents` at or below it), which replaces the base template, duration, animation,
 * sound, volume and image, and the colours it sets.
 */

export type TemplateVariable = (typeof ALERT_TEMPLATE_VARIABLES)[number];

/** The element's own defaults, the same as the settings' defaults on the server. */
export const DEFAULT_TEMPLATE = '{name} tipped {amount}!';
export const DEFAULT_ANIMATION: AlertAnimation = 'pop';
export const DEFAULT_VOLUME = 80;

const KNOWN: Record<TemplateVariable, true> = { name: true, amount: true, message: true };
const VARIABLE = /\{([^{}]*)\}/g;

export type TemplatePart = { kind: 'text'; text: string } | { kind: 'variable'; name: string; known: boolean };

/** A template cut into text and `{variables}`; a brace without its pair is text. */
export function templateParts(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let at = 0;
  for (const match of template.matchAll(VARIABLE)) {
    if (match.index > at) parts.push({ kind: 'text', text: template.slice(at, match.index) });
    const name = match[1]!;
    parts.push({ kind: 'variable', name, known: Object.hasOwn(KNOWN, name) });
    at = match.index + match[0].length;
  }
  if (at < template.length) parts.push({ kind: 'text', text: template.slice(at) });
  return parts;
}

/** A piece of an alert's text: plain text, or a variable's value (rendered in its own part). */
export type AlertTextPiece = { kind: 'text'; text: string } | { kind: TemplateVariable; text: string };

/**
 * The template filled in. The values stay separate pieces, never spliced into markup: the
 * element renders each as a text node (a name like `<img onerror>` shows as typed). An
 * unknown variable (a newer server's) shows as written.
 */
export function fillTemplate(template: string, values: Record<TemplateVariable, string>): AlertTextPiece[] {
  return templateParts(template).map((part) =>
    part.kind === 'text' ? part : part.known ? { kind: part.name as TemplateVariable, text: values[part.name as TemplateVariable] } : { kind: 'text', text: `{${part.name}}` },
  );
}

/** Whether the template shows the message itself (otherwise the alert shows it under the text). */
export function usesMessage(template: string): boolean {
  return templateParts(template).some((part) => part.kind === 'variable' && part.name === 'message');
}

/** One alert's look: the base settings with its variation's values laid over them. */
export interface AlertLook {
  template: string;
  durationMs: number | undefined;
  animation: AlertAnimation;
  soundId: string | null;
  volume: number;
  imageId: string | null;
  /** The variation's own colours (the base ones are the widget's theme, already on the element). */
  textColor: string | undefined;
  accentColor: string | undefined;
  /** The minimum of the variation used, if any (shown as `data-variation`). */
  variation: number | undefined;
}

type AlertSettingsPart = WidgetPart<'alerts'>;

/** The variation `amountCents` reaches: the one with the highest minimum at or below it. */
export function variationFor(settings: AlertSettingsPart, amountCents: number): NonNullable<AlertSettingsPart['variations']>[number] | undefined {
  let found: NonNullable<AlertSettingsPart['variations']>[number] | undefined;
  for (const variation of settings.variations ?? []) {
    if (amountCents >= variation.minAmountCents && (!found || variation.minAmountCents > found.minAmountCents)) found = variation;
  }
  return found;
}

export function alertLook(settings: AlertSettingsPart, amountCents: number): AlertLook {
  const variation = variationFor(settings, amountCents);
  const pick = <K extends 'template' | 'durationMs' | 'animation' | 'soundId' | 'volume' | 'imageId'>(key: K) =>
    variation?.[key] !== undefined ? variation[key] : settings[key];
  return {
    template: pick('template') ?? DEFAULT_TEMPLATE,
    durationMs: pick('durationMs'),
    animation: pick('animation') ?? DEFAULT_ANIMATION,
    soundId: pick('soundId') ?? null,
    volume: pick('volume') ?? DEFAULT_VOLUME,
    imageId: pick('imageId') ?? null,
    textColor: variation?.textColor,
    accentColor: variation?.accentColor,
    variation: variation?.minAmountCents,
  };
}

/** Whether a tip is big enough to alert (`minAmountCents`; every tip without one). */
export function reachesMinimum(settings: AlertSettingsPart, amountCents: number): boolean {
  return amountCents >= (settings.minAmountCents ?? 0);
}
