import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type Router from '@koa/router';
import { send } from '@koa/send';

/** Where an installed package lives, or undefined when it is not installed. */
export function installedPackageDir(name: string): string | undefined {
  try {
    return dirname(createRequire(import.meta.url).resolve(`${name}/package.json`));
  } catch {
    return undefined;
  }
}

/** `<prefix>/assets/:file` from `dir/assets`: content-hashed names, so a new build is a new URL and they can be cached for good. */
export function serveHashedAssets(router: Router, dir: string): void {
  router.get('/assets/:file', async (ctx) => {
    await send(ctx, ctx.params.file!, { root: join(dir, 'assets'), immutable: true, maxage: 365 * 24 * 3600 * 1000 });
  });
}
