import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createClient, type StreamingCompanionClient } from '@streaming-companion/client';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { failOnCspViolations } from './support/csp-violations.ts';
import { RECORD_EVENTS_SCRIPT, repoRoot, SocketWatch, type ScEvent } from './support/overlay-harness.ts';
import { useServerAndBrowser } from './support/real-server.ts';

/**
 * The overlay studio in a real browser (Debian's chromium) against the real server: widget
 * settings saved through the API restyle an open overlay page live, variations by amount,
 * test alerts that count nowhere, overlays that keep their state across a reload, and a voided
 * tip leaving them. Each test signs up its own creator. Waits end on a DOM state, a recorded
 * CustomEvent or a socket.io packet, never on a timer.
 */

const HOOK_MS = 120_000;
const TEST_MS = 90_000;
const SHOW_MS = 20_000;
const VIEWPORT = { width: 1920, height: 1080 };
const SCREENSHOT_DIR = join(repoRoot, 'packages/overlay-widgets/docs/screenshots');

const live = useServerAndBrowser({
  dataDirPrefix: 'sc-overlay-studio-',
  requires: [{ file: 'packages/overlay-widgets/dist/pages/leaderboard.html', build: 'npm run build:pages -w @streaming-companion/overlay-widgets' }],
  hookMs: HOOK_MS,
});
const csp = failOnCspViolations();

async function signUp(): Promise<{ client: StreamingCompanionClient; key: string; sessionId: string }> {
  const client = createClient({ baseUrl: live.base });
  await client.auth.signup({ email: `studio-${crypto.randomUUID()}@example.test`, password: 'correct horse battery staple', displayName: 'Studio' });
  const sessionId = (await client.sessions.start({ platform: 'chaturbate' })).id;
  return { client, key: await client.overlay.key(), sessionId };
}

interface OverlayPage {
  page: Page;
  watch: SocketWatch;
}

/** `/overlay/<name>#key=…` in a fresh 1920×1080 context, once the server has answered its join and sent the widget settings. */
async function openOverlay(name: string, key: string): Promise<OverlayPage> {
  const context = await live.newContext({ viewport: VIEWPORT, locale: 'en-US', timezoneId: 'UTC' });
  context.setDefaultTimeout(SHOW_MS);
  await context.addInitScript(RECORD_EVENTS_SCRIPT);
  await csp.context(context);
  const page = await context.newPage();
  csp.page(page);
  const watch = new SocketWatch(page);
  expect((await page.goto(`${live.base}/overlay/${name}#key=${encodeURIComponent(key)}`))?.status()).toBe(200);
  await settingsReceived(watch, 1);
  return { page, watch };
}

async function settingsReceived(watch: SocketWatch, n: number): Promise<void> {
  await expect
    .poll(() => watch.received('widget_settings').length, { timeout: SHOW_MS, message: `widget_settings #${n} never came:\n${watch.describe()}` })
    .toBeGreaterThanOrEqual(n);
}

/** Waits for the alert of this tip to be on screen (started and not yet ended). */
async function alertShowing(page: Page, tipId: string): Promise<void> {
  await page.waitForFunction(
    (id) => {
      const events = (window as unknown as { __scEvents: ScEvent[] }).__scEvents;
      return events.some((e) => e.type === 'sc-alert-start' && e.detail?.tipId === id) && !events.some((e) => e.type === 'sc-alert-end' && e.detail?.tipId === id);
    },
    tipId,
    { timeout: SHOW_MS },
  );
}

async function alertEnded(page: Page, tipId: string): Promise<void> {
  await page.waitForFunction(
    (id) => (window as unknown as { __scEvents: ScEvent[] }).__scEvents.some((e) => e.type === 'sc-alert-end' && e.detail?.tipId === id),
    tipId,
    { timeout: SHOW_MS },
  );
}

const startedAlerts = (page: Page) =>
  page.evaluate(() => (window as unknown as { __scEvents: ScEvent[] }).__scEvents.filter((e) => e.type === 'sc-alert-start').map((e) => e.detail?.tipId));

const part = (page: Page, element: string, name: string): Locator => page.locator(`${element} [part="${name}"]`);
const text = (locator: Locator) => locator.evaluate((el) => el.textContent?.replace(/\s+/g, ' ').trim() ?? '');
const color = (locator: Locator, property: 'color' | 'borderTopColor' = 'color') => locator.evaluate((el, p) => getComputedStyle(el)[p], property);
const texts = (locator: Locator) => locator.evaluateAll((els) => els.map((el) => el.textContent?.replace(/\s+/g, ' ').trim() ?? ''));

