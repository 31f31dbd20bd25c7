import type { HttpRegistrar } from '@streaming-companion/sdk';
import { Problem } from '@streaming-companion/sdk';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Orm } from '../database/orm.ts';

const Status = z.object({ status: z.literal('ok'), checks: z.record(z.string(), z.literal('ok')).optional() });

/** How long each readiness check may take: a dependency slower than this counts as down. */
export const READY_CHECK_TIMEOUT_MS = 1_000;

/** Whether `check` succeeds within the readiness timeout (a hung dependency must not hang the probe). */
async function answers(check: () => Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), READY_CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([
      check().then(
        () => true,
        () => false,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `/api/health`: the process answers. `/api/ready`: so do the database and, when configured,
 * Redis, each within a second; otherwise 503 naming what is down, at once (the kernel's Redis
 * clients queue commands while reconnecting, so a disconnected one is not even asked).
 */
export function registerHealthRoutes(http: HttpRegistrar, deps: { orm: Orm; redis?: Redis }): void {
  http.get('/api/health', { auth: 'public', tags: ['health'], summary: 'Liveness', response: Status }, () => ({ status: 'ok' as const }));
  http.get('/api/ready', { auth: 'public', tags: ['health'], summary: 'Readiness: database and Redis answer', response: Status }, async () => {
    const { redis } = deps;
    const [database, redisUp] = await Promise.all([
      answers(() => deps.orm.em.fork().getConnection().execute('select 1')),
      redis ? (redis.status === 'ready' ? answers(() => redis.ping()) : false) : undefined,
    ]);
    const checks: Record<string, 'ok' | 'down'> = { database: database ? 'ok' : 'down' };
    if (redisUp !== undefined) checks.redis = redisUp ? 'ok' : 'down';
    const failed = Object.keys(checks).filter((name) => checks[name] === 'down');
    if (failed.length) throw new Problem(503, 'not_ready', `not ready: ${failed.join(', ')} not answering`, { extra: { checks } });
    return { status: 'ok' as const, checks: checks as Record<string, 'ok'> };
  });
}
