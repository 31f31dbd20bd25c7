import { Problem } from '@streaming-companion/sdk';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, RLWrapperTimeouts, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** How long a limiter waits for Redis before it answers from memory instead. */
export const RATE_LIMIT_REDIS_TIMEOUT_MS = 500;

/**
 * A fixed-window limiter: in Redis when there is one (shared by every instance), in memory otherwise.
 * While Redis is unreachable (not connected, or not answering within half a second) the Redis
 * limiter answers from an in-memory one of the same shape (rate-limiter-flexible's insurance
 * limiter), so requests are limited per instance instead of waiting for Redis to come back.
 */
export function createRateLimiter(options: { keyPrefix: string; points: number; windowSeconds: number; redis?: Redis; redisPrefix?: string }): RateLimiterAbstract {
  const { keyPrefix, points, windowSeconds: duration, redis } = options;
  const memory = new RateLimiterMemory({ keyPrefix, points, duration });
  if (!redis) return memory;
  const shared = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${options.redisPrefix ?? 'sc'}:${keyPrefix}`,
    points,
    duration,
    // The kernel's clients queue commands while reconnecting (they never give up); fail over at once instead.
    rejectIfRedisNotReady: true,
    insuranceLimiter: memory,
  });
  return new RLWrapperTimeouts({ limiter: shared, timeoutMs: RATE_LIMIT_REDIS_TIMEOUT_MS, insuranceLimiter: memory });
}

/** The 429 problem for a refusal, saying when to try again (the HTTP layer turns it into Retry-After). */
export function tooMany(refusal: RateLimiterRes, code: string, what: string): Problem {
  const retryAfterSeconds = Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
  return new Problem(429, code, `too many ${what}; try again in ${retryAfterSeconds} seconds`, { extra: { retryAfterSeconds } });
}

/** Count one attempt for `key`; over the limit, a 429 problem saying when to try again. */
export async function consumeOrRefuse(limiter: RateLimiterAbstract, key: string, code: string, what: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error;
    throw tooMany(error, code, what);
  }
}
