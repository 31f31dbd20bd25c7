import { describe, expect, it } from 'vitest';
import { readChaturbateEvent } from '../src/chaturbate-events.ts';
import { isOnConnection, parseEventsUrl, tokenHint } from '../src/events-url.ts';
import { describeError, redact } from '../src/redact.ts';

const BASE = 'https://eventsapi.chaturbate.com/events/';
const TOKEN = 'AbCdEf0123456789xyz';

describe('parseEventsUrl', () => {
  it('takes the URL apart and normalizes it', () => {
    expect(parseEventsUrl(`${BASE}creator_1/${TOKEN}/?timeout=10#x`, BASE)).toEqual({ url: `${BASE}creator_1/${TOKEN}/`, username: 'creator_1', token: TOKEN });
    expect(parseEventsUrl(`${BASE}creator_1/${TOKEN}`, BASE)).toMatchObject({ url: `${BASE}creator_1/${TOKEN}/` });
    expect(parseEventsUrl(`https://events.testbed.cb.dev/events/u/${TOKEN}/`, 'https://events.testbed.cb.dev/events/')).toMatchObject({ username: 'u' });
  });

  it('refuses anything else, saying why without quoting it', () => {
    const refusals = [
      'eventsapi.chaturbate.com/events/u/t',
      `http://eventsapi.chaturbate.com/events/u/${TOKEN}/`,
      `https://eventsapi.chaturbate.com:8443/events/u/${TOKEN}/`,
      `https://evil.example/events/u/${TOKEN}/`,
      `https://eventsapi.chaturbate.com.evil.example/events/u/${TOKEN}/`,
      `https://x:${TOKEN}@eventsapi.chaturbate.com/events/u/${TOKEN}/`,
      `https://eventsapi.chaturbate.com/api/u/${TOKEN}/`,
      `https://eventsapi.chaturbate.com/events/u/${TOKEN}/more/`,
      `https://eventsapi.chaturbate.com/events/${TOKEN}/`,
      `https://eventsapi.chaturbate.com/events/no%20pe/${TOKEN}/`,
      'https://eventsapi.chaturbate.com/events/u/short/',
    ];
    for (const input of refusals) {
      const reason = parseEventsUrl(input, BASE);
      expect(typeof reason, input).toBe('string');
      expect(reason).not.toContain(TOKEN);
    }
  });

  it('shows four characters of the token at most', () => {
    expect(tokenHint(TOKEN)).toBe('…9xyz');
  });

  it('keeps nextUrls on the connection', () => {
    const own = `${BASE}u/${TOKEN}/`;
    expect(isOnConnection(`${own}?i=1&timeout=10`, own)).toBe(true);
    expect(isOnConnection(`${BASE}u/${TOKEN}?i=1`, own)).toBe(true);
    expect(isOnConnection(`${BASE}other/${TOKEN}/?i=1`, own)).toBe(false);
    expect(isOnConnection(`https://evil.example/events/u/${TOKEN}/`, own)).toBe(false);
    expect(isOnConnection('not a url', own)).toBe(false);
  });
});

describe('redact', () => {
  it('takes tokens out of URLs and error text, keeping the user name', () => {
    expect(redact(`GET ${BASE}creator/${TOKEN}/?i=5 failed`)).toBe(`GET ${BASE}creator/[redacted]/?i=5 failed`);
    expect(redact(`"/events/creator/${TOKEN}"`)).toBe('"/events/creator/[redacted]"');
    expect(redact(`token ${TOKEN} seen`, TOKEN)).toBe('token [redacted] seen');
  });

  it('describes an error with its causes, redacted', () => {
    const error = new TypeError('fetch failed', { cause: new Error(`connect ECONNREFUSED for ${BASE}u/${TOKEN}/`) });
    const described = describeError(error, TOKEN);
    expect(described).toBe(`TypeError: fetch failed <- connect ECONNREFUSED for ${BASE}u/[redacted]/`);
  });
});

describe('readChaturbateEvent', () => {
  const user = { username: 'fan1', inFanclub: true, hasTokens: true, isMod: false, gender: 'm', recentTips: 'some' };

  it('reads the events it acts on', () => {
    expect(readChaturbateEvent({ method: 'tip', id: 'e1', object: { tip: { tokens: 25, isAnon: false, message: 'hi' }, user, broadcaster: 'c' } })).toEqual({
      kind: 'tip',
      id: 'e1',
      tokens: 25,
      message: 'hi',
      anonymous: false,
      viewer: { name: 'fan1', standing: { isModerator: false, inFanClub: true, hasTokens: true, recentTips: 'some' } },
    });
    expect(readChaturbateEvent({ method: 'chatMessage', id: 'e2', object: { message: { message: 'hello', color: '#494949' }, user } })).toMatchObject({ kind: 'chat', message: 'hello' });
    expect(readChaturbateEvent({ method: 'userLeave', id: 'e3', object: { user } })).toMatchObject({ kind: 'viewer_leave', viewer: { name: 'fan1' } });
    expect(readChaturbateEvent({ method: 'broadcastStop', id: 'e4', object: {} })).toEqual({ kind: 'broadcast_stop', id: 'e4' });
  });

  it('is lenient with fields that are missing or odd, and cleans and caps viewer text', () => {
    expect(readChaturbateEvent({ method: 'tip', id: 'e1', object: { tip: { tokens: 5 } } })).toEqual({ kind: 'tip', id: 'e1', tokens: 5, message: null, anonymous: false, viewer: null });
    const odd = readChaturbateEvent({
      method: 'tip',
      id: 'e2',
      object: { tip: { tokens: 5, isAnon: 'no', message: `\u202e${'x'.repeat(600)}` }, user: { username: 'fan\u200b2', isMod: 'yes', recentTips: 'heaps' } },
    });
    expect(odd).toMatchObject({ anonymous: false, viewer: { name: 'fan2', standing: {} } });
    expect((odd as { message: string }).message).toHaveLength(500);
    expect(readChaturbateEvent({ method: 'chatMessage', id: 'e3', object: { message: { message: '😀'.repeat(1_001) }, user } })).toMatchObject({
      message: '😀'.repeat(1_000),
    });
  });

  it('skips what does not parse, and names what it does not act on (keeping its id, when it has one)', () => {
    expect(readChaturbateEvent({ method: 'tip', id: 'e1', object: { tip: { tokens: -5 } } })).toEqual({ skip: 'invalid', id: 'e1' });
    expect(readChaturbateEvent({ method: 'tip', id: 'e1', object: { tip: { tokens: 2.5 } } })).toEqual({ skip: 'invalid', id: 'e1' });
    expect(readChaturbateEvent({ method: 'chatMessage', id: 'e1', object: { message: { message: '\u200b ' }, user } })).toEqual({ skip: 'invalid', id: 'e1' });
    expect(readChaturbateEvent({ method: 'userEnter', id: 'e1', object: {} })).toEqual({ skip: 'invalid', id: 'e1' });
    expect(readChaturbateEvent({ method: 'tip', object: { tip: { tokens: 5 } } })).toEqual({ skip: 'invalid' });
    expect(readChaturbateEvent('garbage')).toEqual({ skip: 'invalid' });
    expect(readChaturbateEvent({ method: 'privateMessage', id: 'e1', object: {} })).toEqual({ skip: 'privateMessage', id: 'e1' });
    expect(readChaturbateEvent({ method: 'fanclubJoin', id: 'e1', object: {} })).toEqual({ skip: 'fanclubJoin', id: 'e1' });
    expect(readChaturbateEvent({ method: '<img src=x>', id: 'e1', object: {} })).toEqual({ skip: 'other', id: 'e1' });
  });
});
