import type { Page, WebhookDelivery, WebhookDeliveryStatus, WebhookEndpoint, WebhookEventType, WebhookEventTypeDto } from '@streaming-companion/client';
import { fieldMessage, sentence, type CodeWords, type FieldLabels, type FormReading } from './errors.ts';
import { formatRelativeTime } from './format.ts';

/** The Webhooks view's form and rows: reading the endpoint form, saying what a delivery did, keeping the log current. Pure. */

/** Each event a creator can pick, as they would say it. */
export const WEBHOOK_EVENT_NAMES: Record<WebhookEventType, string> = {
  'streaming.tip.received': 'A tip is received',
  'streaming.tip.voided': 'A tip is voided',
  'streaming.goal.completed': 'A goal is completed',
  'streaming.menu_item.purchased': 'A menu item is bought',
  'streaming.session.started': 'A session starts',
  'streaming.session.ended': 'A session ends',
  'streaming.session.viewers': 'The viewer count changes',
  'streaming.chat.message': 'A chat message comes in',
};

const WEBHOOK_EVENTS = Object.keys(WEBHOOK_EVENT_NAMES) as WebhookEventType[];

/** The ping "Send test" sends: no event a creator picks, but it shows in the log. */
const TEST_EVENT = 'webhook.test';

/** The checkbox of an event: `event-tip-received`. */
export const eventInputId = (type: WebhookEventType): string => `event-${type.replace(/^streaming\./, '').replace(/[._]/g, '-')}`;

/** The events the form offers (those the server runs the plugins of), each with its checkbox and the server's words for it. */
export const eventChoices = (offered: readonly WebhookEventTypeDto[]) =>
  offered.map(({ type, description }) => ({ type, id: eventInputId(type), label: WEBHOOK_EVENT_NAMES[type] ?? type, hint: description }));

/** Where the server's field names land in the endpoint form; an event it refuses is named by its place in the list. */
export const WEBHOOK_LABELS: FieldLabels = {
  url: { input: 'url', label: 'Endpoint URL' },
  events: { input: 'events', label: 'Events' },
  ...Object.fromEntries(WEBHOOK_EVENTS.map((_, i) => [`events.${i}`, { input: 'events', label: 'Events' }])),
  description: { input: 'description', label: 'Description' },
};

/** Refusals the endpoint form says in its own words. */
export const WEBHOOK_WORDS: CodeWords = {
  endpoint_limit: 'You have as many endpoints as this server allows. Delete one you no longer use to add another.',
};

export interface WebhookFields {
  url: string;
  events: WebhookEventType[];
  description: string | null;
}

/**
 * The endpoint a submitted form describes (inputs `url`, `description`, and a checkbox per event,
 * `eventInputId(type)`), or a message for each input that is not right yet. Only the shape of
 * the URL is checked here: which hosts may be reached, and whether plain http is allowed (an
 * operator's choice, for testing), is the server's to say, and it names the field.
 */
export function readWebhookForm(values: Record<string, string | undefined>): FormReading<WebhookFields> {
  const fields: Record<string, string> = {};
  const url = (values.url ?? '').trim();
  if (!url) fields.url = 'Give the address your receiver listens on, starting with https://.';
  else if (!/^https?:\/\/[^/]/i.test(url) || !URL.canParse(url)) fields.url = fieldMessage('Endpoint URL', 'must be a whole address starting with https://');
  const events = WEBHOOK_EVENTS.filter((type) => values[eventInputId(type)] === 'on');
  if (!events.length) fields.events = 'Pick at least one event to send.';
  if (Object.keys(fields).length) return { ok: false, fields };
  return { ok: true, value: { url, events, description: (values.description ?? '').trim() || null } };
}

/** An endpoint's events in words, in the form's order: `A tip is received · A goal is completed`. */
export const eventsText = (events: readonly string[]): string =>
  WEBHOOK_EVENTS.filter((type) => events.includes(type))
    .map((type) => WEBHOOK_EVENT_NAMES[type])
    .join(' · ');

/** Whether an endpoint is sent anything, and when the server switched it off, why. */
export function endpointState(endpoint: Pick<WebhookEndpoint, 'active' | 'disabledReason'>): { label: string; detail: string | null } {
  if (endpoint.active) return { label: 'On', detail: null };
  return { label: 'Off', detail: endpoint.disabledReason ? `Switched off by the server: ${sentence(endpoint.disabledReason)}` : null };
}

/** A delivery's event in words; the test ping, or an event no longer offered, by a name of its own. */
export function deliveryEventName(type: string): string {
  if (type === TEST_EVENT) return 'Test ping';
  return WEBHOOK_EVENT_NAMES[type as WebhookEventType] ?? type;
}

