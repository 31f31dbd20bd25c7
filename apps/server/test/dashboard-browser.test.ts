import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestIssuer } from '@streaming-companion/testing';
import { createClient } from '@streaming-companion/client';
import type { Locator, Page } from 'playwright-core';
import { io } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { cb, FakeEventsApi } from '../../../packages/plugin-chaturbate/test/support/fake-events-api.ts';
import { freePort, repoRoot, startServer, TcpProxy } from './support/overlay-harness.ts';
import { failOnCspViolations } from './support/csp-violations.ts';
import { dashboardPages, fieldErrorOf, goTo, recordManualTip, signUp, startSession, TOKEN_KEY, uniqueEmail, waitForStat } from './support/dashboard-page.ts';
import { useServerAndBrowser } from './support/real-server.ts';

/**
 * The creator dashboard in a real browser (Debian's chromium through playwright-core)
 * against the real server on embedded PGlite. Elements are found by role and label, as a
 * person finds them; every wait ends on a DOM state, never on a timer.
 */

const HOOK_MS = 120_000;
const TEST_MS = 90_000;
const SCREENSHOT = join(repoRoot, 'apps/dashboard/docs/live-view.png');

/** A stand-in for Chaturbate's Events API (the connector's own test double), which the server's chaturbate plugin follows. */
let eventsApi: FakeEventsApi | undefined;
// Registered before the server's hooks, so it closes after the server has stopped.
afterAll(() => eventsApi?.close());

const live = useServerAndBrowser({
  dataDirPrefix: 'sc-dashboard-browser-',
  requires: [{ file: 'apps/dashboard/dist/index.html', build: 'npm run build -w @streaming-companion/dashboard' }],
  hookMs: HOOK_MS,
  env: async () => {
    eventsApi = await FakeEventsApi.start();
    const chaturbate = { baseUrl: eventsApi.baseUrl, pollTimeoutSeconds: 1, backoffBaseMs: 50, backoffMaxMs: 500 };
    return { PLUGIN_CONFIG: JSON.stringify({ chaturbate }) };
  },
});

const csp = failOnCspViolations();

const { openDashboard, clientOf } = dashboardPages(live, csp);

/** Presses Tab until the focused control (inside shadow roots too) is the one labelled `label`. */
async function tabTo(page: Page, label: string): Promise<void> {
  for (let presses = 0; presses < 40; presses++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      let element = document.activeElement;
      while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
      const control = element as HTMLInputElement | null;
      return control?.labels?.[0]?.textContent?.trim() ?? control?.getAttribute('aria-label') ?? control?.textContent?.trim() ?? '';
    });
    if (focused === label) return;
  }
  throw new Error(`Tab never reached "${label}"`);
}

/** The goal titles as listed, in order. */
const goalTitles = (page: Page) => page.getByRole('list', { name: 'Goals' }).getByRole('listitem').locator('strong').allTextContents();

/** The menu item titles as listed, in order. */
const menuTitles = (page: Page) => page.getByRole('list', { name: 'Menu items' }).getByRole('listitem').locator('strong').allTextContents();

/** What a figure shows (the `dd` of the `dt` named `term`) in a `dl` inside `scope`. */
const figureOf = (scope: Locator, term: string) => scope.locator('dl > div').filter({ has: scope.page().locator('dt', { hasText: new RegExp(`^${term}$`) }) }).locator('dd');

/** A chart's labels and dataset values, read from its chart.js instance once `<sc-chart label=…>` has drawn one. */
async function chartData(page: Page, label: string): Promise<{ labels: string[]; values: Array<Array<number | null>>; color: string }> {
  const chart = page.locator(`sc-chart[label="${label}"]`);
  await expect.poll(() => chart.evaluate((element) => Boolean((element as unknown as { chart?: object }).chart))).toBe(true);
  return chart.evaluate((element) => {
    const { data } = (element as unknown as { chart: { data: { labels: string[]; datasets: Array<{ data: Array<number | null>; backgroundColor: string }> } } }).chart;
    return { labels: data.labels, values: data.datasets.map((dataset) => dataset.data), color: data.datasets[0]!.backgroundColor };
  });
}

/** The colour on the chart's canvas in the middle of the first dataset's bar `index` as `[r, g, b]`, or null when nothing is drawn there. */
function barPixel(page: Page, label: string, index: number): Promise<number[] | null> {
  return page.locator(`sc-chart[label="${label}"]`).evaluate((element, i) => {
    type Bar = { getProps(names: string[], final: boolean): { x: number; y: number; base: number } };
    const chart = (element as unknown as {
      chart: { ctx: CanvasRenderingContext2D; currentDevicePixelRatio: number; options: { indexAxis?: string }; getDatasetMeta(n: number): { data: Bar[] } };
    }).chart;
    const { x, y, base } = chart.getDatasetMeta(0).data[i]!.getProps(['x', 'y', 'base'], true);
    const [px, py] = chart.options.indexAxis === 'y' ? [(x + base) / 2, y] : [x, (y + base) / 2];
    const ratio = chart.currentDevicePixelRatio;
    const [r, g, b, a] = chart.ctx.getImageData(Math.round(px * ratio), Math.round(py * ratio), 1, 1).data;
    return a === 0 ? null : [r!, g!, b!];
  }, index);
}

/** Whether a bar's pixel is its dataset's `#rrggbb`, give or take the rounding of the canvas's colour conversion. */
async function drawnIn(pixel: Promise<number[] | null>, hex: string): Promise<boolean> {
  const drawn = await pixel;
  return drawn !== null && [1, 3, 5].every((at, i) => Math.abs(parseInt(hex.slice(at, at + 2), 16) - drawn[i]!) <= 3);
}

