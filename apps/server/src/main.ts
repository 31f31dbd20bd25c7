import { parseArgs } from 'node:util';
import { BootError, createLogger, loadKernel, type Role } from '@streaming-companion/core';
import { z } from 'zod';
import { dashboardBuilt, dashboardDir, dashboardRoutes } from './dashboard.ts';
import { overlayPageRoutes, overlayPagesBuilt, overlayPagesDir } from './overlay-pages.ts';
import { firstPartyPlugins } from './plugins.ts';

const { values: args } = parseArgs({
  options: {
    role: { type: 'string', default: 'all' },
    'migrate-only': { type: 'boolean', default: false },
  },
});

// Until the kernel has validated LOG_LEVEL, boot problems are reported at info.
const log = createLogger('info');
const fail = (message: string): never => {
  log.fatal(message);
  process.exit(1);
};

const role = z.enum(['api', 'worker', 'all']).safeParse(args.role);
if (!role.success) fail(`--role must be api, worker or all (got "${args.role}")`);

let pluginConfig: Record<string, unknown> = {};
try {
  pluginConfig = process.env.PLUGIN_CONFIG ? z.record(z.string(), z.unknown()).parse(JSON.parse(process.env.PLUGIN_CONFIG)) : {};
} catch {
  fail('PLUGIN_CONFIG: must be a JSON object keyed by plugin id, e.g. {"tips":{"maxAmountCents":100000}}');
}

try {
  const pagesDir = overlayPagesDir();
  const pagesReady = overlayPagesBuilt(pagesDir);
  const dashboard = dashboardDir();
  const dashboardReady = dashboardBuilt(dashboard);
  const routers = [...(pagesReady ? [overlayPageRoutes(pagesDir)] : []), ...(dashboardReady ? [dashboardRoutes(dashboard)] : [])];
  const kernel = await loadKernel({ plugins: firstPartyPlugins, pluginConfig, role: role.data as Role, routers });
  if (!pagesReady) kernel.log.warn({ pagesDir }, 'overlay pages are not built, so /overlay/* answers 404; run `npm run build` (npm install does it)');
  if (!dashboardReady) kernel.log.warn({ dashboard }, 'the dashboard is not built, so / answers 404; run `npm run build` (npm install does it)');
  if (args['migrate-only']) {
    const applied = await kernel.migrate();
    kernel.log.info({ applied }, applied.length ? 'migrations applied' : 'database is up to date');
    process.exit(0);
  }
  const started = kernel.start();
  // Listening for signals before the boot ends: until a listener is added, SIGTERM kills the
  // process outright, and a supervisor may send it as soon as it reads the "listening" line.
  let signals = 0;
  const shutdown = (signal: string) => {
    if (++signals > 1) process.exit(1); // a second Ctrl-C means now
    kernel.log.info({ signal }, 'shutting down');
    // A boot under way is let finish (or fail) first: stopping services while they start would race them.
    started
      .catch(() => {})
      .then(() => kernel.stop())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          kernel.log.error({ err: error }, 'unclean shutdown');
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  await started;
} catch (error) {
  if (error instanceof BootError) fail(error.message);
  log.fatal({ err: error }, 'failed to start');
  process.exit(1);
}
