import { ApiError, type Page, type WebhookDelivery } from '@streaming-companion/client';
import { describe, expect, it } from 'vitest';
import { formErrors } from '../src/errors.ts';
import {
  canRedeliver,
  deliveryEventName,
  deliveryStatus,
  endpointState,
  eventChoices,
  eventInputId,
  eventsText,
  lastDeliveryText,
  lastResponseText,
  mergeDelivery,
  newerDelivery,
  nextAttemptText,
  readWebhookForm,
  WEBHOOK_LABELS,
  WEBHOOK_WORDS,
} from '../src/webhook-form.ts';

const URL_TYPED = 'https://hooks.example.com/streaming';

describe('readWebhookForm', () => {
  it('reads the URL, the ticked events in the form’s order, and a blank description as null', () => {
    const values = { url: ` ${URL_TYPED} `, description: '  ', [eventInputId('streaming.goal.completed')]: 'on', [eventInputId('streaming.tip.received')]: 'on' };
    expect(readWebhookForm(values)).toEqual({
      ok: true,
      value: { url: URL_TYPED, events: ['streaming.tip.received', 'streaming.goal.completed'], description: null },
    });
    expect(readWebhookForm({ ...values, description: ' My bot ' })).toMatchObject({ ok: true, value: { description: 'My bot' } });
  });

  it('leaves plain http to the server (an operator may allow it for testing)', () => {
    expect(readWebhookForm({ url: 'http://127.0.0.1:8080/hook', [eventInputId('streaming.tip.received')]: 'on' })).toMatchObject({ ok: true });
  });

  it('asks for a whole https address and at least one event', () => {
    expect(readWebhookForm({ url: '' })).toEqual({
      ok: false,
      fields: { url: 'Give the address your receiver listens on, starting with https://.', events: 'Pick at least one event to send.' },
    });
    for (const url of ['hooks.example.com/streaming', 'ftp://hooks.example.com/', 'https://', 'https:///path', 'javascript:alert(1)']) {
      expect(readWebhookForm({ url, [eventInputId('streaming.tip.voided')]: 'on' }), url).toEqual({
        ok: false,
        fields: { url: 'Endpoint URL must be a whole address starting with https://.' },
      });
    }
  });
});

describe('eventChoices and eventInputId', () => {
  it('offers the events the server runs, each with a checkbox, plain words and the server’s description', () => {
    expect(eventChoices([{ type: 'streaming.menu_item.purchased', description: 'A tip bought an item of the tip menu.' }])).toEqual([
      { type: 'streaming.menu_item.purchased', id: 'event-menu-item-purchased', label: 'A menu item is bought', hint: 'A tip bought an item of the tip menu.' },
    ]);
  });
});

describe('the server’s refusals', () => {
  const refusal = (errors: Array<{ field: string; message: string }>, code = 'validation_failed', status = 422) =>
    new ApiError({ status, code, detail: errors[0]?.message ?? 'refused', errors: errors.map((e) => ({ ...e, rule: 'x' })) });

  it('puts a refused URL and a refused event at their inputs', () => {
    expect(formErrors(refusal([{ field: 'body.url', message: 'must not be a private or loopback address (127.0.0.1)' }]), WEBHOOK_LABELS)).toEqual({
      fields: { url: 'Endpoint URL must not be a private or loopback address (127.0.0.1).' },
      form: undefined,
    });
    expect(formErrors(refusal([{ field: 'body.events.1', message: 'streaming.chat.message is not offered by this server' }]), WEBHOOK_LABELS)).toEqual({
      fields: { events: 'Streaming.chat.message is not offered by this server.' },
      form: undefined,
    });
  });

  it('says the endpoint limit in its own words', () => {
    const limit = new ApiError({ status: 409, code: 'endpoint_limit', detail: 'you have 10 webhook endpoints, the most kept' });
    expect(formErrors(limit, WEBHOOK_LABELS, WEBHOOK_WORDS).form).toBe(WEBHOOK_WORDS.endpoint_limit);
  });
});

describe('endpoints in words', () => {
  it('lists the events in the form’s order', () => {
    expect(eventsText(['streaming.session.ended', 'streaming.tip.received'])).toBe('A tip is received · A session ends');
  });

  it('says whether an endpoint is on, and why the server switched it off', () => {
    expect(endpointState({ active: true, disabledReason: null })).toEqual({ label: 'On', detail: null });
    expect(endpointState({ active: false, disabledReason: null })).toEqual({ label: 'Off', detail: null });
    expect(endpointState({ active: false, disabledReason: '20 deliveries in a row failed' })).toEqual({
      label: 'Off',
      detail: 'Switched off by the server: 20 deliveries in a row failed.',
    });
  });

  it('says what the last delivery did, and when', () => {
    const now = Date.parse('2026-03-01T12:00:00Z');
    expect(lastDeliveryText(null, now)).toBe('No deliveries yet');
    expect(lastDeliveryText({ status: 'delivered', attempts: 1, createdAt: '2026-03-01T11:57:00Z' }, now)).toBe('Last delivery: delivered, 3 minutes ago');
    expect(lastDeliveryText({ status: 'pending', attempts: 2, createdAt: '2026-03-01T11:00:00Z' }, now)).toBe('Last delivery: retrying, 1 hour ago');
  });
});

const delivery = (patch: Partial<WebhookDelivery>): WebhookDelivery => ({
  id: 'd1',
  endpointId: 'e1',
  eventType: 'streaming.tip.received',
  eventId: 'ev1',
  status: 'delivered',
  attempts: 1,
  lastResponseStatus: 200,
  lastError: null,
  nextAttemptAt: null,
  deliveredAt: '2026-03-01T12:00:01Z',
  createdAt: '2026-03-01T12:00:00Z',
  updatedAt: '2026-03-01T12:00:01Z',
  ...patch,
});