describe('creator dashboard in a real browser', () => {
  it(
    'runs a whole session: sign up, start, manual tip, live totals and feed, a goal that fills, notes, end, history',
    async () => {
      const page = await openDashboard();
      await signUp(page, 'Dash Creator');
      await startSession(page, 'Friday night stream');
      await waitForStat(page, 'Total tips', '$0.00');

      // A manual tip: totals and feed update without a reload; viewer text stays text.
      const xss = '<img src=x onerror=alert(1)>';
      await recordManualTip(page, '12.50', xss, 'Great show!');
      await waitForStat(page, 'Total tips', '$12.50');
      await waitForStat(page, 'Tips', '1');
      const feed = page.getByRole('list', { name: 'Tips feed' });
      await feed.getByRole('listitem').filter({ hasText: xss }).filter({ hasText: 'Great show!' }).waitFor();
      expect(await feed.locator('img').count(), 'a tipper name is never markup').toBe(0);

      // A tip from elsewhere (a connector on the API) arrives over the socket, no reload.
      const api = await clientOf(page);
      const session = (await api.sessions.active())!;
      await api.tips.record({ sessionId: session.id, amountCents: 500, tipperName: 'Connector Fan' });
      await waitForStat(page, 'Total tips', '$17.50');
      await feed.getByRole('listitem').first().filter({ hasText: 'Connector Fan' }).waitFor();

      // A goal, filled by the next tip.
      const addGoal = page.getByRole('form', { name: 'Add a goal' });
      await addGoal.getByLabel('Title').fill('New outfit');
      await addGoal.getByLabel('Target ($)').fill('20');
      await addGoal.getByRole('button', { name: 'Add goal' }).click();
      const bar = page.getByRole('progressbar', { name: 'New outfit progress' });
      await bar.waitFor();
      expect(await bar.getAttribute('aria-valuenow')).toBe('0');
      await recordManualTip(page, '5');
      await page.locator('[role=progressbar][aria-valuenow="25"]').waitFor();
      await page.getByText('$5.00 of $20.00').waitFor();
      await waitForStat(page, 'Total tips', '$22.50');

      const notes = page.getByRole('region', { name: 'Notes' });
      await notes.getByLabel('Note').fill('Raffle at 10pm');
      await notes.getByRole('button', { name: 'Add note' }).click();
      await page.getByRole('list', { name: 'Session notes' }).getByText('Raffle at 10pm').waitFor();

      if (!existsSync(SCREENSHOT) || process.env.UPDATE_SCREENSHOTS) {
        await mkdir(join(repoRoot, 'apps/dashboard/docs'), { recursive: true });
        await writeFile(SCREENSHOT, await page.screenshot({ fullPage: true }));
      }

      await page.getByRole('button', { name: 'End session' }).click();
      await page.getByRole('button', { name: 'Yes, end session' }).click();
      await page.getByRole('status', { name: 'Last session' }).filter({ hasText: '$22.50 from 3 tips' }).waitFor();

      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'History' }).click();
      const row = page.getByRole('row').filter({ hasText: 'Friday night stream' });
      await row.waitFor();
      expect(await row.getByRole('cell').last().textContent()).toBe('$22.50');
      await row.getByRole('link', { name: 'Friday night stream' }).click();
      await page.getByRole('list', { name: 'Notes of this session' }).getByText('Raffle at 10pm').waitFor();
      expect(await page.getByRole('list', { name: 'Tips of this session' }).getByRole('listitem').count()).toBe(3);
    },
    TEST_MS,
  );

  it(
    'follows a session started and ended elsewhere (another device, or an integration on the API) without a reload',
    async () => {
      const page = await openDashboard();
      await signUp(page, 'Two Devices');
      const api = await clientOf(page);
      const session = await api.sessions.start({ platform: 'stripchat', title: 'Started on my phone' });
      await page.getByRole('heading', { name: 'Started on my phone' }).waitFor();
      await api.tips.record({ sessionId: session.id, amountCents: 250, tipperName: 'Early Bird' });
      await waitForStat(page, 'Total tips', '$2.50');
      await api.sessions.end(session.id);
      await page.getByRole('status', { name: 'Last session' }).filter({ hasText: '$2.50 from 1 tip' }).waitFor();
      await page.getByRole('button', { name: 'Start session' }).waitFor();
    },
    TEST_MS,
  );

  it(
    'edits, reorders and deletes goals, and marks one completed when tips reach it',
    async () => {
      const page = await openDashboard();
      await signUp(page, 'Goal Setter');
      await startSession(page, 'Goals night');
      const api = await clientOf(page);
      const session = (await api.sessions.active())!;
      for (const [title, targetCents] of [['Alpha', 1000], ['Bravo', 2000], ['Charlie', 3000]] as const) {
        await api.goals.create({ sessionId: session.id, title, targetCents });
      }
      await page.reload();
      await page.getByRole('progressbar', { name: 'Charlie progress' }).waitFor();
      expect(await goalTitles(page)).toEqual(['Alpha', 'Bravo', 'Charlie']);

      await page.getByRole('button', { name: 'Move Charlie up' }).click();
      await expect.poll(() => goalTitles(page)).toEqual(['Alpha', 'Charlie', 'Bravo']);
      expect((await api.goals.list(session.id)).map((g) => g.title)).toEqual(['Alpha', 'Charlie', 'Bravo']);

      await page.getByRole('button', { name: 'Edit Bravo' }).click();
      const edit = page.getByRole('form', { name: 'Edit goal' });
      await edit.getByLabel('Title').fill('Bravo two');
      await edit.getByLabel('Target ($)').fill('not money');
      await edit.getByRole('button', { name: 'Save goal' }).click();
      await edit.getByText('Target must be an amount like 100 or 49.99.').waitFor();
      await edit.getByLabel('Target ($)').fill('35');
      await edit.getByRole('button', { name: 'Save goal' }).click();
      await page.getByRole('progressbar', { name: 'Bravo two progress' }).waitFor();
      await page.getByText('$0.00 of $35.00').waitFor();

      await page.getByRole('button', { name: 'Delete Alpha' }).click();
      await expect.poll(() => goalTitles(page)).toEqual(['Charlie', 'Bravo two']);

      // Charlie is now the active goal: a tip of its whole target completes it.
      await recordManualTip(page, '30');
      await page.getByRole('list', { name: 'Goals' }).getByRole('listitem').filter({ hasText: 'Charlie' }).getByText('completed').waitFor();
      expect((await api.goals.list(session.id)).map((g) => [g.title, g.status])).toEqual([
        ['Charlie', 'completed'],
        ['Bravo two', 'active'],
      ]);
    },
    TEST_MS,
  );

  it(
    'works from the keyboard alone: sign up, start a session, record a tip',
    async () => {
      const page = await openDashboard('/#/signup');
      await page.getByRole('heading', { name: 'Create your account' }).waitFor();
      await tabTo(page, 'Display name');
      await page.keyboard.type('Keyboard Creator');
      await tabTo(page, 'Email');
      await page.keyboard.type(uniqueEmail('keyboard'));
      await tabTo(page, 'Password');
      await page.keyboard.type('correct horse battery staple');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Start a session' }).waitFor();

      await tabTo(page, 'Title (optional)');
      await page.keyboard.type('No mouse tonight');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'No mouse tonight' }).waitFor();

      await tabTo(page, 'Amount ($)');
      await page.keyboard.type('4.25');
      await page.keyboard.press('Enter');
      await waitForStat(page, 'Total tips', '$4.25');
    },
    TEST_MS,
  );

  it(
    'shows a wrong password as an error, stays signed out, and no session is created',
    async () => {
      const email = uniqueEmail('wrong-password');
      const api = createClient({ baseUrl: live.base });
      await api.auth.signup({ email, password: 'the right password', displayName: 'Careful Creator' });

      const page = await openDashboard('/#/login');
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill('not the password');
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByRole('alert').filter({ hasText: "That email and password don't match an account." }).waitFor();
      expect(await page.getByRole('heading', { name: 'Log in' }).isVisible()).toBe(true);
      expect(await page.evaluate((key) => localStorage.getItem(key), TOKEN_KEY)).toBeNull();
      expect((await api.sessions.list()).total).toBe(0);
    },
    TEST_MS,
  );

  it(
    'puts a signup error next to the field at fault, in words',
    async () => {
      const page = await openDashboard('/#/signup');
      await page.getByLabel('Display name').fill('Short Password');
      await page.getByLabel('Email').fill(uniqueEmail('short'));
      await page.getByLabel('Password').fill('short');
      await page.getByRole('button', { name: 'Create account' }).click();
      const password = page.getByLabel('Password');
      await page.locator('#password[aria-invalid="true"]').waitFor();
      const describedBy = (await password.getAttribute('aria-describedby'))!;
      expect(await page.locator(`[id="${describedBy.split(' ').pop()}"]`).textContent()).toBe('Password must be at least 10 characters.');
      expect(await page.getByLabel('Email').getAttribute('aria-invalid')).toBe('false');
    },
    TEST_MS,
  );

  it(
    'gives overlay URLs to copy, previews them, and warns before rotating the key',
    async () => {
      const page = await openDashboard();
      await signUp(page, 'Overlay Owner');
      await goTo(page, 'Widgets');
      await page.getByRole('navigation', { name: 'Widgets' }).getByRole('link', { name: 'All OBS sources' }).click();
      const alerts = page.getByRole('textbox', { name: 'Tip alerts' });
      await alerts.waitFor();
      const oldUrl = await alerts.inputValue();
      const api = await clientOf(page);
      expect(oldUrl).toBe(`${live.base}/overlay/alerts#key=${await api.overlay.key()}`);
      expect(await page.getByTitle('Overlay preview').getAttribute('src')).toBe(oldUrl.replace('/alerts#', '/all#'));
      // The overlay page may be framed by the dashboard (its own origin), and its widgets load in the frame.
      const previewed = page.frameLocator('iframe[title="Overlay preview"]').locator('sc-alert-box');
      await previewed.waitFor({ state: 'attached' });
      // Evaluated in the element's own frame, whatever else the page is loading meanwhile.
      await expect.poll(() => previewed.evaluate(() => customElements.get('sc-alert-box') !== undefined)).toBe(true);
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: live.base });
      await page.getByRole('button', { name: 'Copy Tip alerts URL' }).click();
      await page.getByRole('button', { name: 'Copy Tip alerts URL' }).filter({ hasText: 'Copied' }).waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(oldUrl);

      await page.getByRole('button', { name: 'Rotate key…' }).click();
      await page.getByRole('alert').filter({ hasText: 'stops working at once' }).waitFor();
      await page.getByRole('button', { name: 'Rotate key now' }).click();
      await page.getByRole('status').filter({ hasText: 'the old ones have stopped working' }).waitFor();
      const newUrl = await alerts.inputValue();
      expect(newUrl).not.toBe(oldUrl);
      expect(newUrl).toBe(`${live.base}/overlay/alerts#key=${await api.overlay.key()}`);
    },
    TEST_MS,
  );

  it(
    'creates an API token whose secret is shown once and works, lists it, and revokes it',
    async () => {
      const page = await openDashboard();
      await signUp(page, 'Token Maker');
      await page.getByRole('link', { name: 'API tokens' }).click();
      await page.getByLabel('Token name').fill('Chaturbate connector');
      await page.getByRole('button', { name: 'Create token' }).click();
      const secret = await page.getByLabel('New token secret').inputValue();
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: live.base });
      await page.getByRole('button', { name: 'Copy', exact: true }).click();
      await page.getByRole('button', { name: 'Copied', exact: true }).waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
      const integration = createClient({ baseUrl: live.base, token: secret });
      expect((await integration.auth.me()).displayName).toBe('Token Maker');
      await page.getByRole('button', { name: 'I have saved it' }).click();
      expect(await page.getByLabel('New token secret').count()).toBe(0);

      const list = page.getByRole('list', { name: 'Your API tokens' });
      await list.getByText('Chaturbate connector').waitFor();
      await page.getByRole('button', { name: 'Revoke Chaturbate connector' }).click();
      await page.getByText('No tokens yet.').waitFor();
      await expect(integration.auth.me()).rejects.toMatchObject({ status: 401 });
    },
    TEST_MS,
  );

  it(
    'keeps a tip menu: add, edit in place, reorder, switch off, delete after asking; the public menu follows, and sales show while live',
    async () => {
      const page = await openDashboard();
      await signUp(page, 'Menu Maker');
      await goTo(page, 'Menu');
      await page.getByText('No items yet.').waitFor();
      const api = await clientOf(page);
      const me = await api.auth.me();

      // The form's own check, then a plain item with a token price and an animation.
      const add = page.getByRole('form', { name: 'Add a menu item' });
      await add.getByLabel('Title').fill('Dance');
      await add.getByRole('button', { name: 'Add item' }).click();
      expect(await fieldErrorOf(page, 'price', add)).toBe('Price must be an amount like 5 or 12.50.');
      await add.getByLabel('Price ($)').fill('5');
      await add.getByLabel('Price in tokens (optional)').fill('50');
      await add.getByLabel('Emoji (optional)').fill('💃');
      await add.getByLabel('Animation on your overlays').selectOption({ label: 'Hearts' });
      await add.getByLabel('Intensity').selectOption('7');
      await add.getByRole('button', { name: 'Add item' }).click();
      const items = page.getByRole('list', { name: 'Menu items' });
      await items.getByRole('listitem').filter({ hasText: 'Dance' }).filter({ hasText: '$5.00 · 50 tokens' }).filter({ hasText: 'Plays hearts (intensity 7)' }).waitFor();
      expect(await add.getByLabel('Title').inputValue(), 'the form is emptied for the next item').toBe('');

      // A custom animation's URL the server refuses: its message sits next to the URL input.
      await add.getByLabel('Title').fill('Flash');
      await add.getByLabel('Price ($)').fill('10');
      await add.getByLabel('Category').selectOption({ label: 'Request' });
      await add.getByLabel('Animation on your overlays').selectOption({ label: 'Custom image or video' });
      await add.getByLabel('Image or video URL').fill('javascript:alert(1)');
      await add.getByRole('button', { name: 'Add item' }).click();
      expect(await fieldErrorOf(page, 'animationUrl', add)).toBe('Animation URL must be an https URL or a path on this server (/…).');
      await add.getByLabel('Image or video URL').fill('/media/flash.webm');
      await add.getByRole('button', { name: 'Add item' }).click();
      await expect.poll(() => menuTitles(page)).toEqual(['Dance', 'Flash']);
      expect(await api.menu.list()).toEqual([
        expect.objectContaining({ title: 'Dance', priceCents: 500, priceTokens: 50, emoji: '💃', category: 'performance', actions: { animation: { type: 'hearts', intensity: 7 } } }),
        expect.objectContaining({ title: 'Flash', priceCents: 1_000, category: 'request', actions: { animation: { type: 'custom', intensity: 5, url: '/media/flash.webm' } } }),
      ]);

      await page.getByRole('button', { name: 'Move Flash up' }).click();
      await expect.poll(() => menuTitles(page)).toEqual(['Flash', 'Dance']);
      expect((await api.menu.list()).map((item) => item.title)).toEqual(['Flash', 'Dance']);

      await page.getByRole('button', { name: 'Edit Dance' }).click();
      const edit = page.getByRole('form', { name: 'Edit menu item' });
      expect(await edit.getByLabel('Price ($)').inputValue()).toBe('5.00');
      await edit.getByLabel('Title').fill('Slow dance');
      await edit.getByLabel('Price ($)').fill('6');
      await edit.getByLabel('Animation on your overlays').selectOption({ label: 'None' });
      await edit.getByLabel('Goal bonus ($, optional)').fill('2');
      await edit.getByRole('button', { name: 'Save item' }).click();
      await items.getByRole('listitem').filter({ hasText: 'Slow dance' }).filter({ hasText: '$6.00 · 50 tokens' }).filter({ hasText: 'Adds $2.00 to the goal' }).waitFor();
      expect((await api.menu.list())[1]).toMatchObject({ title: 'Slow dance', priceCents: 600, priceTokens: 50 });
      expect((await api.menu.list())[1]!.actions, 'the animation is gone, the bonus added').toEqual({ goalBonusCents: 200 });

      // The link to the public menu, which shows the active items in order.
      const link = page.getByRole('textbox', { name: 'Public menu link' });
      const url = await link.inputValue();
      expect(url).toBe(`${live.base}/api/menu/public/${me.id}`);
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: live.base });
      await page.getByRole('button', { name: 'Copy public menu link' }).click();
      await page.getByRole('button', { name: 'Copy public menu link' }).filter({ hasText: 'Copied' }).waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
      const publicTitles = async () => ((await (await page.request.get(url)).json()) as { items: Array<{ title: string }> }).items.map((item) => item.title);
      expect(await publicTitles()).toEqual(['Flash', 'Slow dance']);

      await page.getByRole('button', { name: 'Turn off Slow dance' }).click();
      await items.getByRole('listitem').filter({ hasText: 'Slow dance' }).getByText('Off', { exact: true }).waitFor();
      expect(await publicTitles()).toEqual(['Flash']);
      await page.getByRole('button', { name: 'Turn on Slow dance' }).waitFor();

      // A change made elsewhere (here through the API) shows up without a reload.
      await api.menu.create({ title: 'Shout-out', priceCents: 300 });
      await expect.poll(() => menuTitles(page)).toEqual(['Flash', 'Slow dance', 'Shout-out']);

      // While a session is live, what each item sold, as tips buy them.
      const sales = page.getByRole('region', { name: 'Sold this session' });
      await sales.getByText('No session is live.').waitFor();
      const session = await api.sessions.start({ platform: 'chaturbate', title: 'Menu night' });
      await sales.getByText('Nothing from the menu sold yet this session.').waitFor();
      await api.tips.record({ sessionId: session.id, amountCents: 1_000, tipperName: 'Buyer' });
      await api.tips.record({ sessionId: session.id, amountCents: 700, message: 'Flash please' });
      const flashSales = sales.getByRole('list', { name: 'Menu sales this session' }).getByRole('listitem').filter({ hasText: 'Flash' });
      await flashSales.filter({ hasText: '× 2' }).filter({ hasText: '$17.00' }).waitFor();

      await page.getByRole('button', { name: 'Delete Slow dance' }).click();
      await page.getByRole('alert').filter({ hasText: 'Delete “Slow dance”?' }).waitFor();
      await page.getByRole('button', { name: 'Yes, delete' }).click();
      await expect.poll(() => menuTitles(page)).toEqual(['Flash', 'Shout-out']);
      expect((await api.menu.list()).map((item) => item.title)).toEqual(['Flash', 'Shout-out']);
      expect(await publicTitles()).toEqual(['Flash', 'Shout-out']);
    },
    TEST_MS,
  );

  it(
    'keeps animation rules and settings, and plays an animation on the overlays of the live session',
    async () => {
      const page = await openDashboard();
      await signUp(page, 'Animator');
      await goTo(page, 'Animations');
      const api = await clientOf(page);

      // Between sessions the buttons are off, and say why.
      const play = page.getByRole('region', { name: 'Play on my overlays' });
      await play.getByText('No session is live.').waitFor();
      const confetti = play.getByRole('group', { name: 'Confetti' }).getByRole('button', { name: 'Play on my overlays' });
      expect(await confetti.isDisabled()).toBe(true);
      expect(await confetti.getAttribute('aria-describedby')).toBe('play-hint');

      // Rules: add, a threshold already taken, edit, delete.
      const addRule = page.getByRole('form', { name: 'Add a rule' });
      const rules = page.getByRole('list', { name: 'Animation rules' });
      await addRule.getByLabel('Tips from ($)').fill('10');
      await addRule.getByLabel('Animation').selectOption({ label: 'Rain' });
      await addRule.getByLabel('Intensity').selectOption('6');
      await addRule.getByRole('button', { name: 'Add rule' }).click();
      await rules.getByRole('listitem').filter({ hasText: 'From $10.00' }).filter({ hasText: 'Rain, intensity 6' }).waitFor();
      await addRule.getByLabel('Tips from ($)').fill('10');
      await addRule.getByRole('button', { name: 'Add rule' }).click();
      expect(await fieldErrorOf(page, 'amount', addRule)).toBe('Another rule already starts at this amount.');
      await addRule.getByLabel('Tips from ($)').fill('25');
      await addRule.getByLabel('Animation').selectOption({ label: 'Confetti' });
      await addRule.getByRole('button', { name: 'Add rule' }).click();
      await rules.getByRole('listitem').filter({ hasText: 'From $25.00' }).waitFor();

      await page.getByRole('button', { name: 'Edit rule from $10.00' }).click();
      const editRule = page.getByRole('form', { name: 'Edit rule' });
      await editRule.getByLabel('Tips from ($)').fill('12');
      await editRule.getByLabel('Active').uncheck();
      await editRule.getByRole('button', { name: 'Save rule' }).click();
      await rules.getByRole('listitem').filter({ hasText: 'From $12.00' }).getByText('Off', { exact: true }).waitFor();
      await page.getByRole('button', { name: 'Delete rule from $25.00' }).click();
      await rules.getByRole('listitem').filter({ hasText: 'From $25.00' }).waitFor({ state: 'detached' });
      expect((await api.animations.rules.list()).map((r) => [r.minAmountCents, r.type, r.intensity, r.active])).toEqual([[1_200, 'rain', 6, false]]);

      // Settings, in seconds; one out of range is named next to its input first.
      const settings = page.getByRole('form', { name: 'Animation settings' });
      await settings.getByLabel('Cooldown between animations (seconds)').fill('90');
      await settings.getByRole('button', { name: 'Save settings' }).click();
      expect(await fieldErrorOf(page, 'cooldown', settings)).toBe('Cooldown must be between 0 and 60 seconds.');
      await settings.getByLabel('Cooldown between animations (seconds)').fill('0');
      await settings.getByLabel('Most playing at once').selectOption('4');
      await settings.getByLabel('Effect length (seconds)').fill('2.5');
      await settings.getByRole('button', { name: 'Save settings' }).click();
      await settings.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
      expect(await api.animations.settings.get()).toEqual({ cooldownMs: 0, maxConcurrent: 4, effectMs: 2_500 });

      // A live session and an overlay on it (an OBS browser source, here a plain socket.io client).
      const session = await api.sessions.start({ platform: 'stripchat', title: 'Party' });
      const overlay = io(`${live.base}/streaming/overlay`, { transports: ['websocket'], reconnection: false, forceNew: true });
      try {
        await new Promise<void>((resolve, reject) => {
          overlay.once('connect', resolve);
          overlay.once('connect_error', reject);
        });
        expect(await overlay.emitWithAck('join_overlay', { overlayKey: await api.overlay.key() })).toMatchObject({ ok: true });
        const triggers: Array<{ sessionId: string; type: string; metadata?: Record<string, unknown> }> = [];
        overlay.on('animation_trigger', (trigger) => triggers.push(trigger));

        const hearts = play.getByRole('group', { name: 'Hearts' }).getByRole('button', { name: 'Play on my overlays' });
        await play.getByText("Plays at once on your live session's overlays.").waitFor();
        await play.getByLabel('Intensity').selectOption('8');
        await hearts.click();
        await play.getByRole('status').filter({ hasText: 'Hearts is playing on your overlays.' }).waitFor();
        await expect.poll(() => triggers).toEqual([{ sessionId: session.id, type: 'hearts', metadata: { intensity: 8, source: 'manual' } }]);

        // A custom one needs a URL the server accepts; its refusal sits next to the URL input.
        const custom = play.getByRole('group', { name: 'Custom image or video' });
        await custom.getByLabel('Image or video URL').fill('ftp://example.com/party.gif');
        await custom.getByRole('button', { name: 'Play on my overlays' }).click();
        expect(await fieldErrorOf(page, 'url', custom)).toBe('Image or video URL must be an https URL or a path on this server (/…).');
        await custom.getByLabel('Image or video URL').fill('/media/party.webm');
        await custom.getByLabel('Image or video URL').press('Enter');
        await play.getByRole('status').filter({ hasText: 'Custom image or video is playing on your overlays.' }).waitFor();
        await expect.poll(() => triggers.map((t) => [t.type, t.metadata?.url])).toEqual([
          ['hearts', undefined],
          ['custom', '/media/party.webm'],
        ]);
      } finally {
        overlay.disconnect();
      }

      // The session ends elsewhere: the buttons turn off again.
      await api.sessions.end(session.id);
      await play.getByText('No session is live.').waitFor();
      expect(await confetti.isDisabled()).toBe(true);
    },
    TEST_MS,
  );

  it(
    'shows analytics for a range: figures in money and tokens, charts drawn from the data, top tippers with the anonymous grouped, a CSV download',
    async () => {
      const page = await openDashboard();
      await signUp(page, 'Number Cruncher');
      const api = await clientOf(page);
      await api.menu.create({ title: 'Dance', priceCents: 1_500 });
      const session = await api.sessions.start({ platform: 'chaturbate', title: 'Counting night' });
      const xss = '<img src=x onerror=alert(1)>';
      const seeded = [
        { amountCents: 500, tipperName: 'Alice' },
        { amountCents: 1_000, tipperName: xss },
        { amountCents: 250, tipperName: 'Alice' },
        { amountCents: 300, tipperName: 'Secret Admirer', isAnonymous: true },
        { amountCents: 200 },
        { amountCents: 1_500, tipperName: 'Carol', message: 'Dance' },
      ];
      for (const tip of seeded) await api.tips.record({ sessionId: session.id, ...tip });
      await api.sessions.end(session.id);
      // The analytics are rollups written just after each tip (and the menu sale one step later): wait until they have it all.
      await expect.poll(async () => {
        const summary = await api.analytics.summary({ sessionId: session.id });
        return [summary.tipCount, summary.menuItems.length];
      }).toEqual([6, 1]);

      await goTo(page, 'Analytics');
      expect(await page.getByLabel('Range', { exact: true }).inputValue()).toBe('7d');
      // 3750 cents from 6 tips at 5 cents a token: sorted 200 250 300 500 1000 1500 → median 400; 2 anonymous (500 cents).
      const figures = page.getByRole('region', { name: 'Figures' });
      await figureOf(figures, 'Total').filter({ hasText: '$37.50' }).filter({ hasText: '750 tokens' }).waitFor();
      for (const [term, value] of [
        ['Tips', '6'],
        ['Average', '$6.25125 tokens'],
        ['Median', '$4.0080 tokens'],
        ['Biggest', '$15.00300 tokens'],
        ['Unique tippers', '3'],
        ['Anonymous', '2 tips33.3% of tips, 13.3% of the amount'],
      ] as const) {
        expect(await figureOf(figures, term).textContent(), term).toContain(value);
      }

      // The charts hold the seeded figures and drew them: the middle of the biggest bar has the bar's colour.
      const curve = await chartData(page, 'Tips over time');
      expect(curve.values[0], 'one bar an hour for the 7 days, the empty ones too').toHaveLength(7 * 24);
      expect(curve.values[0]!.reduce((sum, cents) => sum! + cents!, 0)).toBe(3_750);
      const busiest = curve.values[0]!.indexOf(Math.max(...(curve.values[0] as number[])));
      await expect.poll(() => drawnIn(barPixel(page, 'Tips over time', busiest), curve.color)).toBe(true);
      const items = await chartData(page, 'Menu sales');
      expect([items.labels, items.values]).toEqual([['Dance'], [[1_500]]]);
      await expect.poll(() => drawnIn(barPixel(page, 'Menu sales', 0), items.color)).toBe(true);

      // Top tippers: names as text, the anonymous tips (named or not) one row.
      const tippers = page.getByRole('table', { name: 'Top tippers' });
      expect(await tippers.locator('tbody tr td:first-child').allTextContents()).toEqual(['Carol', xss, 'Alice', 'Anonymous']);
      expect(await tippers.getByRole('row').filter({ hasText: 'Anonymous' }).getByRole('cell').nth(1).textContent()).toBe('2');
      expect(await tippers.locator('img').count(), 'a tipper name is never markup').toBe(0);

      // The CSV of the range: a header and one row per tip.
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
      expect(download.suggestedFilename()).toMatch(/^tips-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
      const [header, ...rows] = (await readFile((await download.path())!, 'utf8')).split('\r\n').filter(Boolean);
      expect(header).toBe('session_id,session_title,tipped_at,tipper,anonymous,amount_cents,tokens,cents_per_token,source,menu_item');
      const cells = rows.map((row) => row.split(','));
      expect(cells.map((row) => Number(row[5])).sort((a, b) => a - b)).toEqual(seeded.map((tip) => tip.amountCents).sort((a, b) => a - b));
      expect(cells.filter((row) => row[4] === 'true').map((row) => row[3])).toEqual(['', '']);
      expect(cells.find((row) => row[5] === '1500')![9]).toBe('Dance');

      // Another range: typed days with nothing in them, one that ends before it starts, then a preset again.
      await page.getByLabel('From', { exact: true }).fill('2020-01-01');
      await page.getByLabel('To', { exact: true }).fill('2020-01-31');
      await page.getByText('No tips in this range.').waitFor();
      expect(await page.getByLabel('Range', { exact: true }).inputValue()).toBe('custom');
      expect(await figureOf(figures, 'Total').textContent(), 'no tokens without a platform to convert at').toBe('$0.00');
      await page.getByLabel('From', { exact: true }).fill('2020-02-10');
      expect(await fieldErrorOf(page, 'to')).toBe('To must be on or after the From date.');
      await page.getByLabel('Range', { exact: true }).selectOption({ label: 'Last 30 days' });
      await figureOf(figures, 'Tips').filter({ hasText: /^6/ }).waitFor();
      await page.getByLabel('Platform', { exact: true }).selectOption({ label: 'Stripchat' });
      await figureOf(figures, 'Tips').filter({ hasText: /^0/ }).waitFor();
    },
    TEST_MS,
  );

  it(
    'shows a summary when the creator ends a session (total, tips, best minute, top tippers, goals reached, items sold), and again in history',
    async () => {
      const page = await openDashboard();
      await signUp(page, 'Wrap Up');
      const api = await clientOf(page);
      await api.menu.create({ title: 'Spin', priceCents: 777 });
      await startSession(page, 'Last stream of the week');
      const session = (await api.sessions.active())!;
      await api.goals.create({ sessionId: session.id, title: 'New lights', targetCents: 1_000 });
      for (const tip of [
        { amountCents: 600, tipperName: 'Dana' },
        { amountCents: 777, tipperName: 'Eli' },
        { amountCents: 400, tipperName: 'Dana' },
      ]) {
        await api.tips.record({ sessionId: session.id, ...tip });
      }
      await waitForStat(page, 'Total tips', '$17.77');
      await page.getByRole('list', { name: 'Goals' }).getByRole('listitem').filter({ hasText: 'New lights' }).getByText('completed').waitFor();

      // Ended at once: the summary waits for the analytics to count what the session has.
      await page.getByRole('button', { name: 'End session' }).click();
      await page.getByRole('button', { name: 'Yes, end session' }).click();
      const summary = page.getByRole('region', { name: 'Session summary' });
      await figureOf(summary, 'Total').filter({ hasText: '$17.77' }).filter({ hasText: '355.4 tokens' }).waitFor();
      expect(await figureOf(summary, 'Tips').textContent()).toBe('3');
      expect(await figureOf(summary, 'Best minute').textContent()).toMatch(/^\$\d+\.\d{2}at \d{2}:\d{2}\s[AP]M, \d tips?$/);
      expect(await summary.getByRole('table', { name: 'Top tippers of this session' }).locator('tbody tr td:first-child').allTextContents()).toEqual(['Dana', 'Eli']);
      await summary.getByRole('list', { name: 'Goals reached' }).getByRole('listitem').filter({ hasText: 'New lights' }).filter({ hasText: 'into the stream' }).waitFor();
      await summary.getByRole('list', { name: 'Items sold' }).getByRole('listitem').filter({ hasText: 'Spin' }).filter({ hasText: '× 1' }).filter({ hasText: '$7.77' }).waitFor();
      expect((await chartData(page, 'Tips over the session')).values[0]!.reduce((sum, cents) => sum! + cents!, 0)).toBe(1_777);

      // The same summary on the session's page in history.
      await page.getByRole('link', { name: 'See it in history' }).click();
      await figureOf(page.getByRole('region', { name: 'Session summary' }), 'Total').filter({ hasText: '$17.77' }).waitFor();
    },
    TEST_MS,
  );

  it(
    'shows a dropped connection and recovers by itself: tips recorded meanwhile and after show up',
    async () => {
      const proxy = new TcpProxy(live.port);
      const origin = await proxy.listen();
      try {
        const page = await openDashboard('/', origin);
        await signUp(page, 'Flaky Wifi');
        await startSession(page, 'Patchy connection');
        const api = await clientOf(page, live.base);
        const session = (await api.sessions.active())!;

        proxy.cut();
        await page.getByRole('status').filter({ hasText: 'Connection lost' }).waitFor();
        await api.tips.record({ sessionId: session.id, amountCents: 700, tipperName: 'While Away' });
        proxy.mend();
        await page.getByRole('status').filter({ hasText: 'Connection lost' }).waitFor({ state: 'detached' });
        await waitForStat(page, 'Total tips', '$7.00');
        await page.getByRole('list', { name: 'Tips feed' }).getByText('While Away').waitFor();

        await api.tips.record({ sessionId: session.id, amountCents: 300, tipperName: 'After Return' });
        await waitForStat(page, 'Total tips', '$10.00');
        await page.getByRole('list', { name: 'Tips feed' }).getByText('After Return').waitFor();
      } finally {
        await proxy.close();
      }
    },
    TEST_MS,
  );

  it(
    'fits a phone screen: no sideways scrolling on any view',
    async () => {
      const page = await openDashboard('/', live.base, { width: 390, height: 844 });
      await signUp(page, 'Phone Creator');
      await startSession(page, 'From my phone');
      await recordManualTip(page, '3', 'A viewer with a really long name that goes on and on', 'x'.repeat(300));
      await waitForStat(page, 'Total tips', '$3.00');
      const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(await overflow()).toBe(0);
      for (const [link, ready] of [
        ['Menu', () => page.getByRole('form', { name: 'Add a menu item' })],
        ['Animations', () => page.getByRole('form', { name: 'Animation settings' })],
        ['Widgets', () => page.getByRole('form', { name: 'Tip alerts settings' })],
        ['Rehearsal', () => page.getByRole('form', { name: 'Start a rehearsal' })],
        ['Platforms', () => page.getByRole('form', { name: 'Chaturbate connection' })],
        ['Chatbot', () => page.getByRole('form', { name: 'Try a message' })],
        ['Voice', () => page.getByRole('form', { name: 'Voice settings' })],
        ['History', () => page.getByRole('row').filter({ hasText: 'From my phone' })],
        ['Analytics', () => page.getByRole('table', { name: 'Top tippers' })],
        ['API tokens', () => page.getByLabel('Token name')],
      ] as const) {
        await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link }).click();
        await ready().waitFor();
        expect(await overflow(), `sideways scrolling on ${link}`).toBe(0);
      }
    },
    TEST_MS,
  );

  it(
    'with local accounts ignores a token handed over in the URL fragment (another creator\'s link), and wipes it from the address bar',
    async () => {
      const other = await createClient({ baseUrl: live.base }).auth.signup({
        email: uniqueEmail('link-owner'),
        password: 'correct horse battery staple',
        displayName: 'Link Owner',
      });

      // A visitor who is signed out stays signed out: the login form, no token kept.
      const page = await openDashboard(`/#token=${other.token}`);
      await page.getByRole('heading', { name: 'Log in' }).waitFor();
      expect(page.url()).not.toContain(other.token);
      expect(await page.evaluate((key) => localStorage.getItem(key), TOKEN_KEY)).toBeNull();
      expect(await page.getByText('Link Owner').count()).toBe(0);

      // A creator who is signed in stays who they are.
      await signUp(page, 'Link Visitor');
      const mine = await page.evaluate((key) => localStorage.getItem(key), TOKEN_KEY);
      await page.goto('about:blank');
      await page.goto(`${live.base}/#access_token=${other.token}`);
      await page.getByRole('heading', { name: 'Start a session' }).waitFor();
      await page.getByText('Link Visitor').waitFor();
      expect(page.url()).not.toContain(other.token);
      expect(await page.evaluate((key) => localStorage.getItem(key), TOKEN_KEY)).toBe(mine);
      expect((await (await clientOf(page)).auth.me()).displayName).toBe('Link Visitor');
    },
    TEST_MS,
  );
});

