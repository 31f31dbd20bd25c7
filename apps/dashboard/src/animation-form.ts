import type { AnimationSettings, AnimationType, DisplayUnit } from '@streaming-companion/client';
import { displayUnit } from './display-unit.ts';
import { fieldMessage, type FieldLabels, type FormReading } from './errors.ts';
import { amountExample, parseAmountIn } from './format.ts';

/** The animations view's forms: threshold rules and settings, read from what the creator typed. Pure. */

export const RULE_LABELS: FieldLabels = {
  minAmountCents: { input: 'amount', label: 'Tips from' },
  type: { input: 'type', label: 'Animation' },
  intensity: { input: 'intensity', label: 'Intensity' },
  url: { input: 'url', label: 'Image or video URL' },
};

export const SETTINGS_LABELS: FieldLabels = {
  cooldownMs: { input: 'cooldown', label: 'Cooldown' },
  maxConcurrent: { input: 'maxConcurrent', label: 'Most playing at once' },
  effectMs: { input: 'effect', label: 'Effect length' },
};

/** A rule with every field, as the create and the edit forms send it. */
export interface RuleFields {
  minAmountCents: number;
  type: AnimationType;
  intensity: number;
  url: string | null;
  active: boolean;
}

/** The rule a submitted rule form describes (inputs `amount` in the display unit, `type`, `intensity`, `url`, `active`), or the messages for its inputs. */
export function readRuleForm(values: Record<string, string | undefined>, unit: DisplayUnit = displayUnit.current): FormReading<RuleFields> {
  const text = (name: string) => (values[name] ?? '').trim();
  const fields: Record<string, string> = {};
  const minAmountCents = parseAmountIn(text('amount'), unit)?.cents ?? null;
  if (minAmountCents === null || minAmountCents <= 0) fields.amount = fieldMessage('Tips from', `must be an amount like ${amountExample(unit)}`);
  const type = (text('type') || 'confetti') as AnimationType;
  const url = type === 'custom' ? text('url') : '';
  if (type === 'custom' && !url) fields.url = fieldMessage('Image or video URL', 'must be given for a custom animation (https://… or /path)');
  if (Object.keys(fields).length) return { ok: false, fields };
  return { ok: true, value: { minAmountCents: minAmountCents!, type, intensity: Number(text('intensity') || 3), url: url || null, active: values.active === 'on' } };
}

/**
 * Seconds as typed ("2", "1.5", "0,25") in milliseconds, or null when it is not a number of
 * seconds; more than three decimals is refused rather than rounded.
 */
export function parseSeconds(text: string): number | null {
  const match = /^\s*(\d{1,5})(?:[.,](\d{1,3}))?\s*$/.exec(text);
  if (!match) return null;
  return Number(match[1]) * 1000 + Number((match[2] ?? '').padEnd(3, '0'));
}

/** Milliseconds as seconds to type back: 1500 → "1.5", 2000 → "2". */
export const formatSeconds = (ms: number): string => String(ms / 1000);

/** The settings a submitted settings form describes (inputs `cooldown`, `maxConcurrent`, `effect`, times in seconds), or the messages for its inputs. */
export function readSettingsForm(values: Record<string, string | undefined>): FormReading<AnimationSettings> {
  const fields: Record<string, string> = {};
  const cooldownMs = parseSeconds(values.cooldown ?? '');
  if (cooldownMs === null || cooldownMs > 60_000) fields.cooldown = fieldMessage('Cooldown', 'must be between 0 and 60 seconds');
  const effectMs = parseSeconds(values.effect ?? '');
  if (effectMs === null || effectMs < 500 || effectMs > 60_000) fields.effect = fieldMessage('Effect length', 'must be between 0.5 and 60 seconds');
  const maxConcurrent = Number(values.maxConcurrent);
  if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1 || maxConcurrent > 10) fields.maxConcurrent = fieldMessage('Most playing at once', 'must be between 1 and 10');
  if (Object.keys(fields).length) return { ok: false, fields };
  return { ok: true, value: { cooldownMs: cooldownMs!, maxConcurrent, effectMs: effectMs! } };
}
