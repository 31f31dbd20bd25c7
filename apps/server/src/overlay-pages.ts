import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Router from '@koa/router';
import { send } from '@koa/send';
import { OVERLAY_PAGES } from '@streaming-companion/sdk/client';


/** Where `@streaming-companion/overlay-widgets` put its built pages (`npm install` builds them); undefined when it is not installed. */
export function overlayPagesDir(): string | undefined {
  try {
    const packageJson = createRequire(import.meta.url).resolve('@streaming-companion/overlay-widgets/package.json');
    return join(dirname(packageJson), 'dist', 'pages');
  } catch {
    return undefined;
  }
}

/**
 * Serves `/overlay/<page>` and its hashed assets. The overlay key travels in the URL
 * fragment, which browsers never send, so it stays out of request logs and referrers.
 */
export function overlayPageRoutes(dir: string): Router {
  const router = new Router({ prefix: '/overlay' });
  const pages = new Set<string>(OVERLAY_PAGES);
  router.get('/assets/:file', async (ctx) => {
    // Content-hashed names: a new build is a new URL, so they can be cached for good.
    await send(ctx, ctx.params.file!, { root: join(dir, 'assets'), immutable: true, maxage: 365 * 24 * 3600 * 1000 });
  });
  router.get('/:page', async (ctx) => {
    if (!pages.has(ctx.params.page!)) return;
    ctx.set('referrer-policy', 'no-referrer');
    ctx.set('cache-control', 'no-cache');
    await send(ctx, `${ctx.params.page}.html`, { root: dir });
  });
  return router;
}

export const overlayPagesBuilt = (dir: string | undefined): dir is string => dir !== undefined && existsSync(join(dir, 'alerts.html'));