export type Tone = 'good' | 'warn' | 'bad' | 'muted';

/** Where a delivery stands, in the tone to show it in. */
export function deliveryStatus(delivery: Pick<WebhookDelivery, 'status' | 'attempts'>): { label: string; tone: Tone } {
  switch (delivery.status) {
    case 'delivered':
      return { label: 'Delivered', tone: 'good' };
    case 'failed':
      return { label: 'Failed', tone: 'bad' };
    case 'pending':
      return delivery.attempts ? { label: 'Retrying', tone: 'warn' } : { label: 'Sending', tone: 'muted' };
  }
}

/** The log's status filter, for a select. */
export const DELIVERY_FILTERS: ReadonlyArray<{ value: WebhookDeliveryStatus | ''; label: string }> = [
  { value: '', label: 'All' },
  { value: 'pending', label: 'Sending or retrying' },
  { value: 'delivered', label: 'Delivered' },
  { value: 'failed', label: 'Failed' },
];

/** What the receiver last answered: `HTTP 200`, `HTTP 500: Internal error`, the network error, or `—` before any answer. */
export function lastResponseText(delivery: Pick<WebhookDelivery, 'lastResponseStatus' | 'lastError'>): string {
  const { lastResponseStatus: status, lastError: error } = delivery;
  if (status !== null) return error ? `HTTP ${status}: ${error}` : `HTTP ${status}`;
  return error ? sentence(error) : '—';
}

/** When a waiting delivery is tried again (`in 2 minutes`), or `—` once it is settled. */
export function nextAttemptText(delivery: Pick<WebhookDelivery, 'status' | 'nextAttemptAt'>, now: number): string {
  return delivery.status === 'pending' && delivery.nextAttemptAt ? formatRelativeTime(delivery.nextAttemptAt, now) : '—';
}

/** Only a delivery that gave up is sent again: a waiting one is still being tried, a delivered one arrived. */
export const canRedeliver = (delivery: Pick<WebhookDelivery, 'status'>): boolean => delivery.status === 'failed';

/** What an endpoint's last delivery did, for its row: `Last delivery: delivered 3 minutes ago`, or that there was none. */
export function lastDeliveryText(last: Pick<WebhookDelivery, 'status' | 'attempts' | 'createdAt'> | null | undefined, now: number): string {
  if (!last) return 'No deliveries yet';
  return `Last delivery: ${deliveryStatus(last).label.toLowerCase()}, ${formatRelativeTime(last.createdAt, now)}`;
}

/** The newer of an endpoint's last delivery and one just heard of: the later delivery, or of the same one the later state. */
export function newerDelivery(current: WebhookDelivery | null | undefined, heard: WebhookDelivery): WebhookDelivery {
  if (!current) return heard;
  if (current.id === heard.id) return staleState(current, heard) ? current : heard;
  return heard.createdAt >= current.createdAt ? heard : current;
}

/**
 * Whether `heard` is an older state of `shown` than the one shown: an answer (a test sent) can
 * arrive after the socket has already said how its attempt went.
 */
const staleState = (shown: WebhookDelivery, heard: WebhookDelivery): boolean => heard.updatedAt < shown.updatedAt;

/**
 * The log page shown, with a delivery heard of since it was fetched (newest first, under the
 * status filter): updated in place (unless what is shown is newer), dropped when it no longer fits the filter, or put where it
 * belongs when it does and belongs on this page. Only the first page takes new ones: later pages
 * shift as deliveries come, and are fetched again on demand.
 */
export function mergeDelivery(page: Page<WebhookDelivery>, delivery: WebhookDelivery, status?: WebhookDeliveryStatus): Page<WebhookDelivery> {
  const fits = !status || delivery.status === status;
  const at = page.items.findIndex((item) => item.id === delivery.id);
  if (at >= 0) {
    if (staleState(page.items[at]!, delivery)) return page;
    if (fits) return { ...page, items: page.items.with(at, delivery) };
    return { ...page, items: page.items.toSpliced(at, 1), total: page.total - 1 };
  }
  if (!fits || page.page !== 1) return page;
  const place = page.items.findIndex((item) => item.createdAt < delivery.createdAt || (item.createdAt === delivery.createdAt && item.id < delivery.id));
  const position = place < 0 ? page.items.length : place;
  if (position >= page.pageSize) return page;
  return { ...page, items: page.items.toSpliced(position, 0, delivery).slice(0, page.pageSize), total: page.total + 1 };
}
