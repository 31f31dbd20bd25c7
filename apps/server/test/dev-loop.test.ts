import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { createClient } from '@streaming-companion/client';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, launchChromium } from './support/overlay-harness.ts';
import { ServerProcess } from './support/server-process.ts';

/**
 * `npm run dev` (apps/dashboard/scripts/dev.ts) for real: the embedded server plus the
 * dashboard on Vite's dev server, used in a browser through Vite's proxy, sockets included.
 */
describe('npm run dev', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  }, 60_000);

  it(
    'serves the dashboard from source on Vite (its hot-reload client included), proxying the API and the sockets to the embedded server',
    async () => {
      const [apiPort, dashboardPort] = [await freePort(), await freePort()];
      const dataDir = await mkdtemp(join(tmpdir(), 'sc-dev-loop-'));
      cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
      const dev = new ServerProcess(
        [],
        { PORT: String(apiPort), HOST: '127.0.0.1', DATA_DIR: dataDir, DASHBOARD_PORT: String(dashboardPort), LOG_LEVEL: 'info' },
        'apps/dashboard/scripts/dev.ts',
      );
      cleanup.push(() => dev.stop());
      // Vite colours its banner wherever it thinks colour works (CI=true, say): match the plain text.
      const banner = stripVTControlCharacters(await dev.waitForText((text) => stripVTControlCharacters(text).includes(`:${dashboardPort}/`), "Vite's URL"));
      await dev.waitFor((line) => line.msg === 'listening', 'the server\'s "listening" line');
      const viteUrl = new URL(/https?:\/\/\S+/.exec(banner)![0]).origin;

      const index = await (await fetch(`${viteUrl}/`)).text();
      expect(index, 'the page comes from the dev server, with its hot-reload client').toContain('/@vite/client');
      expect(await (await fetch(`${viteUrl}/api/auth/config`)).json()).toEqual({ mode: 'local' });

      const browser = await launchChromium();
      cleanup.push(() => browser.close());
      const page = await browser.newPage({ locale: 'en-US' });
      await page.goto(`${viteUrl}/#/signup`);
      await page.getByLabel('Display name').fill('Dev Loop');
      await page.getByLabel('Email').fill(`dev-${crypto.randomUUID().slice(0, 8)}@example.test`);
      await page.getByLabel('Password').fill('correct horse battery staple');
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByLabel('Title (optional)').fill('Hacking on the dashboard');
      await page.getByRole('button', { name: 'Start session' }).click();
      await page.getByRole('heading', { name: 'Hacking on the dashboard' }).waitFor();

      const api = createClient({ baseUrl: `http://127.0.0.1:${apiPort}`, token: await page.evaluate(() => localStorage.getItem('streaming-companion.token')) });
      const session = (await api.sessions.active())!;
      await api.tips.record({ sessionId: session.id, amountCents: 1234, tipperName: 'Through The Proxy' });
      await page.getByRole('list', { name: 'Tips feed' }).getByText('Through The Proxy').waitFor();

      expect(await dev.stop('SIGINT'), 'Ctrl-C stops both cleanly').toBe(0);
      expect(dev.errors()).toEqual([]);
    },
    120_000,
  );
});
