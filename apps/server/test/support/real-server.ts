import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { freePort, launchChromium, startServer } from './overlay-harness.ts';
import { repoRoot, type ServerProcess } from './server-process.ts';

export interface RealServerAndBrowser {
  port: number;
  dataDir: string;
  server: ServerProcess;
  /** The server's origin. */
  base: string;
  browser: Browser;
  /** Start the server again on the same port and data dir (after `server.stop()`). */
  restart(): Promise<void>;
  /** A browser context closed after the current test. */
  newContext(options: BrowserContextOptions): Promise<BrowserContext>;
}

/**
 * A test file's real server (embedded, on a data dir of its own) and Debian's chromium,
 * started before its tests. Afterwards the server must stop cleanly and have logged no error.
 * `requires` names built files (relative to the repository root) the tests need; `env`, asked
 * for once before the server starts, adds to its environment (a `PLUGIN_CONFIG` naming a fake
 * platform the test has just started, say).
 */
export function useServerAndBrowser(options: {
  dataDirPrefix: string;
  requires: Array<{ file: string; build: string }>;
  hookMs: number;
  env?: () => Promise<Record<string, string>>;
}): RealServerAndBrowser {
  const contexts: BrowserContext[] = [];
  let env: Record<string, string> = {};
  const live = {
    async restart() {
      ({ server: live.server, base: live.base } = await startServer(live.port, live.dataDir, env));
    },
    async newContext(contextOptions: BrowserContextOptions) {
      const context = await live.browser.newContext(contextOptions);
      contexts.push(context);
      return context;
    },
  } as RealServerAndBrowser;

  beforeAll(async () => {
    for (const { file, build } of options.requires) {
      if (!existsSync(join(repoRoot, file))) throw new Error(`${file} is not built: ${build}`);
    }
    env = (await options.env?.()) ?? {};
    live.port = await freePort();
    live.dataDir = await mkdtemp(join(tmpdir(), options.dataDirPrefix));
    [{ server: live.server, base: live.base }, live.browser] = await Promise.all([startServer(live.port, live.dataDir, env), launchChromium()]);
  }, options.hookMs);

  afterAll(async () => {
    await live.browser?.close();
    const code = await live.server?.stop();
    if (live.dataDir) await rm(live.dataDir, { recursive: true, force: true });
    expect(code).toBe(0);
    expect(live.server?.errors() ?? [], 'error lines in the server log').toEqual([]);
  }, options.hookMs);

  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
  });

  return live;
}
