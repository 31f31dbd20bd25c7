/**
 * Signing and verifying webhooks the Standard Webhooks way (https://www.standardwebhooks.com),
 * which Svix-style receivers already speak: a delivery carries `webhook-id`, `webhook-timestamp`
 * (Unix seconds) and `webhook-signature` (`v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`,
 * several separated by spaces while a secret is being rotated), under a secret `whsec_<base64>`.
 *
 * Imported as `@streaming-companion/sdk/webhooks`: no zod, no ORM, only `node:crypto`, so a
 * receiver installs nothing heavy.
 *
 * @module @streaming-companion/sdk/webhooks
 */

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';
const SIGNATURE_VERSION = 'v1';

/** Why a delivery was not accepted. */
export type WebhookVerificationErrorCode = 'malformed_secret' | 'missing_header' | 'bad_timestamp' | 'timestamp_too_old' | 'timestamp_too_new' | 'bad_signature' | 'bad_body';

/** What `verifyWebhook` throws; `code` says why the delivery was refused. */
export class WebhookVerificationError extends Error {
  readonly code: WebhookVerificationErrorCode;
  constructor(code: WebhookVerificationErrorCode, message: string) {
    super(message);
    this.name = 'WebhookVerificationError';
    this.code = code;
  }
}

/** What a Streaming Companion delivery's body is. */
export interface WebhookEvent<T = unknown> {
  /** e.g. `streaming.tip.received`, or `webhook.test`. */
  type: string;
  /** The event's id, the same on every retry and redelivery: drop one you have handled. */
  id: string;
  /** When the event happened (ISO 8601). */
  timestamp: string;
  data: T;
}

/** The three signature headers, by their values. */
export interface WebhookSignatureHeaders {
  id: string;
  /** Unix seconds, as sent. */
  timestamp: string;
  /** One or more `v1,<base64>`, separated by spaces. */
  signature: string;
}

/** Request headers as Node (`req.headers`), fetch (`Headers`) or a plain object give them. */
export type HeaderSource = Headers | Record<string, string | string[] | undefined>;

/** What `verifyWebhook` checks a delivery with. */
export interface VerifyWebhookOptions {
  /** The endpoint's signing secret, `whsec_<base64>`. */
  secret: string;
  /** The request's headers (`webhook-id`, `webhook-timestamp`, `webhook-signature`), or those three values. */
  headers: HeaderSource | WebhookSignatureHeaders;
  /** The raw body, exactly as received: parsing and re-serialising JSON changes the bytes signed. */
  body: string | Uint8Array;
  /** How far the timestamp may be from now either way, against replays. Default 300 (5 minutes). */
  toleranceSeconds?: number;
  /** Now, for tests. */
  now?: Date | number;
}

/** What `signWebhook` signs: a delivery's id, timestamp and body, under a secret. */
export interface SignWebhookOptions {
  secret: string;
  id: string;
  /** Unix seconds, or a date. */
  timestamp: number | Date;
  body: string | Uint8Array;
}

/** A new signing secret: `whsec_` and 32 random bytes in base64. */
export function createWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}

/**
 * The `webhook-signature` value for one secret: `v1,<base64>`. Join several with spaces to sign with each.
 *
 * @param options - The secret, and the delivery's id, timestamp and body.
 */
export function signWebhook({ secret, id, timestamp, body }: SignWebhookOptions): string {
  return `${SIGNATURE_VERSION},${hmac(secretKey(secret), id, unixSeconds(timestamp), body).toString('base64')}`;
}

/**
 * Check a delivery and answer its parsed body; throws a `WebhookVerificationError` (with a
 * `code`) when the secret is malformed, a header is missing, the timestamp is outside the
 * tolerance, no signature matches, or the body is not a webhook event.
 *
 * ```ts
 * const event = verifyWebhook({ secret: process.env.WEBHOOK_SECRET!, headers: req.headers, body: rawBody });
 * ```
 *
 * @param options - The endpoint's secret, and the delivery's headers and raw body.
 */