describe('platforms and rehearsals in the dashboard', () => {
  it(
    'connects Chaturbate: a refused URL shown at its field, the saved one never shown again, live state and counts once a Chaturbate session starts, a revoked token shown as an error, disconnect after asking',
    async () => {
      const page = await openDashboard();
      await signUp(page, 'Cam Connector');
      await goTo(page, 'Platforms');
      const state = page.getByRole('status', { name: 'Chaturbate state' });
      await state.filter({ hasText: 'Not connected' }).waitFor();

      // The server decides what is an Events API URL, and names the field.
      const form = page.getByRole('form', { name: 'Chaturbate connection' });
      const url = form.getByLabel('Events API URL');
      expect(await url.getAttribute('type'), 'the URL is a password').toBe('password');
      await url.fill('https://example.com/events/someone/AbCdEf123456/');
      await form.getByRole('button', { name: 'Save' }).click();
      expect(await fieldErrorOf(page, 'eventsUrl', form)).toMatch(/^Events API URL must be an http URL like http:\/\/127\.0\.0\.1:\d+\/events\/<username>\/<token>\/\.$/);

      const username = `mia_${crypto.randomUUID().slice(0, 8)}`;
      await url.fill(eventsApi!.room(username, 'AbCdEf123456'));
      await form.getByRole('button', { name: 'Save' }).click();
      await form.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
      await state.filter({ hasText: 'Connected, waiting' }).waitFor();
      expect(await url.inputValue(), 'the URL leaves the page once saved').toBe('');
      const connection = page.getByRole('region', { name: 'Connection' });
      expect(await figureOf(connection, 'Account').textContent()).toBe(username);
      expect(await figureOf(connection, 'Token').textContent()).toBe('…3456');
      await page.reload();
      await figureOf(connection, 'Account').filter({ hasText: username }).waitFor();
      expect(await url.inputValue(), 'never filled in from the server').toBe('');

      // A Chaturbate session starts elsewhere (here through the API): the connector follows it, and the view says so without a reload.
      const api = await clientOf(page);
      const session = await api.sessions.start({ platform: 'chaturbate', title: 'Connected night' });
      await state.filter({ hasText: 'Receiving events from Chaturbate.' }).waitFor();
      const pushed = eventsApi!.push(username, cb.tip('fan_one', 25, { message: 'hi' }), cb.other('follow'), cb.other('follow'));
      await figureOf(connection, 'Tips recorded').filter({ hasText: /^1$/ }).waitFor();
      expect(await figureOf(connection, 'Events seen').textContent()).toBe('3');
      expect(await figureOf(connection, 'Last event ID').textContent(), 'where polling resumes').toBe(pushed.at(-1));
      expect(await figureOf(connection, 'Last event').textContent()).toMatch(/^(just now|\d+ seconds ago)$/);
      await page.getByRole('list', { name: 'Skipped events' }).getByRole('listitem').filter({ hasText: 'Follows' }).filter({ hasText: '2' }).waitFor();
      expect((await api.tips.list({ sessionId: session.id })).items.map((tip) => [tip.tipperName, tip.amountCents])).toEqual([['fan_one', 125]]);

      // The token revoked on Chaturbate: the connector stops, and the view says why, as an error.
      eventsApi!.revoke(username);
      await page.getByRole('alert', { name: 'Chaturbate state' }).filter({ hasText: 'Stopped' }).filter({ hasText: 'HTTP 401' }).waitFor();

      await form.getByRole('button', { name: 'Disconnect…' }).click();
      await form.getByRole('alert').filter({ hasText: 'Disconnect Chaturbate?' }).waitFor();
      await form.getByRole('button', { name: 'Yes, disconnect' }).click();
      await state.filter({ hasText: 'Not connected' }).waitFor();
      expect((await api.connectors.chaturbate.status()).connected).toBe(false);
      await api.sessions.end(session.id);
    },
    TEST_MS,
  );

  it(
    'rehearses simulated tips at 5× and a past session to the end, refuses while a session is live, says "rehearsal" in live, history and the session page, and stops one',
    async () => {
      const page = await openDashboard();
      await signUp(page, 'Rehearsing Creator');
      await goTo(page, 'Rehearsal');
      const form = page.getByRole('form', { name: 'Start a rehearsal' });
      const rehearsals = page.getByRole('list', { name: 'Rehearsals' });

      // Nothing to replay yet: simulated tips, followed live to the end.
      expect(await form.getByLabel('Tips to play').inputValue()).toBe('simulate');
      await form.getByLabel('Number of tips').fill('5');
      await form.getByLabel('Duration (seconds)').fill('20');
      await form.getByLabel('Speed').selectOption('5');
      await form.getByRole('button', { name: 'Start rehearsal' }).click();
      await page.getByRole('progressbar', { name: 'Rehearsal progress' }).waitFor();
      await page.locator('[role=progressbar][aria-label="Rehearsal progress"][aria-valuenow="100"]').waitFor();
      await rehearsals.getByRole('listitem').filter({ hasText: 'Simulated tips' }).filter({ hasText: 'Finished' }).filter({ hasText: '5 of 5 tips played' }).waitFor();

      // A real session live: refused, in plain words.
      const api = await clientOf(page);
      const real = await api.sessions.start({ platform: 'stripchat', title: '<b>Tuesday</b> show' });
      await form.getByRole('button', { name: 'Start rehearsal' }).click();
      await form.getByRole('alert').filter({ hasText: 'A session is live: end your live session first, then rehearse.' }).waitFor();
      for (const tipperName of ['Ana', 'Ben']) await api.tips.record({ sessionId: real.id, amountCents: 300, tipperName });
      await api.sessions.end(real.id);

      // Its replay, offered as soon as it ended: only real sessions with tips (not the rehearsal), titles as text.
      await form.getByLabel('Tips to play').selectOption('session');
      await form.getByLabel('Session to replay').waitFor();
      const offered = await form.getByLabel('Session to replay').locator('option').allTextContents();
      expect(offered).toHaveLength(1);
      expect(offered[0]).toMatch(/^<b>Tuesday<\/b> show · .+ · 2 tips$/);
      await form.getByLabel('Speed').selectOption('5');
      await form.getByRole('button', { name: 'Start rehearsal' }).click();
      await rehearsals.getByRole('listitem').filter({ hasText: 'Replay of <b>Tuesday</b> show' }).filter({ hasText: 'Finished' }).filter({ hasText: '2 of 2 tips played' }).waitFor();
      expect(await rehearsals.locator('b').count(), 'a title is never markup').toBe(0);

      // A long one at 1×: the live view and history say it is a rehearsal; stopped from here.
      await form.getByLabel('Tips to play').selectOption('simulate');
      await form.getByLabel('Number of tips').fill('20');
      await form.getByLabel('Duration (seconds)').fill('600');
      await form.getByRole('button', { name: 'Start rehearsal' }).click();
      await page.getByRole('button', { name: 'Stop rehearsal' }).waitFor();
      await goTo(page, 'Live');
      await page.getByRole('note').filter({ hasText: 'This is a rehearsal' }).waitFor();
      expect(await page.getByText('REHEARSAL', { exact: true }).isVisible()).toBe(true);
      await goTo(page, 'History');
      await page.getByRole('row').filter({ hasText: 'Rehearsal: simulated tips' }).filter({ hasText: 'LIVE' }).getByText('Rehearsal', { exact: true }).waitFor();
      await goTo(page, 'Rehearsal');
      await page.getByRole('button', { name: 'Stop rehearsal' }).click();
      await rehearsals.getByRole('listitem').first().filter({ hasText: 'Stopped' }).waitFor();
      await form.waitFor();
      expect(await api.sessions.active()).toBeNull();

      // A rehearsal's own page says what it was.
      await rehearsals.getByRole('link', { name: 'Replay of <b>Tuesday</b> show' }).click();
      await page.getByRole('heading', { name: 'Rehearsal: <b>Tuesday</b> show' }).waitFor();
      await page.getByText('A rehearsal: its tips played on your overlays but count only here, never in your real totals or analytics.').waitFor();
      expect(await page.getByRole('region', { name: 'Session summary' }).count(), 'analytics leaves rehearsals out: no summary').toBe(0);
    },
    TEST_MS,
  );
});

