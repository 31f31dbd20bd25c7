import type { AnimationType, DisplayUnit, MenuItemActions, MenuItemCategory, MenuItemDto } from '@streaming-companion/client';
import { displayUnit } from './display-unit.ts';
import { fieldMessage, type FieldLabels, type FormReading } from './errors.ts';
import { amountExample, formatCents, formatCount, parseAmountIn, parseWholeNumber } from './format.ts';

/** The tip menu's forms and rows: reading what the creator typed, and saying what an item is. Pure, so the view stays thin. */

export const CATEGORY_NAMES: Record<MenuItemCategory, string> = {
  performance: 'Performance',
  request: 'Request',
  interaction: 'Interaction',
  custom: 'Custom',
};

export const ANIMATION_NAMES: Record<AnimationType, string> = {
  confetti: 'Confetti',
  hearts: 'Hearts',
  rain: 'Rain',
  custom: 'Custom image or video',
};

/** Intensities 1 (a few particles) to 10 (a screenful), for a select. */
export const INTENSITY_OPTIONS = Array.from({ length: 10 }, (_, i) => ({ value: String(i + 1), label: String(i + 1) }));

/** Where the server's field names land in the menu item form. */
export const MENU_LABELS: FieldLabels = {
  title: { input: 'title', label: 'Title' },
  description: { input: 'description', label: 'Description' },
  priceCents: { input: 'price', label: 'Price' },
  priceTokens: { input: 'priceTokens', label: 'Price in tokens' },
  category: { input: 'category', label: 'Category' },
  emoji: { input: 'emoji', label: 'Emoji' },
  actions: { input: 'animation', label: 'What it sets off' },
  'actions.animation': { input: 'animation', label: 'Animation' },
  'actions.animation.type': { input: 'animation', label: 'Animation' },
  'actions.animation.intensity': { input: 'intensity', label: 'Intensity' },
  'actions.animation.url': { input: 'animationUrl', label: 'Animation URL' },
  'actions.goalBonusCents': { input: 'goalBonus', label: 'Goal bonus' },
  'actions.ttsTemplate': { input: 'tts', label: 'Text to speech' },
};

/** Every field of an item, as the create and the edit forms send it (blank optional text is `null`, which clears it). */
export interface MenuItemFields {
  title: string;
  description: string | null;
  priceCents: number;
  priceTokens: number | null;
  category: MenuItemCategory;
  emoji: string | null;
  actions: { animation?: { type: AnimationType; intensity: number; url?: string }; goalBonusCents?: number; ttsTemplate?: string };
}

/**
 * The item a submitted menu form describes (inputs `title`, `description`, `price`,
 * `priceTokens`, `category`, `emoji`, `animation`, `intensity`, `animationUrl`, `goalBonus`,
 * `tts`), or a message for each input that is not right yet. Amounts are in the display unit:
 * in tokens, the price is the token price too (and `priceTokens` is not asked).
 */
export function readMenuItemForm(values: Record<string, string | undefined>, unit: DisplayUnit = displayUnit.current): FormReading<MenuItemFields> {
  const text = (name: string) => (values[name] ?? '').trim();
  const fields: Record<string, string> = {};

  const title = text('title');
  if (!title) fields.title = fieldMessage('Title', 'must not be empty');
  const price = parseAmountIn(text('price'), unit);
  const priceCents = price?.cents ?? null;
  if (priceCents === null || priceCents <= 0) fields.price = fieldMessage('Price', `must be an amount like ${amountExample(unit)}`);
  let priceTokens: number | null = price?.tokens ?? null;
  if (unit.kind === 'currency' && text('priceTokens')) {
    priceTokens = parseWholeNumber(text('priceTokens'));
    if (!priceTokens) fields.priceTokens = fieldMessage('Price in tokens', 'must be a whole number like 50');
  }

  const actions: MenuItemFields['actions'] = {};
  const animation = text('animation') as AnimationType | '';
  if (animation) {
    const intensity = Number(text('intensity') || 5);
    const url = text('animationUrl');
    if (animation === 'custom' && !url) fields.animationUrl = fieldMessage('Animation URL', 'must be given for a custom animation (https://… or /path)');
    actions.animation = { type: animation, intensity, ...(animation === 'custom' ? { url } : {}) };
  }
  if (text('goalBonus')) {
    const bonus = parseAmountIn(text('goalBonus'), unit)?.cents ?? null;
    if (bonus === null || bonus <= 0) fields.goalBonus = fieldMessage('Goal bonus', `must be an amount like ${amountExample(unit)}`);
    else actions.goalBonusCents = bonus;
  }
  if (text('tts')) actions.ttsTemplate = text('tts');

  if (Object.keys(fields).length) return { ok: false, fields };
  return {
    ok: true,
    value: {
      title,
      description: text('description') || null,
      priceCents: priceCents!,
      priceTokens,
      category: (text('category') || 'performance') as MenuItemCategory,
      emoji: text('emoji') || null,
      actions,
    },
  };
}

/** "$5.00", or "$5.00 · 50 tokens" when the item has a token price; counting in tokens, its token price ("50 tokens"). */
export function priceText(item: Pick<MenuItemDto, 'priceCents' | 'priceTokens'>, unit: DisplayUnit = displayUnit.current): string {
  if (unit.kind === 'tokens') return item.priceTokens ? `${item.priceTokens} ${unit.label}` : formatCents(item.priceCents, unit);
  const dollars = formatCents(item.priceCents, unit);
  return item.priceTokens ? `${dollars} · ${formatCount(item.priceTokens, 'token')}` : dollars;
}

/** What buying the item sets off, one phrase each: "Plays hearts (intensity 5)", "Adds $2.00 to the goal", "Says “…”". */
export function actionsText(actions: MenuItemActions): string[] {
  const phrases: string[] = [];
  if (actions.animation) {
    const name = actions.animation.type === 'custom' ? 'a custom animation' : actions.animation.type;
    phrases.push(`Plays ${name} (intensity ${actions.animation.intensity})`);
  }
  if (actions.goalBonusCents) phrases.push(`Adds ${formatCents(actions.goalBonusCents)} to the goal`);
  if (actions.ttsTemplate) phrases.push(`Says “${actions.ttsTemplate}”`);
  return phrases;
}

/** The ids in their new order after moving the one at `index` by `delta` (−1 up, +1 down); unchanged when it cannot move. */
export function moveId(ids: readonly string[], index: number, delta: number): string[] {
  const target = index + delta;
  const moved = [...ids];
  if (index < 0 || index >= ids.length || target < 0 || target >= ids.length) return moved;
  const [id] = moved.splice(index, 1);
  moved.splice(target, 0, id!);
  return moved;
}

/** The public menu's address on this server. */
export const publicMenuUrl = (origin: string, creatorId: string): string => `${origin}/api/menu/public/${encodeURIComponent(creatorId)}`;