export function verifyWebhook<T = unknown>({ secret, headers, body, toleranceSeconds = 300, now = Date.now() }: VerifyWebhookOptions): WebhookEvent<T> {
  const key = secretKey(secret);
  const { id, timestamp, signature } = signatureHeaders(headers);
  if (!/^\d{1,15}$/.test(timestamp)) throw new WebhookVerificationError('bad_timestamp', 'webhook-timestamp must be Unix seconds');
  const sentAt = Number(timestamp);
  const nowSeconds = Math.floor(unixMillis(now) / 1_000);
  if (sentAt < nowSeconds - toleranceSeconds) throw new WebhookVerificationError('timestamp_too_old', `webhook-timestamp is more than ${toleranceSeconds} s old`);
  if (sentAt > nowSeconds + toleranceSeconds) throw new WebhookVerificationError('timestamp_too_new', `webhook-timestamp is more than ${toleranceSeconds} s ahead`);
  const expected = hmac(key, id, sentAt, body);
  const matches = signature.split(' ').some((candidate) => {
    const [version, value] = candidate.split(',', 2);
    if (version !== SIGNATURE_VERSION || !value) return false;
    const given = Buffer.from(value, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!matches) throw new WebhookVerificationError('bad_signature', 'no webhook-signature matches the body and the secret');
  let event: unknown;
  try {
    event = JSON.parse(typeof body === 'string' ? body : Buffer.from(body).toString('utf8'));
  } catch {
    throw new WebhookVerificationError('bad_body', 'the body is not JSON');
  }
  if (!isWebhookEvent(event)) throw new WebhookVerificationError('bad_body', 'the body is not a webhook event ({ type, id, timestamp, data })');
  return event as WebhookEvent<T>;
}

function secretKey(secret: string): Buffer {
  if (typeof secret !== 'string' || !secret.startsWith(SECRET_PREFIX)) throw new WebhookVerificationError('malformed_secret', `the secret must start with ${SECRET_PREFIX}`);
  const encoded = secret.slice(SECRET_PREFIX.length);
  const key = Buffer.from(encoded, 'base64');
  // Node's decoder skips what is not base64; a secret it had to skip is not the one issued.
  if (key.length < 16 || key.toString('base64').replace(/=+$/, '') !== encoded.replace(/=+$/, '')) {
    throw new WebhookVerificationError('malformed_secret', `the secret must be ${SECRET_PREFIX} and at least 16 bytes in base64`);
  }
  return key;
}

function hmac(key: Buffer, id: string, timestamp: number, body: string | Uint8Array): Buffer {
  return createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest();
}

function signatureHeaders(headers: HeaderSource | WebhookSignatureHeaders): WebhookSignatureHeaders {
  const given =
    'signature' in headers && typeof headers.signature === 'string'
      ? (headers as WebhookSignatureHeaders)
      : { id: header(headers as HeaderSource, 'webhook-id'), timestamp: header(headers as HeaderSource, 'webhook-timestamp'), signature: header(headers as HeaderSource, 'webhook-signature') };
  for (const [name, value] of Object.entries(given)) {
    if (!value) throw new WebhookVerificationError('missing_header', `webhook-${name} is missing`);
  }
  return given;
}

function header(headers: HeaderSource, name: string): string {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? '';
  const record = headers as Record<string, string | string[] | undefined>;
  const value = record[name] ?? Object.entries(record).find(([key]) => key.toLowerCase() === name)?.[1];
  return (Array.isArray(value) ? value.join(' ') : value) ?? '';
}

function isWebhookEvent(value: unknown): value is WebhookEvent {
  const event = value as Partial<WebhookEvent> | null;
  return typeof event === 'object' && event !== null && typeof event.type === 'string' && typeof event.id === 'string' && typeof event.timestamp === 'string' && 'data' in event;
}

const unixMillis = (at: Date | number) => (at instanceof Date ? at.getTime() : at);
const unixSeconds = (at: Date | number) => (at instanceof Date ? Math.floor(at.getTime() / 1_000) : at);
