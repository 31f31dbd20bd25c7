import type { HttpRegistrar } from '@streaming-companion/sdk';
import { Problem } from '@streaming-companion/sdk';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Orm } from '../database/orm.ts';

const Status = z.object({ status: z.literal('ok'), checks: z.record(z.string(), z.literal('ok')).optional() });

/** `/api/health`: the process answers. `/api/ready`: so do the database and, when configured, Redis. */
export function registerHealthRoutes(http: HttpRegistrar, deps: { orm: Orm; redis?: Redis }): void {
  http.get('/api/health', { auth: 'public', tags: ['health'], summary: 'Liveness', response: Status }, () => ({ status: 'ok' as const }));
  http.get('/api/ready', { auth: 'public', tags: ['health'], summary: 'Readiness: database and Redis answer', response: Status }, async () => {
    const failed: string[] = [];
    await deps.orm.em
      .fork()
      .getConnection()
      .execute('select 1')
      .catch(() => failed.push('database'));
    if (deps.redis) await deps.redis.ping().catch(() => failed.push('redis'));
    if (failed.length) throw new Problem(503, 'not_ready', `not ready: ${failed.join(', ')} not answering`);
    return { status: 'ok' as const, checks: { database: 'ok' as const, ...(deps.redis ? { redis: 'ok' as const } : {}) } };
  });
}
