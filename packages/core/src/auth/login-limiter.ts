import type { Redis } from 'ioredis';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { consumeOrRefuse, createRateLimiter } from '../http/rate-limit.ts';

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
    const make = (keyPrefix: string, points: number) => createRateLimiter({ keyPrefix, points, windowSeconds: limits.windowSeconds, redis, redisPrefix });
    this.#account = make('sc-login-account', limits.perAccount);
    this.#address = make('sc-login-address', limits.perAddress);
  }

  async consumeLogin(email: string, ip: string): Promise<void> {
    await Promise.all([this.#attempt(this.#address, ip), this.#attempt(this.#account, email)]);
  }

  async consumeSignup(ip: string): Promise<void> {
    await this.#attempt(this.#address, ip);
  }

  /** A successful login clears the account's failures (not the address's). */
  async forgiveAccount(email: string): Promise<void> {
    await this.#account.delete(email);
  }

  #attempt(limiter: RateLimiterAbstract, key: string): Promise<void> {
    return consumeOrRefuse(limiter, key, 'too_many_attempts', 'attempts');
  }
}
