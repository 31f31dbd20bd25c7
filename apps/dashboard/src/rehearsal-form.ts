import type { RehearsalDto, RehearsalInput, StreamSessionDto } from '@streaming-companion/client';
import { fieldMessage, type CodeWords, type FieldLabels, type FormReading } from './errors.ts';
import { formatCount, formatDateTime, parseWholeNumber } from './format.ts';

/** The rehearsal view's form and rows: reading what the creator chose, and saying how far a rehearsal got. Pure, so the view stays thin. */

/** Where the server's field names land in the rehearsal form. */
export const REHEARSAL_LABELS: FieldLabels = {
  fromSessionId: { input: 'fromSessionId', label: 'Session to replay' },
  'simulate.tipCount': { input: 'tipCount', label: 'Number of tips' },
  'simulate.durationSeconds': { input: 'durationSeconds', label: 'Duration' },
  'simulate.minTokens': { input: 'minTokens', label: 'Smallest tip' },
  'simulate.maxTokens': { input: 'maxTokens', label: 'Biggest tip' },
  speed: { input: 'speed', label: 'Speed' },
};

/** A rehearsal is refused while a session is live: a creator rehearses before going live. */
export const REHEARSAL_WORDS: CodeWords = {
  session_already_active: 'A session is live: end your live session first, then rehearse.',
};

export const SPEED_OPTIONS = [
  { value: '1', label: '1× (as it happened)' },
  { value: '5', label: '5× (five times faster)' },
];

/** Where a rehearsal's tips come from: a past session replayed, or made up. */
export type RehearsalSource = 'session' | 'simulate';

/**
 * The rehearsal a submitted form describes (inputs `source`, `fromSessionId`, `tipCount`,
 * `durationSeconds`, `minTokens`, `maxTokens`, `speed`), or a message for each input that is not
 * right yet. The ranges are the server's, checked here so a slip is shown before anything starts.
 */
export function readRehearsalForm(values: Record<string, string | undefined>): FormReading<RehearsalInput> {
  const text = (name: string) => (values[name] ?? '').trim();
  const speed = text('speed') === '5' ? 5 : 1;
  if (text('source') !== 'simulate') {
    const fromSessionId = text('fromSessionId');
    if (!fromSessionId) return { ok: false, fields: { fromSessionId: 'Choose one of your past sessions to replay.' } };
    return { ok: true, value: { fromSessionId, speed } };
  }
  const fields: Record<string, string> = {};
  const tipCount = parseWholeNumber(text('tipCount'));
  if (tipCount === null || tipCount < 1 || tipCount > 500) fields.tipCount = fieldMessage('Number of tips', 'must be a whole number from 1 to 500');
  const durationSeconds = parseWholeNumber(text('durationSeconds'));
  if (durationSeconds === null || durationSeconds < 5 || durationSeconds > 3600) {
    fields.durationSeconds = fieldMessage('Duration', 'must be a whole number of seconds from 5 to 3600');
  }
  const minTokens = optionalTokens(text('minTokens'), 'Smallest tip', 'minTokens', fields);
  const maxTokens = optionalTokens(text('maxTokens'), 'Biggest tip', 'maxTokens', fields);
  if (minTokens !== undefined && maxTokens !== undefined && minTokens > maxTokens && !fields.maxTokens) {
    fields.maxTokens = fieldMessage('Biggest tip', 'must be at least the smallest tip');
  }
  if (Object.keys(fields).length) return { ok: false, fields };
  return { ok: true, value: { simulate: { tipCount: tipCount!, durationSeconds: durationSeconds!, minTokens, maxTokens }, speed } };
}

function optionalTokens(typed: string, label: string, input: string, fields: Record<string, string>): number | undefined {
  if (!typed) return undefined;
  const tokens = parseWholeNumber(typed);
  if (tokens === null || tokens < 1) fields[input] = fieldMessage(label, 'must be a whole number of tokens, 1 or more');
  return tokens ?? undefined;
}

/**
 * The sessions worth replaying, for the select: ended, real (a rehearsal of a rehearsal plays
 * nothing new) and with tips (there is nothing to replay otherwise), newest first as listed.
 */
export function replayableSessions(sessions: StreamSessionDto[]): Array<{ value: string; label: string }> {
  return sessions
    .filter((s) => s.status === 'ended' && !s.rehearsal && s.tipCount > 0)
    .map((s) => ({ value: s.id, label: `${s.title ?? 'Untitled session'} · ${formatDateTime(s.startedAt)} · ${formatCount(s.tipCount, 'tip')}` }));
}

export const REHEARSAL_STATUS_NAMES: Record<RehearsalDto['status'], string> = { playing: 'Playing', finished: 'Finished', stopped: 'Stopped' };

/** How far a rehearsal got: `3 of 10 tips played`, and the share for a progress bar. */
export function rehearsalProgress(rehearsal: Pick<RehearsalDto, 'played' | 'tipCount'>): { text: string; percent: number } {
  const played = Math.min(rehearsal.played, rehearsal.tipCount);
  const percent = rehearsal.tipCount ? Math.round((played / rehearsal.tipCount) * 100) : 100;
  return { text: `${played} of ${formatCount(rehearsal.tipCount, 'tip')} played`, percent };
}