function expectNoPageErrors(...pages: OverlayPage[]): void {
  for (const { watch } of pages) expect(watch.pageErrors.map((e) => e.message), 'uncaught errors in the page').toEqual([]);
}

/**
 * The README's picture of a widget: the region around it on a dark background. Written when
 * missing or with UPDATE_SCREENSHOTS=1, as in overlay-browser.test.ts, so a test run leaves tracked files alone.
 */
async function screenshot(page: Page, name: string, around: Locator): Promise<void> {
  const file = join(SCREENSHOT_DIR, `${name}.png`);
  if (existsSync(file) && !process.env.UPDATE_SCREENSHOTS) return;
  await page.evaluate(() => {
    document.documentElement.style.background = '#222';
    document.body.style.background = '#222';
  });
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().endTime === Infinity));
  const box = (await around.boundingBox())!;
  const pad = 32;
  const x = Math.max(0, box.x - pad);
  const y = Math.max(0, box.y - pad);
  const clip = { x, y, width: Math.min(VIEWPORT.width, box.x + box.width + pad) - x, height: Math.min(VIEWPORT.height, box.y + box.height + pad) - y };
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await writeFile(file, await page.screenshot({ clip }));
}

describe('overlay studio in a real browser', () => {
  it(
    'settings saved through the API restyle an open alerts page live; a tip above a variation shows it, one below the base, one under the minimum nothing',
    async () => {
      const { client, key, sessionId } = await signUp();
      const alerts = await openOverlay('alerts', key);
      const { page, watch } = alerts;

      await client.widgets.save('alerts', {
        template: 'Base: {name} gave {amount}',
        textColor: '#ffffff',
        accentColor: '#ff4f8b',
        fontFamily: 'serif',
        position: 'bottom',
        durationMs: 1500,
        minAmountCents: 200,
        variations: [{ minAmountCents: 1000, template: 'BIG {amount} from {name}!', textColor: '#ffe066', accentColor: '#00e0ff', animation: 'slide', durationMs: 1500 }],
      });
      await settingsReceived(watch, 2);
      // The theme is on the element already, before any alert: its custom properties, its place.
      await expect.poll(() => page.locator('sc-alert-box').getAttribute('data-position')).toBe('bottom');
      expect(await page.locator('sc-alert-box').evaluate((el) => getComputedStyle(el).getPropertyValue('--sc-font-family'))).toContain('Georgia');

      const big = await client.tips.record({ sessionId, amountCents: 1500, tipperName: 'Vera' });
      await alertShowing(page, big.id);
      await expect.poll(() => text(part(page, 'sc-alert-box', 'text'))).toBe('BIG $15.00 from Vera!');
      expect(await color(part(page, 'sc-alert-box', 'text'))).toBe('rgb(255, 224, 102)');
      expect(await color(part(page, 'sc-alert-box', 'alert'), 'borderTopColor')).toBe('rgb(0, 224, 255)');
      expect(await part(page, 'sc-alert-box', 'alert').getAttribute('data-variation')).toBe('1000');
      expect(await part(page, 'sc-alert-box', 'alert').getAttribute('data-animation')).toBe('slide');
      // Placed by its settings: at the bottom of the 1920×1080 page, centred.
      const box = (await page.locator('sc-alert-box').boundingBox())!;
      expect(Math.round(box.y + box.height)).toBe(VIEWPORT.height - 40);
      expect(Math.abs(box.x + box.width / 2 - VIEWPORT.width / 2)).toBeLessThan(2);
      await alertEnded(page, big.id);

      // Under the minimum: no alert. The next tip's alert is the next one to start (alerts play in order).
      const tiny = await client.tips.record({ sessionId, amountCents: 100, tipperName: 'Quiet' });
      const base = await client.tips.record({ sessionId, amountCents: 500, tipperName: 'Ann' });
      await alertShowing(page, base.id);
      await expect.poll(() => text(part(page, 'sc-alert-box', 'text'))).toBe('Base: Ann gave $5.00');
      expect(await color(part(page, 'sc-alert-box', 'text'))).toBe('rgb(255, 255, 255)');
      expect(await color(part(page, 'sc-alert-box', 'alert'), 'borderTopColor')).toBe('rgb(255, 79, 139)');
      expect(await part(page, 'sc-alert-box', 'alert').getAttribute('data-variation')).toBeNull();
      expect(await startedAlerts(page)).toEqual([big.id, base.id]);
      expect(watch.received('tip_received').map((p) => (p.args[0] as { tip: { id: string } }).tip.id)).toContain(tiny.id);
      expectNoPageErrors(alerts);
    },
    TEST_MS,
  );

  it(
    'a test alert plays on the page, marked as a test, and changes no total, list or leaderboard',
    async () => {
      const { client, key, sessionId } = await signUp();
      await client.tips.record({ sessionId, amountCents: 300, tipperName: 'Real' });
      const alerts = await openOverlay('alerts', key);
      const board = await openOverlay('leaderboard', key);
      await expect.poll(() => texts(part(board.page, 'sc-leaderboard', 'entry'))).toEqual(['1 Real $3.00']);
      const before = await client.sessions.get(sessionId);

      const sent = await client.widgets.testAlert({ amountCents: 2500, tipperName: 'Sample Sam', message: 'Testing 1 2 3' });
      expect(sent.test).toBe(true);
      await alertShowing(alerts.page, sent.tip.id);
      await expect.poll(() => text(part(alerts.page, 'sc-alert-box', 'name'))).toBe('Sample Sam');
      expect(await part(alerts.page, 'sc-alert-box', 'alert').getAttribute('data-test')).toBe('');
      expect(await alerts.page.locator('sc-alert-box').getAttribute('data-test')).toBe('');
      await expect.poll(() => board.watch.received('test_alert').length).toBe(1);

      const after = await client.sessions.get(sessionId);
      expect({ total: after.totalTipsCents, count: after.tipCount, biggest: after.biggestTipCents }).toEqual({
        total: before.totalTipsCents,
        count: before.tipCount,
        biggest: before.biggestTipCents,
      });
      expect((await client.tips.list({ sessionId })).items.map((t) => t.tipperName)).toEqual(['Real']);
      expect(await texts(part(board.page, 'sc-leaderboard', 'entry'))).toEqual(['1 Real $3.00']);
      expectNoPageErrors(alerts, board);
    },
    TEST_MS,
  );

  it(
    'after a reload the recent tips, the leaderboard, the highlights and the reached goal are back',
    async () => {
      const { client, key, sessionId } = await signUp();
      await client.goals.create({ sessionId, title: 'New outfit', targetCents: 1000 });
      for (const tip of [
        { amountCents: 600, tipperName: 'Kai', message: 'first' },
        { amountCents: 500, tipperName: 'Mia' },
        { amountCents: 300, tipperName: 'Kai', message: 'again' },
        { amountCents: 200, isAnonymous: true },
      ]) {
        await client.tips.record({ sessionId, ...tip });
      }
      const pages = await Promise.all(['events', 'leaderboard', 'highlights', 'goal'].map((name) => openOverlay(name, key)));
      const [events, board, highlights, goal] = pages;
      for (const { page } of pages) {
        await page.reload();
      }
      for (const { watch } of pages) await settingsReceived(watch, 2);

      await expect.poll(() => texts(part(events.page, 'sc-event-list', 'name'))).toEqual(['Anonymous', 'Kai', 'Mia', 'Kai']);
      await expect.poll(() => texts(part(board.page, 'sc-leaderboard', 'entry'))).toEqual(['1 Kai $9.00', '2 Mia $5.00']);
      expect(await text(part(board.page, 'sc-leaderboard', 'title'))).toBe('Top tippers');
      await expect.poll(() => text(part(highlights.page, 'sc-tip-highlights', 'last'))).toBe('Last tip: Anonymous $2.00');
      expect(await text(part(highlights.page, 'sc-tip-highlights', 'biggest'))).toBe('Biggest tip: Kai $6.00');
      await expect.poll(() => goal.page.locator('sc-goal-bar').getAttribute('data-state')).toBe('reached');
      expect(await text(part(goal.page, 'sc-goal-bar', 'title'))).toBe('New outfit');
      expect(await text(part(goal.page, 'sc-goal-bar', 'reached'))).toBe('Reached');
      expect(await part(goal.page, 'sc-goal-bar', 'fill').evaluate((el) => (el as HTMLElement).style.width)).toBe('100%');

      // Live after the reload: a tip climbs the board and is the last tip.
      await client.tips.record({ sessionId, amountCents: 1000, tipperName: 'Mia' });
      await expect.poll(() => texts(part(board.page, 'sc-leaderboard', 'entry'))).toEqual(['1 Mia $15.00', '2 Kai $9.00']);
      await expect.poll(() => text(part(highlights.page, 'sc-tip-highlights', 'last'))).toBe('Last tip: Mia $10.00');
      expect(await text(part(highlights.page, 'sc-tip-highlights', 'biggest'))).toBe('Biggest tip: Mia $10.00');

      await screenshot(board.page, 'leaderboard', board.page.locator('sc-leaderboard'));
      await screenshot(highlights.page, 'highlights', highlights.page.locator('sc-tip-highlights'));
      expectNoPageErrors(...pages);
    },
    TEST_MS,
  );

  it(
    'the settings restyle the other widgets too: list length, board title and length, highlights shown, display unit',
    async () => {
      const { client, key, sessionId } = await signUp();
      for (const [amountCents, tipperName] of [[500, 'Ann'], [1000, 'Bob'], [1500, 'Cy']] as const) await client.tips.record({ sessionId, amountCents, tipperName });
      const [events, board, highlights] = await Promise.all(['events', 'leaderboard', 'highlights'].map((name) => openOverlay(name, key)));
      await expect.poll(() => part(events.page, 'sc-event-list', 'item').count()).toBe(3);

      await client.widgets.save('display', { kind: 'tokens', centsPerToken: 5, label: 'tokens' });
      await client.widgets.save('recent', { limit: 2, textColor: '#00ff00' });
      await client.widgets.save('leaderboard', { title: 'Whales', limit: 1 });
      await client.widgets.save('highlights', { show: 'biggest' });
      await expect.poll(() => texts(part(events.page, 'sc-event-list', 'amount'))).toEqual(['300 tokens', '200 tokens']);
      expect(await color(part(events.page, 'sc-event-list', 'name').first())).toBe('rgb(0, 255, 0)');
      await expect.poll(() => texts(part(board.page, 'sc-leaderboard', 'entry'))).toEqual(['1 Cy 300 tokens']);
      expect(await text(part(board.page, 'sc-leaderboard', 'title'))).toBe('Whales');
      await expect.poll(() => part(highlights.page, 'sc-tip-highlights', 'last').count()).toBe(0);
      expect(await text(part(highlights.page, 'sc-tip-highlights', 'biggest'))).toBe('Biggest tip: Cy 300 tokens');
      expectNoPageErrors(events, board, highlights);
    },
    TEST_MS,
  );

  it(
    'a voided tip leaves the recent tips, the leaderboard and the highlights',
    async () => {
      const { client, key, sessionId } = await signUp();
      const mistake = await client.tips.record({ sessionId, amountCents: 9900, tipperName: 'Typo' });
      await client.tips.record({ sessionId, amountCents: 400, tipperName: 'Mia' });
      const [events, board, highlights] = await Promise.all(['events', 'leaderboard', 'highlights'].map((name) => openOverlay(name, key)));
      await expect.poll(() => texts(part(events.page, 'sc-event-list', 'name'))).toEqual(['Mia', 'Typo']);
      await expect.poll(() => texts(part(board.page, 'sc-leaderboard', 'entry'))).toEqual(['1 Typo $99.00', '2 Mia $4.00']);
      await expect.poll(() => text(part(highlights.page, 'sc-tip-highlights', 'biggest'))).toBe('Biggest tip: Typo $99.00');

      await client.tips.void(mistake.id, { reason: 'typed 9900 for 99' });
      await expect.poll(() => texts(part(events.page, 'sc-event-list', 'name'))).toEqual(['Mia']);
      await expect.poll(() => texts(part(board.page, 'sc-leaderboard', 'entry'))).toEqual(['1 Mia $4.00']);
      await expect.poll(() => text(part(highlights.page, 'sc-tip-highlights', 'biggest'))).toBe('Biggest tip: Mia $4.00');
      expect(await text(part(highlights.page, 'sc-tip-highlights', 'last'))).toBe('Last tip: Mia $4.00');
      expectNoPageErrors(events, board, highlights);
    },
    TEST_MS,
  );
});