describe('chatbot and voice in the dashboard', () => {
  it(
    'makes a persona with a !menu command and a reply (an unknown variable shown at the reply), tries !menu with its reasons, edits its triggers, switches it off and on, answers a chat line sent from the live view, and deletes it after asking',
    async () => {
      const page = await openDashboard();
      await signUp(page, 'Bot Builder');
      const api = await clientOf(page);
      // {menu} has a value only with a menu.
      await api.menu.create({ title: 'Dance', priceCents: 500 });
      await goTo(page, 'Chatbot');
      await page.getByText('No personas yet.').waitFor();

      // A persona with one command trigger; its cooldowns left to the server's defaults.
      await page.getByRole('button', { name: 'New persona' }).click();
      const editor = page.getByRole('form', { name: 'New persona' });
      await editor.getByLabel('Name').fill('Mia');
      await editor.getByRole('button', { name: 'Add trigger' }).click();
      await editor.getByRole('group', { name: 'Trigger 1' }).getByLabel('Command').fill('!menu');
      await editor.getByRole('button', { name: 'Create persona' }).click();
      const personas = page.getByRole('list', { name: 'Personas' });
      await personas.getByRole('listitem').filter({ hasText: 'Mia' }).filter({ hasText: '!menu' }).filter({ hasText: 'Priority 0' }).waitFor();
      const [mia] = await api.chatbot.personas.list();
      expect(mia).toMatchObject({ name: 'Mia', enabled: true, triggers: [{ type: 'command', command: '!menu', minLevel: null }] });

      // Its replies: a variable the server does not know is shown at the reply, in its words.
      const addReply = page.getByRole('form', { name: 'Add a reply' });
      await addReply.getByLabel('Reply').fill('Hi {viewer}!');
      await addReply.getByRole('button', { name: 'Add reply' }).click();
      expect(await fieldErrorOf(page, 'templateText', addReply)).toMatch(/^Unknown variable \{viewer\}; use \{senderName\}/);
      await addReply.getByLabel('Reply').fill('Hi {senderName}! Tonight: {menu}');
      await addReply.getByLabel('For').selectOption({ label: '!menu' });
      await addReply.getByRole('button', { name: 'Add reply' }).click();
      await page.getByRole('list', { name: 'Replies of Mia' }).getByRole('listitem').filter({ hasText: 'Hi {senderName}! Tonight: {menu}' }).filter({ hasText: 'For !menu' }).waitFor();
      expect(await api.chatbot.templates.list(mia!.id)).toEqual([expect.objectContaining({ text: 'Hi {senderName}! Tonight: {menu}', weight: 1, triggerId: mia!.triggers[0]!.id })]);

      // Tried: who answers, the reply (a sender's name that is markup stays text) and why.
      const tryForm = page.getByRole('form', { name: 'Try a message' });
      const xss = '<img src=x onerror=alert(1)>';
      await tryForm.getByLabel('Message').fill('!menu');
      await tryForm.getByLabel('From (optional)').fill(xss);
      await tryForm.getByRole('button', { name: 'Try it' }).click();
      const result = page.getByRole('status', { name: 'Try result' });
      await result.filter({ hasText: 'Mia answers' }).filter({ hasText: `Hi ${xss}! Tonight: ` }).filter({ hasText: 'Dance' }).waitFor();
      expect(await result.getByRole('list', { name: 'Why' }).getByRole('listitem').allTextContents()).toEqual([expect.stringMatching(/^Mia .*!menu/)]);
      expect(await result.locator('img').count(), 'viewer text is never markup').toBe(0);
      await tryForm.getByLabel('Message').fill('hello there');
      await tryForm.getByRole('button', { name: 'Try it' }).click();
      await result.filter({ hasText: 'No persona answers this.' }).getByRole('listitem').filter({ hasText: 'no trigger matched' }).waitFor();

      // Edited: a keyword trigger added (its slip shown in its row first), one more added and removed again; the !menu reply stays tied.
      await page.getByRole('button', { name: 'Edit Mia' }).click();
      const edit = page.getByRole('form', { name: 'Edit persona' });
      await edit.getByLabel('Kind of trigger to add').selectOption({ label: 'Keywords' });
      await edit.getByRole('button', { name: 'Add trigger' }).click();
      await edit.getByLabel('Kind of trigger to add').selectOption({ label: 'Tip amount' });
      await edit.getByRole('button', { name: 'Add trigger' }).click();
      await edit.getByRole('button', { name: 'Remove Trigger 3' }).click();
      expect(await edit.getByRole('group', { name: /^Trigger \d$/ }).count()).toBe(2);
      await edit.getByRole('button', { name: 'Save persona' }).click();
      expect(await fieldErrorOf(page, 'trigger-t2-keywords', edit)).toBe('Keywords must have at least one word or phrase, separated by commas.');
      await edit.getByRole('group', { name: 'Trigger 2' }).getByLabel('Keywords').fill('hello, good evening');
      await edit.getByLabel('Priority').fill('3');
      await edit.getByRole('button', { name: 'Save persona' }).click();
      await personas.getByRole('listitem').filter({ hasText: '!menu · “hello” / “good evening”' }).filter({ hasText: 'Priority 3' }).waitFor();
      expect((await api.chatbot.personas.get(mia!.id)).triggers).toEqual([
        mia!.triggers[0],
        { id: expect.any(String), type: 'keyword', keywords: ['hello', 'good evening'], minLevel: null },
      ]);
      expect(await api.chatbot.templates.list(mia!.id)).toHaveLength(1);

      // Switched off and on again.
      await page.getByRole('button', { name: 'Turn off Mia' }).click();
      await personas.getByRole('listitem').filter({ hasText: 'Mia' }).getByText('Off', { exact: true }).waitFor();
      expect((await api.chatbot.personas.get(mia!.id)).enabled).toBe(false);
      await page.getByRole('button', { name: 'Turn on Mia' }).click();
      await personas.getByRole('listitem').filter({ hasText: 'Mia' }).getByText('On', { exact: true }).waitFor();

      // Live: a chat line typed for a platform without a connector is answered in the replies feed.
      await goTo(page, 'Live');
      await startSession(page, 'Chatty night');
      const chat = page.getByRole('form', { name: 'Send a chat line' });
      await chat.getByLabel('Viewer name').fill('<b>Kai</b>');
      await chat.getByLabel('Chat line').fill('!menu');
      await chat.getByRole('button', { name: 'Send to chatbot' }).click();
      const replies = page.getByRole('list', { name: 'Chatbot replies' });
      await replies.getByRole('listitem').filter({ hasText: 'Mia' }).filter({ hasText: 'Hi <b>Kai</b>! Tonight: ' }).filter({ hasText: 'Command' }).waitFor();
      expect(await replies.locator('b').count(), 'a viewer name is never markup').toBe(0);
      // The reply is broadcast before the server acknowledges the line, so the form may empty after it shows.
      await expect.poll(() => chat.getByLabel('Chat line').inputValue(), { message: 'emptied for the next line' }).toBe('');

      // Deleted after asking.
      await goTo(page, 'Chatbot');
      await page.getByRole('button', { name: 'Delete Mia' }).click();
      await page.getByRole('alert').filter({ hasText: 'Delete “Mia” and its replies?' }).waitFor();
      await page.getByRole('button', { name: 'Yes, delete' }).click();
      await page.getByText('No personas yet.').waitFor();
      expect(await api.chatbot.personas.list()).toEqual([]);
    },
    TEST_MS,
  );

  it(
    'saves text-to-speech settings (a slip shown at its field), plays a line with Listen, and mutes, unmutes and skips speech on the live session\'s overlays',
    async () => {
      const page = await openDashboard();
      await signUp(page, 'Voice Owner');
      const api = await clientOf(page);
      const voices = await api.tts.voices();
      await goTo(page, 'Voice');

      const form = page.getByRole('form', { name: 'Voice settings' });
      await form.getByLabel('Read tips aloud').check();
      await form.getByLabel('Smallest tip read ($)').fill('2');
      await form.getByLabel('Voice', { exact: true }).selectOption(voices.at(-1)!.id);
      await form.getByLabel(/^Speed/).fill('10');
      await form.getByLabel('Words never read (one per line)').fill('pineapple\nbig deal');
      await form.getByLabel('When a word is filtered').selectOption('skip');
      await form.getByRole('button', { name: 'Save settings' }).click();
      expect(await fieldErrorOf(page, 'speed', form)).toBe('Speed must be a whole number from 80 to 450.');
      await form.getByLabel(/^Speed/).fill('200');
      await form.getByRole('button', { name: 'Save settings' }).click();
      await form.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
      expect(await api.tts.settings()).toMatchObject({
        enabled: true,
        minAmountCents: 200,
        voice: voices.at(-1)!.id,
        speed: 200,
        filterWords: ['pineapple', 'big deal'],
        filterMode: 'skip',
      });

      // Listen: the WAV comes through the client and plays from a blob: URL the CSP allows.
      await form.getByRole('button', { name: 'Listen' }).click();
      const audio = form.getByLabel('Voice preview');
      await audio.waitFor();
      expect(await audio.evaluate((element: HTMLAudioElement) => element.src)).toMatch(/^blob:/);
      await expect.poll(() => audio.evaluate((element: HTMLAudioElement) => element.ended || element.currentTime > 0), { timeout: 20_000 }).toBe(true);
      // A line the filter would skip: the server says why, at the text.
      await form.getByLabel('Text to hear').fill('I love pineapple');
      await form.getByRole('button', { name: 'Listen' }).click();
      expect(await fieldErrorOf(page, 'previewText', form)).toMatch(/^Contains a filtered word/);

      // Live: mute, unmute and skip reach the session's overlays (an OBS browser source, here a plain socket.io client).
      await goTo(page, 'Live');
      await startSession(page, 'Loud night');
      const session = (await api.sessions.active())!;
      const overlay = io(`${live.base}/streaming/overlay`, { transports: ['websocket'], reconnection: false, forceNew: true });
      try {
        await new Promise<void>((resolve, reject) => {
          overlay.once('connect', resolve);
          overlay.once('connect_error', reject);
        });
        expect(await overlay.emitWithAck('join_overlay', { overlayKey: await api.overlay.key() })).toMatchObject({ ok: true });
        const controls: Array<{ sessionId: string; action: string }> = [];
        overlay.on('tts_control', (control) => controls.push(control));

        const speech = page.getByRole('status', { name: 'Speech' });
        await speech.filter({ hasText: 'Not muted' }).waitFor();
        await page.getByRole('button', { name: 'Mute TTS' }).click();
        await speech.filter({ hasText: 'Muted' }).waitFor();
        expect(await page.getByRole('button', { name: 'Skip current' }).isDisabled(), 'nothing plays while muted').toBe(true);
        expect(await api.tts.muteState(session.id)).toEqual({ sessionId: session.id, muted: true });
        // Unmuted elsewhere (another device, the API): the button follows.
        await api.tts.control({ sessionId: session.id, action: 'unmute' });
        await page.getByRole('button', { name: 'Mute TTS' }).waitFor();
        await page.getByRole('button', { name: 'Skip current' }).click();
        await speech.filter({ hasText: 'Skipped the clip that was playing.' }).waitFor();
        await expect.poll(() => controls.map((c) => [c.sessionId, c.action])).toEqual([
          [session.id, 'mute'],
          [session.id, 'unmute'],
          [session.id, 'skip'],
        ]);
      } finally {
        overlay.disconnect();
      }
    },
    TEST_MS,
  );
});

