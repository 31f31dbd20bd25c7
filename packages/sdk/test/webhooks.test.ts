import { createWebhookSecret, signWebhook, verifyWebhook, WebhookVerificationError, type WebhookVerificationErrorCode } from '@streaming-companion/sdk/webhooks';
import { describe, expect, it } from 'vitest';

const secret = createWebhookSecret();
const id = 'f5f0b6c6-3f7c-4c59-9b43-1c2a3d4e5f60';
const now = new Date('2026-04-15T12:00:00Z');
const timestamp = Math.floor(now.getTime() / 1_000);
const body = JSON.stringify({ type: 'streaming.tip.received', id, timestamp: now.toISOString(), data: { amountCents: 500 } });
const headers = (signature = signWebhook({ secret, id, timestamp, body }), at = timestamp) => ({ 'webhook-id': id, 'webhook-timestamp': String(at), 'webhook-signature': signature });

function refusal(run: () => unknown): WebhookVerificationErrorCode {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookVerificationError);
    return (error as WebhookVerificationError).code;
  }
  throw new Error('verified what it should not have');
}

describe('signWebhook', () => {
  it('signs as the Standard Webhooks reference does (its published test vector)', () => {
    const signature = signWebhook({ secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', id: 'msg_p5jXN8AQM9LWM0D4loKWxJek', timestamp: 1614265330, body: '{"test": 2432232314}' });
    expect(signature).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('makes secrets of 32 random bytes, each new', () => {
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(createWebhookSecret()).not.toBe(secret);
  });
});

describe('verifyWebhook', () => {
  it('answers the parsed event, from Node-style headers, fetch Headers or the three values, body as text or bytes', () => {
    const event = { type: 'streaming.tip.received', id, timestamp: now.toISOString(), data: { amountCents: 500 } };
    expect(verifyWebhook({ secret, headers: headers(), body, now })).toEqual(event);
    expect(verifyWebhook({ secret, headers: new Headers(headers()), body: new TextEncoder().encode(body), now })).toEqual(event);
    expect(verifyWebhook({ secret, headers: { id, timestamp: String(timestamp), signature: signWebhook({ secret, id, timestamp, body }) }, body, now })).toEqual(event);
    expect(verifyWebhook({ secret, headers: { 'Webhook-Id': id, 'Webhook-Timestamp': String(timestamp), 'Webhook-Signature': signWebhook({ secret, id, timestamp, body }) }, body, now })).toEqual(event);
  });

  it('takes any one of several signatures: a rotation signs with the new secret and the old', () => {
    const old = createWebhookSecret();
    const both = `${signWebhook({ secret, id, timestamp, body })} ${signWebhook({ secret: old, id, timestamp, body })}`;
    expect(verifyWebhook({ secret: old, headers: headers(both), body, now }).id).toBe(id);
    expect(verifyWebhook({ secret, headers: headers(both), body, now }).id).toBe(id);
    expect(verifyWebhook({ secret, headers: headers(`v2,abc ${both}`), body, now }).id).toBe(id);
  });

  it('refuses a changed body, id or timestamp, another secret, and a signature that is not v1', () => {
    expect(refusal(() => verifyWebhook({ secret, headers: headers(), body: body.replace('500', '900'), now }))).toBe('bad_signature');
    expect(refusal(() => verifyWebhook({ secret, headers: { ...headers(), 'webhook-id': 'other' }, body, now }))).toBe('bad_signature');
    expect(refusal(() => verifyWebhook({ secret, headers: headers(undefined, timestamp - 1), body, now }))).toBe('bad_signature');
    expect(refusal(() => verifyWebhook({ secret: createWebhookSecret(), headers: headers(), body, now }))).toBe('bad_signature');
    const v1 = signWebhook({ secret, id, timestamp, body });
    expect(refusal(() => verifyWebhook({ secret, headers: headers(v1.replace('v1,', 'v2,')), body, now }))).toBe('bad_signature');
    expect(refusal(() => verifyWebhook({ secret, headers: headers('v1,'), body, now }))).toBe('bad_signature');
  });

  it('refuses a timestamp outside the tolerance either way, or not a number', () => {
    const at = (offsetSeconds: number) => {
      const sent = timestamp + offsetSeconds;
      return () => verifyWebhook({ secret, headers: headers(signWebhook({ secret, id, timestamp: sent, body }), sent), body, now });
    };
    expect(at(-300)().id).toBe(id);
    expect(at(300)().id).toBe(id);
    expect(refusal(at(-301))).toBe('timestamp_too_old');
    expect(refusal(at(301))).toBe('timestamp_too_new');
    expect(verifyWebhook({ secret, headers: headers(signWebhook({ secret, id, timestamp: timestamp - 3_000, body }), timestamp - 3_000), body, now, toleranceSeconds: 3_600 }).id).toBe(id);
    expect(refusal(() => verifyWebhook({ secret, headers: { ...headers(), 'webhook-timestamp': '1.5e9' }, body, now }))).toBe('bad_timestamp');
  });

  it('refuses a missing header, a malformed secret, and a body that is not a webhook event', () => {
    const { 'webhook-signature': _, ...unsigned } = headers();
    expect(refusal(() => verifyWebhook({ secret, headers: unsigned, body, now }))).toBe('missing_header');
    for (const bad of ['', 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'whsec_', 'whsec_c2hvcnQ=', 'whsec_not*base64*at*all*but*long*enough']) {
      expect(refusal(() => verifyWebhook({ secret: bad, headers: headers(), body, now })), bad).toBe('malformed_secret');
    }
    const notAnEvent = '{"test": 2432232314}';
    const signed = signWebhook({ secret, id, timestamp, body: notAnEvent });
    expect(refusal(() => verifyWebhook({ secret, headers: headers(signed), body: notAnEvent, now }))).toBe('bad_body');
  });
});
