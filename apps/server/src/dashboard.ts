import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Router from '@koa/router';
import { send } from '@koa/send';
import { dashboardSecurityHeaders } from './security-headers.ts';
import { installedPackageDir, serveHashedAssets } from './static-files.ts';

/** Where `@streaming-companion/dashboard` put its build (`npm install` builds it); undefined when it is not installed. */
export function dashboardDir(): string | undefined {
  const dir = installedPackageDir('@streaming-companion/dashboard');
  return dir && join(dir, 'dist');
}

export const dashboardBuilt = (dir: string | undefined): dir is string => dir !== undefined && existsSync(join(dir, 'index.html'));

/**
 * The creator dashboard at `/`. It routes by URL fragment, so `/` is its only page; an SSO
 * platform hands the token over in that fragment too, which keeps it out of logs. The page
 * and its assets carry its security headers (a CSP that takes scripts from this server only,
 * never framed).
 */
export function dashboardRoutes(dir: string): Router {
  const router = new Router();
  router.use(dashboardSecurityHeaders());
  router.get('/', async (ctx) => {
    ctx.set('cache-control', 'no-cache');
    await send(ctx, 'index.html', { root: dir });
  });
  serveHashedAssets(router, dir);
  return router;
}
