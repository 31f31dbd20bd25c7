import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Router from '@koa/router';
import { send } from '@koa/send';
import { OVERLAY_PAGES } from '@streaming-companion/client';
import { overlaySecurityHeaders } from './security-headers.ts';
import { installedPackageDir, serveHashedAssets } from './static-files.ts';

/** Where `@streaming-companion/overlay-widgets` put its built pages (`npm install` builds them); undefined when it is not installed. */
export function overlayPagesDir(): string | undefined {
  const dir = installedPackageDir('@streaming-companion/overlay-widgets');
  return dir && join(dir, 'dist', 'pages');
}

/**
 * Serves `/overlay/<page>` and its hashed assets, with the overlay pages' security headers.
 * The overlay key travels in the URL fragment, which browsers never send, so it stays out of
 * request logs and referrers.
 */
export function overlayPageRoutes(dir: string): Router {
  const router = new Router({ prefix: '/overlay' });
  const pages = new Set<string>(OVERLAY_PAGES);
  router.use(overlaySecurityHeaders());
  serveHashedAssets(router, dir);
  router.get('/:page', async (ctx) => {
    if (!pages.has(ctx.params.page!)) return;
    ctx.set('cache-control', 'no-cache');
    await send(ctx, `${ctx.params.page}.html`, { root: dir });
  });
  return router;
}

export const overlayPagesBuilt = (dir: string | undefined): dir is string => dir !== undefined && existsSync(join(dir, 'alerts.html'));
