import { fieldMessage, type FieldLabels, type FormReading } from './errors.ts';
import { addDays, monthStart } from './calendar.ts';

/** The analytics range picker: presets and typed dates, as the whole days the server reports on. Pure, so the view stays thin. */

export const RANGE_PRESETS = [
  { value: '7d', label: 'Last 7 days' },
  { value: '30d', label: 'Last 30 days' },
  { value: 'month', label: 'This month' },
  { value: 'custom', label: 'Custom dates' },
] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number]['value'];

/** Whole days: `from` is the first, `to` the day after the last, as the server's half-open [from, to) wants. */
export interface DayRange {
  from: string;
  to: string;
}

/** Where the server's query fields land in the range form (`tz` has no input: it is the browser's). */
export const RANGE_LABELS: FieldLabels = {
  from: { input: 'from', label: 'From' },
  to: { input: 'to', label: 'To' },
  platform: { input: 'platform', label: 'Platform' },
};

/** The days a preset covers, up to and including `today`. */
export function presetRange(preset: Exclude<RangePreset, 'custom'>, today: string): DayRange {
  const to = addDays(today, 1);
  switch (preset) {
    case '7d':
      return { from: addDays(today, -6), to };
    case '30d':
      return { from: addDays(today, -29), to };
    case 'month':
      return { from: monthStart(today), to };
  }
}

/** The last day a range covers, for the "To" input: people pick the last day they mean, not the day after. */
export const lastDay = (range: DayRange): string => addDays(range.to, -1);

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The range typed in the From and To inputs (both days included), or a message per input. */
export function readCustomRange(values: Record<string, string | undefined>): FormReading<DayRange> {
  const from = values.from ?? '';
  const to = values.to ?? '';
  const fields: Record<string, string> = {};
  if (!DATE.test(from)) fields.from = fieldMessage('From', 'must be a date');
  if (!DATE.test(to)) fields.to = fieldMessage('To', 'must be a date');
  else if (!fields.from && to < from) fields.to = fieldMessage('To', 'must be on or after the From date');
  return Object.keys(fields).length ? { ok: false, fields } : { ok: true, value: { from, to: addDays(to, 1) } };
}
