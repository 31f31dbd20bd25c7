import { ApiError } from '@streaming-companion/client';

/** A form's messages: one per input that is at fault, and one for the form as a whole. */
export interface FormErrors {
  fields: Record<string, string>;
  form?: string;
}

export const noErrors: FormErrors = { fields: {} };

/** What a form's own check of its inputs found before sending: the value to send, or a message per input. */
export type FormReading<T> = { ok: true; value: T } | { ok: false; fields: Record<string, string> };

/** The input a server field maps to, and how a person calls it. */
export type FieldLabels = Record<string, { input: string; label: string }>;

const WORDS: Record<string, string> = {
  unreachable: "Can't reach the server. Check your connection; this will work again once it's back.",
  invalid_credentials: "That email and password don't match an account.",
  too_many_attempts: 'Too many attempts. Wait a minute, then try again.',
  email_taken: 'An account with this email already exists. Log in instead?',
  session_already_active: 'A session is already live. End it before starting another.',
  session_ended: 'This session has ended, so it no longer takes tips.',
  session_not_found: 'That session no longer exists.',
  goal_already_completed: 'That goal is already completed.',
  local_auth_disabled: 'This server signs you in through your streaming platform. Open the dashboard from there.',
  sso_unavailable: "Your platform's sign-in service isn't answering. Try again in a moment.",
};

/** What one form says for a problem code instead of the usual sentence: the same refusal can mean something else there. */
export type CodeWords = Record<string, string>;

/** A sentence a creator understands, for any error a client call can throw. */
export function describeError(error: unknown, words: CodeWords = {}): string {
  if (!(error instanceof ApiError)) return 'Something went wrong. Try again.';
  const said = words[error.code] ?? WORDS[error.code];
  if (said) return said;
  if (error.status === 401) return 'Your sign-in has expired. Log in again.';
  if (error.status >= 500) return 'Something went wrong on the server. Try again in a moment.';
  return sentence(error.detail);
}

/**
 * Puts each field error next to its input ("Password must be at least 10 characters"); what
 * belongs to no input becomes the form's message.
 */
export function formErrors(error: unknown, labels: FieldLabels, words: CodeWords = {}): FormErrors {
  if (!(error instanceof ApiError) || error.errors.length === 0) {
    const fields: Record<string, string> = {};
    if (error instanceof ApiError && error.code === 'email_taken' && labels.email) fields[labels.email.input] = WORDS.email_taken!;
    return Object.keys(fields).length ? { fields } : { fields, form: describeError(error, words) };
  }
  const fields: Record<string, string> = {};
  const rest: string[] = [];
  for (const e of error.errors) {
    const name = e.field.replace(/^(body|query|params)\./, '');
    const target = labels[name];
    if (target) fields[target.input] ??= fieldMessage(target.label, e.message);
    else rest.push(sentence(e.message));
  }
  return { fields, form: rest.length ? rest.join(' ') : undefined };
}

/** "must be at least 10 characters" reads as "Password must be at least 10 characters". */
export function fieldMessage(label: string, message: string): string {
  return /^(must|is|should|cannot|can't)\b/.test(message) ? `${label} ${message}.` : sentence(message);
}

/** Text from the server as a sentence: a capital first, a full stop last. */
export function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
