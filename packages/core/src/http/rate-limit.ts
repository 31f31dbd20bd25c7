import { Problem } from '@streaming-companion/sdk';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** A fixed-window limiter: in Redis when there is one (shared by every instance), in memory otherwise. */
export function createRateLimiter(options: { keyPrefix: string; points: number; windowSeconds: number; redis?: Redis; redisPrefix?: string }): RateLimiterAbstract {
  const { keyPrefix, points, windowSeconds: duration, redis } = options;
  return redis
    ? new RateLimiterRedis({ storeClient: redis, keyPrefix: `${options.redisPrefix ?? 'sc'}:${keyPrefix}`, points, duration })
    : new RateLimiterMemory({ keyPrefix, points, duration });
}

/** Count one attempt for `key`; over the limit, a 429 problem saying when to try again. */
export async function consumeOrRefuse(limiter: RateLimiterAbstract, key: string, code: string, what: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error;
    const retryAfterSeconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
    throw new Problem(429, code, `too many ${what}; try again in ${retryAfterSeconds} seconds`, { extra: { retryAfterSeconds } });
  }
}