describe('creator dashboard in SSO mode', () => {
  it(
    'signs in with the bearer token the platform hands over in the fragment, wipes it from the address bar, and has no password form',
    async () => {
      const issuer = await startTestIssuer();
      const ssoData = await mkdtemp(join(tmpdir(), 'sc-dashboard-sso-'));
      const sso = await startServer(await freePort(), ssoData, { AUTH_MODE: 'sso', SSO_URL: issuer.issuer });
      try {
        const signedOut = await openDashboard('/', sso.base);
        await signedOut.getByRole('heading', { name: 'Sign in through your platform' }).waitFor();
        expect(await signedOut.getByLabel('Password').count()).toBe(0);

        const token = await issuer.sign({ sub: `platform-user-${crypto.randomUUID()}`, name: 'Platform Creator' });
        const page = await openDashboard(`/#token=${token}`, sso.base);
        await page.getByRole('heading', { name: 'Start a session' }).waitFor();
        await page.getByText('Platform Creator').waitFor();
        expect(page.url()).toBe(`${sso.base}/#/live`);
        await startSession(page, 'Signed in by my platform');
        await waitForStat(page, 'Total tips', '$0.00');
      } finally {
        expect(await sso.server.stop()).toBe(0);
        await issuer.close();
        await rm(ssoData, { recursive: true, force: true });
      }
    },
    TEST_MS,
  );
});
