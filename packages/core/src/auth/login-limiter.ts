import { Problem } from '@streaming-companion/sdk';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

export interface LoginLimits {
  /** Attempts per account per window. */
  perAccount: number;
  /** Attempts per address per window (login and signup together). */
  perAddress: number;
  windowSeconds: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perAccount: 5, perAddress: 30, windowSeconds: 15 * 60 };

/**
 * Slows password guessing: per account (so a botnet cannot spread guesses over addresses)
 * and per address (so one client cannot spray accounts). Shared through Redis when there is one.
 */
export class LoginLimiter {
  readonly #account: RateLimiterAbstract;
  readonly #address: RateLimiterAbstract;

  constructor(limits: LoginLimits, redis?: Redis, redisPrefix = 'sc') {
    const make = (keyPrefix: string, points: number) =>
      redis
        ? new RateLimiterRedis({ storeClient: redis, keyPrefix: `${redisPrefix}:${keyPrefix}`, points, duration: limits.windowSeconds })
        : new RateLimiterMemory({ keyPrefix, points, duration: limits.windowSeconds });
    this.#account = make('sc-login-account', limits.perAccount);
    this.#address = make('sc-login-address', limits.perAddress);
  }

  async consumeLogin(email: string, ip: string): Promise<void> {
    await Promise.all([limit(this.#address.consume(ip)), limit(this.#account.consume(email))]);
  }

  async consumeSignup(ip: string): Promise<void> {
    await limit(this.#address.consume(ip));
  }

  /** A successful login clears the account's failures (not the address's). */
  async forgiveAccount(email: string): Promise<void> {
    await this.#account.delete(email);
  }
}

async function limit(attempt: Promise<RateLimiterRes>): Promise<void> {
  try {
    await attempt;
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error;
    const retryAfterSeconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
    throw new Problem(429, 'too_many_attempts', `too many attempts; try again in ${retryAfterSeconds} seconds`, {
      extra: { retryAfterSeconds },
    });
  }
}
