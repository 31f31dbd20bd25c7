import type { ChaturbateConnectionInput, ConnectorStatus } from '@streaming-companion/client';
import { fieldMessage, sentence, type FieldLabels, type FormReading } from './errors.ts';
import { formatCount, formatRelativeTime, parseWholeNumber } from './format.ts';

/** The Chaturbate connection's form and status: reading what the creator typed, and saying what the connector is doing. Pure. */

/** Where the server's field names land in the connection form. */
export const CONNECTOR_LABELS: FieldLabels = {
  eventsUrl: { input: 'eventsUrl', label: 'Events API URL' },
  autoSession: { input: 'autoSession', label: 'Start and end sessions with my broadcast' },
  centsPerToken: { input: 'centsPerToken', label: 'Cents per token' },
};

/**
 * The connection a submitted form describes (inputs `eventsUrl`, `autoSession`, `centsPerToken`),
 * or a message for each input that is not right yet. Only the shape of the URL is checked here:
 * which hosts and paths are Chaturbate's is the server's to say, and it names the field.
 */
export function readConnectorForm(values: Record<string, string | undefined>): FormReading<ChaturbateConnectionInput> {
  const fields: Record<string, string> = {};
  const eventsUrl = (values.eventsUrl ?? '').trim();
  if (!eventsUrl) fields.eventsUrl = 'Paste the Events API URL from Chaturbate.';
  else if (!/^https?:\/\//i.test(eventsUrl) || !URL.canParse(eventsUrl)) {
    fields.eventsUrl = fieldMessage('Events API URL', 'must be the whole address Chaturbate shows, starting with https://');
  }
  const centsPerToken = parseWholeNumber(values.centsPerToken ?? '');
  if (centsPerToken === null || centsPerToken < 1) fields.centsPerToken = fieldMessage('Cents per token', 'must be a whole number of cents, 1 or more');
  if (Object.keys(fields).length) return { ok: false, fields };
  return { ok: true, value: { eventsUrl, autoSession: values.autoSession === 'on', centsPerToken: centsPerToken! } };
}

export type Tone = 'good' | 'warn' | 'bad' | 'muted';

/** The connector's state in words, with the tone to show it in. */
export function describeConnectorState(status: Pick<ConnectorStatus, 'connected' | 'state' | 'brokenReason' | 'autoSession'>): {
  label: string;
  detail: string;
  tone: Tone;
} {
  if (!status.connected) return { label: 'Not connected', detail: 'Paste your Events API URL above to connect.', tone: 'muted' };
  switch (status.state) {
    case 'polling':
      return { label: 'Connected', detail: 'Receiving events from Chaturbate.', tone: 'good' };
    case 'backing_off':
      return { label: 'Retrying', detail: "Chaturbate isn't answering right now; trying again shortly.", tone: 'warn' };
    case 'broken':
      return {
        label: 'Stopped',
        detail: status.brokenReason ? sentence(status.brokenReason) : 'Chaturbate refused the connection. Save a new Events API URL to reconnect.',
        tone: 'bad',
      };
    case 'disconnected':
      return { label: 'Disconnected', detail: 'Save your Events API URL again to reconnect.', tone: 'muted' };
    case 'idle':
      return {
        label: 'Connected, waiting',
        detail: status.autoSession
          ? 'Listening starts when you go live on Chaturbate.'
          : 'Listening starts when you start a Chaturbate session on the Live page.',
        tone: 'muted',
      };
  }
}

/** Why events were not acted on, as the creator would say it; a platform event the connector has no use for is counted by its own name. */
const SKIPPED_NAMES: Record<string, string> = {
  noSession: 'No session was live',
  autoSessionOff: 'Broadcast start or stop (automatic sessions are off)',
  duplicate: 'Sent twice (counted once)',
  invalid: 'Could not be read',
  refused: 'Refused (e.g. above your largest tip)',
  other: 'Other',
  privateMessage: 'Private messages',
  follow: 'Follows',
  unfollow: 'Unfollows',
  fanclubJoin: 'Fan club joins',
  mediaPurchase: 'Media purchases',
  roomSubjectChange: 'Room subject changes',
};

/** The skipped events, most first, each named (an unknown method by its own name). */
export function skippedRows(skipped: Record<string, number>): Array<{ name: string; count: number }> {
  return Object.entries(skipped)
    .filter(([, count]) => count > 0)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([method, count]) => ({ name: SKIPPED_NAMES[method] ?? method, count }));
}

/** When the last event came in: `3 minutes ago`, or `none yet`. */
export const lastEventText = (lastEventAt: string | null, now: number): string => (lastEventAt ? formatRelativeTime(lastEventAt, now) : 'none yet');

/** `1 error`, `3 errors`, or `none`. */
export const errorsText = (errors: number): string => (errors ? formatCount(errors, 'error') : 'none');
