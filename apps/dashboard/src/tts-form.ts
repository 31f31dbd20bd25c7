import type { DisplayUnit, TtsPreviewInput, TtsSettings } from '@streaming-companion/client';
import { displayUnit } from './display-unit.ts';
import { fieldMessage, type FieldLabels, type FormReading } from './errors.ts';
import { amountExample, parseAmountIn, parseWholeNumber } from './format.ts';

/** The Voice view's forms: text-to-speech settings and a line to hear, read from what the creator typed. Pure. */

/** Where the server's field names land in the settings form. */
export const TTS_LABELS: FieldLabels = {
  enabled: { input: 'enabled', label: 'Read tips aloud' },
  minAmountCents: { input: 'minAmount', label: 'Smallest tip read' },
  voice: { input: 'voice', label: 'Voice' },
  speed: { input: 'speed', label: 'Speed' },
  pitch: { input: 'pitch', label: 'Pitch' },
  maxChars: { input: 'maxChars', label: 'Longest text' },
  maxSeconds: { input: 'maxSeconds', label: 'Longest clip' },
  filterWords: { input: 'filterWords', label: 'Words never read' },
  filterMode: { input: 'filterMode', label: 'When a word is filtered' },
  perTipperPerMinute: { input: 'perTipperPerMinute', label: 'Tips read per tipper per minute' },
  readName: { input: 'readName', label: "Read the tipper's name" },
};

export const PREVIEW_LABELS: FieldLabels = {
  text: { input: 'previewText', label: 'Text to hear' },
  voice: { input: 'voice', label: 'Voice' },
  speed: { input: 'speed', label: 'Speed' },
  pitch: { input: 'pitch', label: 'Pitch' },
};

export const FILTER_MODE_OPTIONS: Array<{ value: TtsSettings['filterMode']; label: string }> = [
  { value: 'bleep', label: 'Say “bleep” in its place' },
  { value: 'skip', label: 'Read nothing of that tip' },
];

/** A whole number from `min` to `max` typed in `input`, or its message added to `fields`. */
function wholeIn(values: Record<string, string | undefined>, input: string, label: string, min: number, max: number, fields: Record<string, string>): number {
  const n = parseWholeNumber(values[input] ?? '');
  if (n === null || n < min || n > max) fields[input] = fieldMessage(label, `must be a whole number from ${min} to ${max}`);
  return n ?? min;
}

/** The words never to read, one per line (blank lines dropped, the same word once). */
export const filterWordsOf = (text: string): string[] => [...new Set(text.split('\n').map((word) => word.trim().replace(/\s+/g, ' ')).filter(Boolean))];

/** The voice, speed and pitch a settings form shows (inputs `voice`, `speed`, `pitch`), or their messages. */
function readVoice(values: Record<string, string | undefined>, fields: Record<string, string>): Pick<TtsSettings, 'voice' | 'speed' | 'pitch'> {
  const voice = (values.voice ?? '').trim();
  if (!voice) fields.voice = 'Choose a voice.';
  return { voice, speed: wholeIn(values, 'speed', 'Speed', 80, 450, fields), pitch: wholeIn(values, 'pitch', 'Pitch', 0, 99, fields) };
}

/**
 * The settings a submitted settings form describes (inputs `enabled`, `minAmount` in the display unit,
 * `voice`, `speed`, `pitch`, `maxChars`, `maxSeconds`, `filterWords` one per line, `filterMode`,
 * `perTipperPerMinute`, `readName`), or a message for each input that is not right yet. The ranges
 * are the server's, checked here so a slip is shown at once.
 */
export function readTtsForm(values: Record<string, string | undefined>, unit: DisplayUnit = displayUnit.current): FormReading<TtsSettings> {
  const fields: Record<string, string> = {};
  const minAmountCents = parseAmountIn(values.minAmount || '0', unit)?.cents ?? null;
  if (minAmountCents === null) fields.minAmount = fieldMessage('Smallest tip read', `must be an amount like ${amountExample(unit)} (0 reads every tip)`);
  const voice = readVoice(values, fields);
  const maxChars = wholeIn(values, 'maxChars', 'Longest text', 1, 500, fields);
  const maxSeconds = wholeIn(values, 'maxSeconds', 'Longest clip', 1, 60, fields);
  const perTipperPerMinute = wholeIn(values, 'perTipperPerMinute', 'Tips read per tipper per minute', 1, 60, fields);
  const filterWords = filterWordsOf(values.filterWords ?? '');
  const long = filterWords.find((word) => word.length > 50);
  if (long) fields.filterWords = `“${long.slice(0, 20)}…” is too long: each word or phrase must be at most 50 characters.`;
  else if (filterWords.length > 200) fields.filterWords = fieldMessage('Words never read', 'must be at most 200 words or phrases');
  if (Object.keys(fields).length) return { ok: false, fields };
  return {
    ok: true,
    value: {
      enabled: values.enabled === 'on',
      minAmountCents: minAmountCents!,
      ...voice,
      maxChars,
      maxSeconds,
      filterWords,
      filterMode: values.filterMode === 'skip' ? 'skip' : 'bleep',
      perTipperPerMinute,
      readName: values.readName === 'on',
    },
  };
}

/** The line to hear (input `previewText`), in the voice, speed and pitch the settings form shows now, saved or not; or the messages. */
export function readPreviewForm(values: Record<string, string | undefined>): FormReading<TtsPreviewInput> {
  const fields: Record<string, string> = {};
  const text = (values.previewText ?? '').trim();
  if (!text) fields.previewText = 'Type something to hear.';
  const voice = readVoice(values, fields);
  if (Object.keys(fields).length) return { ok: false, fields };
  return { ok: true, value: { text, ...voice } };
}
