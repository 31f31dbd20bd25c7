import type { Redis } from 'ioredis';
import type { PinoLogger } from './logger.ts';

/** While Redis stays unreachable, how often to say so again. */
const REMINDER_MS = 60_000;

/** Node's codes for a connection that could not be made or was lost. */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'ECONNABORTED']);

/** Whether an error from a Redis client (or BullMQ, which passes its clients' errors on) is about the connection. */
export function isRedisConnectionError(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
  return typeof message === 'string' && /connection is closed|connect E[A-Z]+|getaddrinfo|socket closed|read E[A-Z]+/i.test(message);
}

/**
 * Reports a Redis outage through the logger once per connection: a warning when it is lost, a
 * reminder a minute, and an info line when it is back, however many reconnect attempts (each
 * one an 'error' event) happen in between. Without a listener, ioredis prints every one of
 * them to stderr with its stack trace.
 */
export class RedisOutageLog {
  readonly #log: PinoLogger;
  readonly #connection: string;
  #downSince: number | undefined;
  #lastWarned = 0;
  #attempts = 0;

  constructor(log: PinoLogger, connection: string) {
    this.#log = log;
    this.#connection = connection;
  }

  get down(): boolean {
    return this.#downSince !== undefined;
  }

  error(error: unknown): void {
    const now = Date.now();
    const { code, message } = (error ?? {}) as { code?: string; message?: string };
    // Node's AggregateError (one refusal per address tried) has an empty message; the code says it all.
    const reason = message || code || String(error);
    if (this.#downSince === undefined) {
      this.#downSince = this.#lastWarned = now;
      this.#attempts = 1;
      this.#log.warn({ redis: this.#connection, code, reason }, 'redis unreachable; retrying in the background');
      return;
    }
    this.#attempts++;
    if (now - this.#lastWarned < REMINDER_MS) return;
    this.#lastWarned = now;
    this.#log.warn({ redis: this.#connection, code, reason, downForSeconds: Math.round((now - this.#downSince) / 1000), attempts: this.#attempts }, 'redis still unreachable');
  }

  ready(): void {
    if (this.#downSince === undefined) return;
    this.#log.info({ redis: this.#connection, downForSeconds: Math.round((Date.now() - this.#downSince) / 1000), attempts: this.#attempts }, 'redis connection restored');
    this.#downSince = undefined;
  }

  /** Log this client's connection errors (and recovery) through this log. */
  watch(client: Redis): Redis {
    client.on('error', (error) => this.error(error));
    client.on('ready', () => this.ready());
    return client;
  }
}
