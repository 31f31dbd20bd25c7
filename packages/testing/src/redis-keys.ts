import { Redis } from 'ioredis';

/**
 * Delete every key under `prefix:` (a kernel's BullMQ queues, socket-adapter streams and
 * rate-limit counters all live under its `REDIS_PREFIX`), and nothing else. A Redis that does
 * not answer is left as it is: the test that stopped it has more to say than its cleanup.
 */
export async function deleteRedisKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } catch {
    // Unreachable: nothing to clean that could be cleaned.
  } finally {
    redis.disconnect();
  }
}
