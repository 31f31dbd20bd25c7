import type { ConnectorStatus } from '@streaming-companion/client';
import { describe, expect, it } from 'vitest';
import { describeConnectorState, errorsText, lastEventText, readConnectorForm, skippedRows } from '../src/connector-form.ts';

const URL_TYPED = 'https://eventsapi.chaturbate.com/events/mia/AbCdEf123456/';

describe('readConnectorForm', () => {
  it('reads the URL, the automatic-sessions box and the rate', () => {
    expect(readConnectorForm({ eventsUrl: ` ${URL_TYPED} `, autoSession: 'on', centsPerToken: '5' })).toEqual({
      ok: true,
      value: { eventsUrl: URL_TYPED, autoSession: true, centsPerToken: 5 },
    });
    // An unticked box is absent from the form's values.
    expect(readConnectorForm({ eventsUrl: URL_TYPED, centsPerToken: '8' })).toMatchObject({ ok: true, value: { autoSession: false, centsPerToken: 8 } });
  });

  it('asks for the URL, a whole address, and a whole number of cents', () => {
    expect(readConnectorForm({ eventsUrl: '', centsPerToken: '0' })).toEqual({
      ok: false,
      fields: { eventsUrl: 'Paste the Events API URL from Chaturbate.', centsPerToken: 'Cents per token must be a whole number of cents, 1 or more.' },
    });
    for (const eventsUrl of ['eventsapi.chaturbate.com/events/mia/x/', 'ftp://eventsapi.chaturbate.com/', 'https://']) {
      expect(readConnectorForm({ eventsUrl, centsPerToken: '5' }), eventsUrl).toEqual({
        ok: false,
        fields: { eventsUrl: 'Events API URL must be the whole address Chaturbate shows, starting with https://.' },
      });
    }
    expect(readConnectorForm({ eventsUrl: URL_TYPED, centsPerToken: '2.5' })).toMatchObject({ ok: false, fields: { centsPerToken: expect.any(String) } });
  });
});

const status = (patch: Partial<ConnectorStatus>) => ({ connected: true, state: 'idle' as const, brokenReason: null, autoSession: false, ...patch });

describe('describeConnectorState', () => {
  it('says what each state means, in the tone to show it in', () => {
    expect(describeConnectorState(status({ connected: false, state: 'disconnected' }))).toMatchObject({ label: 'Not connected', tone: 'muted' });
    expect(describeConnectorState(status({ state: 'polling' }))).toMatchObject({ label: 'Connected', tone: 'good' });
    expect(describeConnectorState(status({ state: 'backing_off' }))).toMatchObject({ label: 'Retrying', tone: 'warn' });
    expect(describeConnectorState(status({ state: 'idle' })).detail).toBe('Listening starts when you start a Chaturbate session on the Live page.');
    expect(describeConnectorState(status({ state: 'idle', autoSession: true })).detail).toBe('Listening starts when you go live on Chaturbate.');
  });

  it("shows a broken connection in the error tone, with the server's reason as a sentence", () => {
    expect(describeConnectorState(status({ state: 'broken', brokenReason: 'the Events API refused the token (HTTP 401); save a new Events URL' }))).toEqual({
      label: 'Stopped',
      detail: 'The Events API refused the token (HTTP 401); save a new Events URL.',
      tone: 'bad',
    });
    expect(describeConnectorState(status({ state: 'broken' })).detail).toBe('Chaturbate refused the connection. Save a new Events API URL to reconnect.');
  });
});

describe('skippedRows', () => {
  it('lists skipped events most first, named in words, an unknown method by its own name', () => {
    expect(skippedRows({ follow: 2, noSession: 5, tokenBalanceUpdate: 2, duplicate: 0 })).toEqual([
      { name: 'No session was live', count: 5 },
      { name: 'Follows', count: 2 },
      { name: 'tokenBalanceUpdate', count: 2 },
    ]);
    expect(skippedRows({})).toEqual([]);
  });
});

describe('lastEventText and errorsText', () => {
  it('says when the last event came in, and how many errors there were', () => {
    const now = Date.parse('2026-03-01T12:00:00Z');
    expect(lastEventText(null, now)).toBe('none yet');
    expect(lastEventText('2026-03-01T11:57:00Z', now)).toBe('3 minutes ago');
    expect(errorsText(0)).toBe('none');
    expect(errorsText(1)).toBe('1 error');
    expect(errorsText(4)).toBe('4 errors');
  });
});
