import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Router from '@koa/router';
import { send } from '@koa/send';

/** Where `@streaming-companion/dashboard` put its build (`npm install` builds it); undefined when it is not installed. */
export function dashboardDir(): string | undefined {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('@streaming-companion/dashboard/package.json')), 'dist');
  } catch {
    return undefined;
  }
}

export const dashboardBuilt = (dir: string | undefined): dir is string => dir !== undefined && existsSync(join(dir, 'index.html'));

/**
 * The creator dashboard at `/`. It routes by URL fragment, so `/` is its only page; an SSO
 * platform hands the token over in that fragment too, which keeps it out of logs.
 */
export function dashboardRoutes(dir: string): Router {
  const router = new Router();
  router.get('/', async (ctx) => {
    ctx.set('cache-control', 'no-cache');
    ctx.set('referrer-policy', 'no-referrer');
    await send(ctx, 'index.html', { root: dir });
  });
  router.get('/assets/:file', async (ctx) => {
    await send(ctx, ctx.params.file!, { root: join(dir, 'assets'), immutable: true, maxage: 365 * 24 * 3600 * 1000 });
  });
  return router;
}
