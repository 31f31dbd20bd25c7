import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Router from '@koa/router';
import { send } from '@koa/send';
import { installedPackageDir, serveHashedAssets } from './static-files.ts';

/** Where `@streaming-companion/dashboard` put its build (`npm install` builds it); undefined when it is not installed. */
export function dashboardDir(): string | undefined {
  const dir = installedPackageDir('@streaming-companion/dashboard');
  return dir && join(dir, 'dist');
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
  serveHashedAssets(router, dir);
  return router;
}