describe('a delivery in words', () => {
  it('names the event, the test ping, and an event no longer offered by its own name', () => {
    expect(deliveryEventName('streaming.tip.received')).toBe('A tip is received');
    expect(deliveryEventName('webhook.test')).toBe('Test ping');
    expect(deliveryEventName('streaming.something.new')).toBe('streaming.something.new');
  });

  it('says where it stands, in the tone to show it in', () => {
    expect(deliveryStatus({ status: 'delivered', attempts: 3 })).toEqual({ label: 'Delivered', tone: 'good' });
    expect(deliveryStatus({ status: 'failed', attempts: 8 })).toEqual({ label: 'Failed', tone: 'bad' });
    expect(deliveryStatus({ status: 'pending', attempts: 0 })).toEqual({ label: 'Sending', tone: 'muted' });
    expect(deliveryStatus({ status: 'pending', attempts: 2 })).toEqual({ label: 'Retrying', tone: 'warn' });
  });

  it('says what the receiver last answered', () => {
    expect(lastResponseText({ lastResponseStatus: 200, lastError: null })).toBe('HTTP 200');
    expect(lastResponseText({ lastResponseStatus: 500, lastError: 'Internal error' })).toBe('HTTP 500: Internal error');
    expect(lastResponseText({ lastResponseStatus: null, lastError: 'timed out after 10 s' })).toBe('Timed out after 10 s.');
    expect(lastResponseText({ lastResponseStatus: null, lastError: null })).toBe('—');
  });

  it('says when a waiting one is tried next, and offers Redeliver only on one that gave up', () => {
    const now = Date.parse('2026-03-01T12:00:00Z');
    expect(nextAttemptText({ status: 'pending', nextAttemptAt: '2026-03-01T12:02:00Z' }, now)).toBe('in 2 minutes');
    expect(nextAttemptText({ status: 'failed', nextAttemptAt: '2026-03-01T12:02:00Z' }, now)).toBe('—');
    expect(nextAttemptText({ status: 'delivered', nextAttemptAt: null }, now)).toBe('—');
    expect([canRedeliver({ status: 'failed' }), canRedeliver({ status: 'pending' }), canRedeliver({ status: 'delivered' })]).toEqual([true, false, false]);
  });
});

describe('keeping the log current', () => {
  const at = (minute: number) => `2026-03-01T12:${String(minute).padStart(2, '0')}:00.000Z`;
  const page = (items: WebhookDelivery[], more: Partial<Page<WebhookDelivery>> = {}): Page<WebhookDelivery> => ({
    items,
    total: items.length,
    page: 1,
    pageSize: 3,
    ...more,
  });
  const a = delivery({ id: 'a', createdAt: at(3), updatedAt: at(3) });
  const b = delivery({ id: 'b', createdAt: at(2), updatedAt: at(2), status: 'failed' });
  const c = delivery({ id: 'c', createdAt: at(1), updatedAt: at(1) });

  it('updates a delivery in place, unless it shows a later state already', () => {
    const redelivered = { ...b, status: 'pending' as const, attempts: 0, updatedAt: at(9) };
    expect(mergeDelivery(page([a, b, c]), redelivered)).toEqual(page([a, redelivered, c]));
    // The answer to "Send test" (pending) arriving after the socket said it was delivered.
    expect(mergeDelivery(page([a, b, c]), { ...a, status: 'pending', attempts: 0, updatedAt: at(2) })).toEqual(page([a, b, c]));
  });

  it('puts a new one first on the first page, keeping the page size and counting it', () => {
    const d = delivery({ id: 'd', createdAt: at(4) });
    expect(mergeDelivery(page([a, b, c], { total: 5 }), d)).toEqual(page([d, a, b], { total: 6 }));
    expect(mergeDelivery(page([]), d)).toEqual(page([d]));
  });

  it('leaves later pages, and deliveries older than the page, to a refresh', () => {
    const d = delivery({ id: 'd', createdAt: at(4) });
    expect(mergeDelivery(page([a, b, c], { page: 2, total: 9 }), d)).toEqual(page([a, b, c], { page: 2, total: 9 }));
    const old = delivery({ id: 'old', createdAt: at(0) });
    expect(mergeDelivery(page([a, b, c], { total: 9 }), old)).toEqual(page([a, b, c], { total: 9 }));
  });

  it('follows the status filter: one that stops fitting leaves, one that starts fitting joins in its place', () => {
    const filtered = page([b], { pageSize: 3 });
    expect(mergeDelivery(filtered, { ...b, status: 'pending' }, 'failed')).toEqual(page([], { total: 0 }));
    const failedNow = { ...a, status: 'failed' as const };
    expect(mergeDelivery(filtered, failedNow, 'failed')).toEqual(page([failedNow, b]));
    expect(mergeDelivery(filtered, delivery({ id: 'e', createdAt: at(5) }), 'failed')).toEqual(filtered);
  });

  it('keeps the newer of an endpoint’s last delivery and one heard of', () => {
    expect(newerDelivery(null, b)).toBe(b);
    expect(newerDelivery(a, b)).toBe(a);
    expect(newerDelivery(b, a)).toBe(a);
    const settled = { ...a, status: 'failed' as const, updatedAt: at(9) };
    expect(newerDelivery(a, settled)).toBe(settled);
    expect(newerDelivery(settled, a), 'an older state of the same delivery').toBe(settled);
  });
});
