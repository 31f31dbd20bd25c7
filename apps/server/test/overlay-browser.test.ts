import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CreatorClient, RECORD_EVENTS_SCRIPT, SocketWatch, TcpProxy, decodePng, repoRoot, scEvents, type Png, type ScEvent } from './support/overlay-harness.ts';
import { failOnCspViolations } from './support/csp-violations.ts';
import { useServerAndBrowser } from './support/real-server.ts';

/**
 * The OBS overlay pages in a real browser (Debian's chromium through playwright-core)
 * against the real server, started as a child process on embedded PGlite. Each test signs
 * up its own creator, so tests never see each other's tips. Waits end on a DOM state, a
 * recorded CustomEvent or a socket.io packet, never on a timer.
 */

const HOOK_MS = 120_000;
const TEST_MS = 90_000;
/** How long a page may take to show what the server sent it. */
const SHOW_MS = 20_000;
const VIEWPORT = { width: 1920, height: 1080 };
const SCREENSHOT_DIR = join(repoRoot, 'packages/overlay-widgets/docs/screenshots');

const live = useServerAndBrowser({
  dataDirPrefix: 'sc-overlay-browser-',
  requires: [{ file: 'packages/overlay-widgets/dist/pages/alerts.html', build: 'npm run build -w @streaming-companion/overlay-widgets' }],
  hookMs: HOOK_MS,
});

interface OverlayPage {
  page: Page;
  watch: SocketWatch;
  /** What the page logged on its console, in order. */
  console: string[];
}

const csp = failOnCspViolations();

/** Opens `/overlay/<name>` in a fresh 1920×1080 context, recording the widgets' events and the socket traffic. */
async function openOverlay(
  name: string,
  {
    key,
    session,
    query = {},
    viewport = VIEWPORT,
    origin = live.base,
  }: { key?: string; session?: string; query?: Record<string, string>; viewport?: { width: number; height: number }; origin?: string },
): Promise<OverlayPage> {
  const context = await live.newContext({ viewport, locale: 'en-US', timezoneId: 'UTC' });
  context.setDefaultTimeout(SHOW_MS);
  await context.addInitScript(RECORD_EVENTS_SCRIPT);
  await csp.context(context);
  const page = await context.newPage();
  const watch = new SocketWatch(page);
  const messages: string[] = [];
  csp.page(page);
  page.on('console', (message) => messages.push(message.text()));
  const params = new URLSearchParams(query);
  if (session) params.set('session', session);
  const search = params.size ? `?${params}` : '';
  const response = await page.goto(`${origin}/overlay/${name}${search}${key ? `#key=${encodeURIComponent(key)}` : ''}`);
  expect(response?.status()).toBe(200);
  return { page, watch, console: messages };
}

/** Resolves once the server has answered the page's n-th `join_overlay` (an ack, or the `session_updated` it sends a joined socket). */
async function joined(watch: SocketWatch, n = 1): Promise<void> {
  await expect
    .poll(() => Math.max(watch.acks().length, watch.received('session_updated').length), {
      timeout: SHOW_MS,
      message: `the page's join_overlay #${n} was never answered:\n${watch.describe()}`,
    })
    .toBeGreaterThanOrEqual(n);
}

async function waitForEvents(page: Page, count: number, type?: ScEvent['type']): Promise<ScEvent[]> {
  await expect
    .poll(async () => (await scEvents(page)).filter((e) => !type || e.type === type).length, { timeout: SHOW_MS * 2 })
    .toBeGreaterThanOrEqual(count);
  return (await scEvents(page)).filter((e) => !type || e.type === type);
}

const alertPart = (page: Page, part: string): Locator => page.locator(`sc-alert-box [part="${part}"]`);

/** Waits for the alert of this tip to be on screen (started and not yet ended). */
async function alertShowing(page: Page, tipId: string): Promise<void> {
  await page.waitForFunction(
    (id) => {
      const events = (window as unknown as { __scEvents: ScEvent[] }).__scEvents;
      const started = events.some((e) => e.type === 'sc-alert-start' && e.detail?.tipId === id);
      const ended = events.some((e) => e.type === 'sc-alert-end' && e.detail?.tipId === id);
      return started && !ended;
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

/** Lets every finite CSS/Web animation on the page (shadow trees included) run out, so a screenshot shows the settled state. */
async function animationsSettled(page: Page): Promise<void> {
  await page.waitForFunction(() =>
    document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().endTime === Infinity),
  );
}

async function transparentScreenshot(page: Page): Promise<Png> {
  const png = decodePng(await page.screenshot({ omitBackground: true }));
  expect(png.colorType, 'the screenshot has an alpha channel (RGBA)').toBe(6);
  expect(png.bitDepth).toBe(8);
  return png;
}

function corners(png: Png): Array<[number, number, number, number]> {
  const [w, h] = [png.width - 1, png.height - 1];
  return [png.pixel(0, 0), png.pixel(w, 0), png.pixel(0, h), png.pixel(w, h)];
}

/** Whether every pixel is fully transparent (nothing drawn at all: no error text, no spinner, no placeholder). */
function blank(png: Png): boolean {
  for (let y = 0; y < png.height; y++) for (let x = 0; x < png.width; x++) if (png.pixel(x, y)[3] !== 0) return false;
  return true;
}

function expectNoPageErrors(watch: SocketWatch): void {
  expect(watch.pageErrors.map((e) => e.message), 'uncaught errors in the page').toEqual([]);
}

/** A 1×1 opaque PNG. */
const ONE_PIXEL_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');

const text = (locator: Locator) => locator.evaluate((el) => el.textContent?.trim() ?? '');

describe('overlay pages in a real browser', () => {
  it(
    'shows a tip posted through the API in the alert box: name, amount and message',
    async () => {
      const creator = await CreatorClient.signup(() => live.base);
      const sessionId = await creator.startSession();
      const { page, watch } = await openOverlay('alerts', { key: await creator.overlayKey(), query: { duration: '1500', currency: 'USD' } });
      await joined(watch);

      const tip = await creator.tip(sessionId, { amountCents: 1234, tipperName: 'Alice', message: 'Hello from the test' });
      await alertShowing(page, tip.id);
      await expect.poll(() => text(alertPart(page, 'name'))).toBe('Alice');
      await expect.poll(() => text(alertPart(page, 'amount'))).toMatch(/\$\s?12\.34/);
      await expect.poll(() => text(alertPart(page, 'message'))).toBe('Hello from the test');
      await alertPart(page, 'alert').waitFor({ state: 'visible' });
      const [start] = await waitForEvents(page, 1, 'sc-alert-start');
      expect(start.detail).toMatchObject({ tipId: tip.id, tipperName: 'Alice', amountCents: 1234 });

      // A tokens-only tip shows tokens (the session is on chaturbate); a tip without a name shows "Anonymous".
      const tokens = await creator.tip(sessionId, { tokens: 25 });
      await alertShowing(page, tokens.id);
      await expect.poll(() => text(alertPart(page, 'amount'))).toMatch(/\b25\s*tokens?\b/i);
      await expect.poll(() => text(alertPart(page, 'name'))).toBe('Anonymous');
      await alertEnded(page, tokens.id);
      expectNoPageErrors(watch);
    },
    TEST_MS,
  );

  it(
    'plays five tips posted back to back one after another, in posting order, never overlapping',
    async () => {
      const creator = await CreatorClient.signup(() => live.base);
      const sessionId = await creator.startSession();
      const { page, watch } = await openOverlay('alerts', { key: await creator.overlayKey(), query: { duration: '300' } });
      await joined(watch);
      // Sample the alert box on every frame: never more than one alert element at once.
      await page.evaluate(() => {
        const w = window as unknown as { __maxAlerts: number };
        w.__maxAlerts = 0;
        const sample = () => {
          const root = document.querySelector('sc-alert-box')?.shadowRoot;
          w.__maxAlerts = Math.max(w.__maxAlerts, root?.querySelectorAll('[part="alert"]').length ?? 0);
          requestAnimationFrame(sample);
        };
        requestAnimationFrame(sample);
      });

      const posted = [];
      for (let i = 1; i <= 5; i++) posted.push(await creator.tip(sessionId, { amountCents: i * 100, tipperName: `Burst ${i}` }));
      const ids = posted.map((t) => t.id);

      const events = await waitForEvents(page, 10);
      expect(events.map((e) => e.type)).toEqual(Array.from({ length: 10 }, (_, i) => (i % 2 ? 'sc-alert-end' : 'sc-alert-start')));
      expect(events.filter((e) => e.type === 'sc-alert-start').map((e) => e.detail?.tipId)).toEqual(ids);
      expect(events.filter((e) => e.type === 'sc-alert-end').map((e) => e.detail?.tipId)).toEqual(ids);
      expect(events.filter((e) => e.type === 'sc-alert-start').map((e) => e.detail?.tipperName)).toEqual(['Burst 1', 'Burst 2', 'Burst 3', 'Burst 4', 'Burst 5']);
      for (let i = 1; i < events.length; i++) expect(events[i].at).toBeGreaterThanOrEqual(events[i - 1].at);
      // Each alert stays up for about its duration (entrance and exit animations come on top).
      for (let i = 0; i < 10; i += 2) expect(events[i + 1].at - events[i].at).toBeGreaterThanOrEqual(250);
      // It was a real burst: the page had the second tip while the first alert was still up, so the queue did the spacing.
      const received = watch.received('tip_received');
      expect(received.map((p) => (p.args[0] as { tip: { id: string } }).tip.id)).toEqual(ids);
      expect(received[1].at).toBeLessThan(events[1].at);
      expect(await page.evaluate(() => (window as unknown as { __maxAlerts: number }).__maxAlerts)).toBe(1);
      expectNoPageErrors(watch);
    },
    TEST_MS,
  );

  it(
    'shows a tipper name like <img src=x onerror=alert(1)> literally and runs nothing',
    async () => {
      const creator = await CreatorClient.signup(() => live.base);
      const sessionId = await creator.startSession();
      const { page, watch } = await openOverlay('alerts', { key: await creator.overlayKey(), query: { duration: '2000' } });
      const dialogs: string[] = [];
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      const strayRequests: string[] = [];
      page.on('request', (req) => {
        if (/\/(x|y)(\?|$)/.test(new URL(req.url()).pathname)) strayRequests.push(req.url());
      });
      await joined(watch);

      const name = '<img src=x onerror=alert(1)>';
      const message = '<img src=y onerror="window.__xss=1"><script>window.__xss=2</script><b>bold?</b>';
      const tip = await creator.tip(sessionId, { amountCents: 500, tipperName: name, message });
      expect(tip.tipperName).toBe(name); // stored as given: escaping is the renderer's job
      await alertShowing(page, tip.id);

      await expect.poll(() => alertPart(page, 'name').evaluate((el) => el.textContent)).toBe(name);
      await expect.poll(() => alertPart(page, 'message').evaluate((el) => el.textContent)).toBe(message);
      expect(await alertPart(page, 'alert').evaluate((el) => el.querySelectorAll('img, script, b').length)).toBe(0);
      expect(await page.locator('sc-alert-box img, sc-alert-box script').count()).toBe(0);
      await alertEnded(page, tip.id);
      expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
      expect(dialogs).toEqual([]);
      expect(strayRequests).toEqual([]);
      expectNoPageErrors(watch);
    },
    TEST_MS,
  );

  it(
    'keeps long names and messages inside the 1920×1080 canvas',
    async () => {
      const creator = await CreatorClient.signup(() => live.base);
      const sessionId = await creator.startSession();
      const { page, watch } = await openOverlay('alerts', { key: await creator.overlayKey(), query: { duration: '60000' } });
      await joined(watch);
      const tip = await creator.tip(sessionId, {
        amountCents: 99_999,
        tipperName: 'W'.repeat(64),
        message: `${'Supercalifragilisticexpialidocious'.repeat(8)} ${'very long message '.repeat(20)}`.slice(0, 500),
      });
      await alertShowing(page, tip.id);
      await expect.poll(() => alertPart(page, 'alert').getAttribute('data-state'), { timeout: SHOW_MS }).toBe('showing');
      await animationsSettled(page);
      for (const part of ['alert', 'name', 'amount', 'message']) {
        const box = await alertPart(page, part).boundingBox();
        expect(box, part).not.toBeNull();
        expect(box!.x, part).toBeGreaterThanOrEqual(0);
        expect(box!.y, part).toBeGreaterThanOrEqual(0);
        expect(box!.x + box!.width, part).toBeLessThanOrEqual(VIEWPORT.width);
        expect(box!.y + box!.height, part).toBeLessThanOrEqual(VIEWPORT.height);
      }
      expectNoPageErrors(watch);
    },
    TEST_MS,
  );

  it(
    'styles alerts by tier from the URL options and plays a tier animation on the page canvas',
    async () => {
      const creator = await CreatorClient.signup(() => live.base);
      const sessionId = await creator.startSession();
      const { page, watch } = await openOverlay('alerts', {
        key: await creator.overlayKey(),
        query: { duration: '500', tiers: '100:small,1000:big', 'tier-big-animation': 'confetti' },
      });
      await joined(watch);
      const drawnPixels = () =>
        page.evaluate(() => {
          const canvas = document.querySelector('sc-animation-layer')?.shadowRoot?.querySelector('canvas');
          if (!canvas || !canvas.width || !canvas.height) return 0;
          const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
          let drawn = 0;
          for (let i = 3; i < data.length; i += 4) if (data[i] > 0) drawn++;
          return drawn;
        });
      expect(await page.locator('sc-animation-layer canvas[part="canvas"]').count()).toBe(1);
      expect(await drawnPixels()).toBe(0);

      const expected: Array<[number, string]> = [[150, 'small'], [50, 'default'], [1500, 'big']];
      for (const [amountCents, tier] of expected) {
        const tip = await creator.tip(sessionId, { amountCents, tipperName: `Tier ${tier}` });
        await alertShowing(page, tip.id);
        expect(await alertPart(page, 'alert').getAttribute('data-tier')).toBe(tier);
        if (tier === 'big') {
          // The big tier's confetti is on the canvas while its alert shows.
          await page.waitForFunction(() => (window as unknown as { __scEvents: ScEvent[] }).__scEvents.some((e) => e.type === 'sc-animation-start'));
          await expect.poll(drawnPixels, { timeout: SHOW_MS }).toBeGreaterThan(0);
        }
        await alertEnded(page, tip.id);
      }
      const animations = (await scEvents(page)).filter((e) => e.type === 'sc-animation-start');
      expect(animations.map((e) => e.detail)).toEqual([{ type: 'confetti' }]);
      expectNoPageErrors(watch);
    },
    TEST_MS,
  );

  it(
    "moves the goal bar with goal_progress, celebrates on goal_completed, then shows the next goal",
    async () => {
      const creator = await CreatorClient.signup(() => live.base);
      const sessionId = await creator.startSession();
      await creator.goal(sessionId, 'New outfit', 1000);
      const { page, watch } = await openOverlay('goal', { key: await creator.overlayKey(), query: { currency: 'USD' } });
      await joined(watch);
      const part = (name: string) => page.locator(`sc-goal-bar [part="${name}"]`);
      const width = () => part('fill').evaluate((el) => (el as HTMLElement).style.width);

      // The state on join: a freshly added source is never blank mid-stream.
      await expect.poll(() => text(part('title')), { timeout: SHOW_MS }).toBe('New outfit');
      await expect.poll(width, { timeout: SHOW_MS }).toMatch(/^0(\.0+)?%$/);

      await creator.tip(sessionId, { amountCents: 200, tipperName: 'Goal Tipper' });
      await expect.poll(width, { timeout: SHOW_MS }).toMatch(/^20(\.0+)?%$/);
      await expect.poll(() => text(part('amount')), { timeout: SHOW_MS }).toMatch(/\$\s?2(\.00)?\b.*\$\s?10(\.00)?\b/);

      await creator.tip(sessionId, { amountCents: 350 });
      await expect.poll(width, { timeout: SHOW_MS }).toMatch(/^55(\.0+)?%$/);

      await creator.goal(sessionId, 'Second goal', 500);
      await creator.tip(sessionId, { amountCents: 450 });
      await part('celebration').waitFor({ state: 'visible' });
      await page.locator('sc-goal-bar [data-state="celebrating"], sc-goal-bar[data-state="celebrating"]').first().waitFor({ state: 'attached' });
      expect(watch.received('goal_completed').map((p) => (p.args[0] as { title: string }).title)).toEqual(['New outfit']);

      // Then the next goal, from zero.
      await expect.poll(() => text(part('title')), { timeout: SHOW_MS * 2 }).toBe('Second goal');
      await expect.poll(width, { timeout: SHOW_MS }).toMatch(/^0(\.0+)?%$/);
      expectNoPageErrors(watch);
    },
    TEST_MS,
  );

  it(
    'lists the last N tips, newest first (page joined by ?session= instead of a key)',
    async () => {
      const creator = await CreatorClient.signup(() => live.base);
      const sessionId = await creator.startSession();
      const { page, watch } = await openOverlay('events', { session: sessionId, query: { limit: '3', currency: 'USD' } });
      await joined(watch);
      expect(watch.sent('join_overlay')[0]?.args[0]).toEqual({ sessionId });
      for (const [i, name] of ['First', 'Second', 'Third', 'Fourth'].entries()) await creator.tip(sessionId, { amountCents: (i + 1) * 100, tipperName: name });
      const items = page.locator('sc-event-list [part="item"]');
      // Broadcasts go out after each commit, so the last tip may still be on its way when its POST returns.
      await expect.poll(() => items.first().textContent(), { timeout: SHOW_MS }).toContain('Fourth');
      expect(await items.count()).toBe(3);
      const texts = await items.evaluateAll((els) => els.map((el) => el.textContent ?? ''));
      expect(texts[0]).toContain('Fourth');
      expect(texts[1]).toContain('Third');
      expect(texts[2]).toContain('Second');
      expect(texts[0]).toMatch(/\$\s?4\.00/);
      expectNoPageErrors(watch);
    },
    TEST_MS,
  );

  it(
    'takes the overlay key from the URL fragment only: a page with ?key= never joins, and says where the key goes',
    async () => {
      const creator = await CreatorClient.signup(() => live.base);
      const key = await creator.overlayKey();
      const inQuery = await openOverlay('alerts', { query: { key, duration: '1500' } });
      const inFragment = await openOverlay('alerts', { key, query: { duration: '1500' } });
      await joined(inFragment.watch);

      const sessionId = await creator.startSession();
      const tip = await creator.tip(sessionId, { amountCents: 500, tipperName: 'Fragment Only' });
      await alertShowing(inFragment.page, tip.id);
      // By now a page that had joined would have had the session and the tip too.
      expect(inQuery.watch.sent('join_overlay')).toEqual([]);
      expect(await scEvents(inQuery.page)).toEqual([]);
      expect(await inQuery.page.locator('sc-alert-box').getAttribute('overlay-key')).toBeNull();
      expect(inQuery.console.filter((line) => line.includes('the overlay key in the query (?key=) is ignored'))).toHaveLength(1);
      expectNoPageErrors(inQuery.watch);
    },
    TEST_MS,
  );

  it(
    'has a transparent background on every page (computed style and screenshot corner pixels)',
    async () => {
      const creator = await CreatorClient.signup(() => live.base);
      const sessionId = await creator.startSession();
      const key = await creator.overlayKey();
      for (const name of ['alerts', 'goal', 'events', 'animations', 'all']) {
        const { page, watch } = await openOverlay(name, { key, query: { duration: '60000' } });
        await joined(watch);
        const backgrounds = await page.evaluate(() => [getComputedStyle(document.documentElement).backgroundColor, getComputedStyle(document.body).backgroundColor]);
        expect(backgrounds, name).toEqual(['rgba(0, 0, 0, 0)', 'rgba(0, 0, 0, 0)']);
        const png = await transparentScreenshot(page);
        expect([png.width, png.height]).toEqual([VIEWPORT.width, VIEWPORT.height]);
        for (const pixel of corners(png)) expect(pixel[3], `${name}: corner alpha`).toBe(0);
        expectNoPageErrors(watch);
      }

      // With an alert on screen the corners stay clear, and the screenshot does capture the alert (the check is not vacuous).
      const shown = await openOverlay('alerts', { key, query: { duration: '60000' } });
      await joined(shown.watch);
      const tip = await creator.tip(sessionId, { amountCents: 700, tipperName: 'Corner Check' });
      await alertShowing(shown.page, tip.id);
      await expect.poll(() => alertPart(shown.page, 'alert').getAttribute('data-state')).toBe('showing');
      await animationsSettled(shown.page);
      const png = await transparentScreenshot(shown.page);
      for (const pixel of corners(png)) expect(pixel[3], 'corner alpha with an alert showing').toBe(0);
      const box = (await alertPart(shown.page, 'alert').boundingBox())!;
      const center = png.pixel(Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2));
      expect(center[3], 'the alert itself is drawn').toBeGreaterThan(0);
    },
    TEST_MS * 2,
  );

  it(
    'between sessions shows nothing, comes alive without a reload when a session starts, and clears when it ends',
    async () => {
      const creator = await CreatorClient.signup(() => live.base);
      const { page, watch } = await openOverlay('all', { key: await creator.overlayKey(), query: { duration: '2000' } });
      await expect.poll(() => watch.sent('join_overlay').length, { timeout: SHOW_MS }).toBeGreaterThanOrEqual(1);
      // The join is answered before the session exists, so the page really is waiting, not joining late.
      await expect
        .poll(() => watch.acks().length, { timeout: SHOW_MS, message: `join_overlay was sent without an ack:\n${watch.describe()}` })
        .toBeGreaterThanOrEqual(1);
      await animationsSettled(page);
      expect(blank(await transparentScreenshot(page)), 'nothing drawn while no session is live').toBe(true);

      const sessionId = await creator.startSession();
      await creator.goal(sessionId, 'Tonight', 1000);
      const tip = await creator.tip(sessionId, { amountCents: 300, tipperName: 'First of the night' });
      await alertShowing(page, tip.id);
      await expect.poll(() => text(alertPart(page, 'name'))).toBe('First of the night');
      await expect.poll(() => page.locator('sc-event-list [part="item"]').count()).toBe(1);
      await expect.poll(() => text(page.locator('sc-goal-bar [part="title"]'))).toBe('Tonight');
      await alertEnded(page, tip.id);

      // The session ends: the goal bar and the tip list go away, nothing is left on screen.
      await creator.call('POST', `/api/sessions/${sessionId}/end`);
      await expect.poll(async () => blank(await transparentScreenshot(page)), { timeout: SHOW_MS, message: 'still drawing after the session ended' }).toBe(true);

      // The next session, same page, same connection.
      const next = await creator.startSession();
      const second = await creator.tip(next, { amountCents: 400, tipperName: 'Next night' });
      await alertShowing(page, second.id);
      await expect.poll(() => page.locator('sc-event-list [part="item"]').evaluateAll((els) => els.map((el) => el.textContent ?? ''))).toEqual([
        expect.stringContaining('Next night'),
      ]);
      expect(watch.attempts, 'one connection, no reload or reconnect').toBe(1);
      expectNoPageErrors(watch);
    },
    TEST_MS,
  );

  it(
    'plays a tip sent during a short network drop once the page is back (connection-state recovery)',
    async () => {
      const creator = await CreatorClient.signup(() => live.base);
      const sessionId = await creator.startSession();
      const proxy = new TcpProxy(live.port);
      try {
        const { page, watch } = await openOverlay('alerts', { key: await creator.overlayKey(), query: { duration: '1000' }, origin: await proxy.listen() });
        await joined(watch);
        // One broadcast received before the drop: it gives the client the offset it recovers from.
        const before = await creator.tip(sessionId, { amountCents: 100, tipperName: 'Before the drop' });
        await alertEnded(page, before.id);
        const connects = () => watch.packets.filter((p) => p.direction === 'received' && p.type === 0).map((p) => (p.args[0] as { sid?: string }).sid);
        const [sid] = connects();

        const { drops, attempts } = watch;
        proxy.cut();
        await expect.poll(() => watch.drops, { timeout: SHOW_MS, message: 'the page never noticed the drop' }).toBeGreaterThan(drops);
        // Straight to the server while the page is cut off: only recovery can bring this one to the page.
        const missed = await creator.tip(sessionId, { amountCents: 200, tipperName: 'During the drop' });
        await expect.poll(() => watch.attempts, { timeout: SHOW_MS, message: 'the page never tried to reconnect' }).toBeGreaterThan(attempts);
        proxy.mend();

        await alertShowing(page, missed.id);
        await expect.poll(() => text(alertPart(page, 'name'))).toBe('During the drop');
        // The same socket id again: the server restored the session rather than starting a new one.
        expect(connects()).toEqual([sid, sid]);
        expectNoPageErrors(watch);
      } finally {
        await proxy.close();
      }
    },
    TEST_MS,
  );

  it(
    'recovers after the server is stopped and started again: nothing broken on screen meanwhile, the next tip shows',
    async () => {
      const creator = await CreatorClient.signup(() => live.base);
      const sessionId = await creator.startSession();
      const { page, watch } = await openOverlay('alerts', { key: await creator.overlayKey(), query: { duration: '1000' } });
      await joined(watch);
      const before = await creator.tip(sessionId, { amountCents: 100, tipperName: 'Before restart' });
      await alertEnded(page, before.id);
      await animationsSettled(page);

      const { drops, attempts } = watch;
      expect(await live.server.stop()).toBe(0);
      expect(live.server.errors(), 'error lines in the server log').toEqual([]);
      await expect.poll(() => watch.drops, { timeout: SHOW_MS, message: 'the page never noticed the server went away' }).toBeGreaterThan(drops);
      // Let it try to reconnect at least once, and fail, before looking: no error text, no spinner.
      await expect.poll(() => watch.attempts, { timeout: SHOW_MS, message: 'the page never tried to reconnect' }).toBeGreaterThan(attempts);
      await expect.poll(() => watch.drops, { timeout: SHOW_MS, message: 'the reconnection attempt never failed' }).toBeGreaterThan(drops + 1);
      await animationsSettled(page);
      expect(blank(await transparentScreenshot(page)), 'nothing drawn while the server is down').toBe(true);

      const joinsBefore = Math.max(watch.acks().length, watch.received('session_updated').length);
      await live.restart();
      await joined(watch, joinsBefore + 1);
      const after = await creator.tip(sessionId, { amountCents: 200, tipperName: 'After restart' });
      await alertShowing(page, after.id);
      await expect.poll(() => text(alertPart(page, 'name'))).toBe('After restart');
      expectNoPageErrors(watch);
    },
    HOOK_MS,
  );
});

describe('the tip menu and animations in a real browser', () => {
  const menuTitles = (page: Page) => page.locator('sc-tip-menu').locator('[part="title"]').allTextContents();

  it(
    'shows the menu on /overlay/menu as soon as it loads, follows every edit live, and highlights an item when a tip buys it',
    async () => {
      const creator = await CreatorClient.signup(() => live.base);
      const sessionId = await creator.startSession();
      const flash = await creator.call<{ id: string }>('POST', '/api/menu', { title: 'Flash', priceCents: 500, emoji: '📸' });
      await creator.call('POST', '/api/menu', { title: '<b>Dance</b>', priceCents: 1_000, priceTokens: 200 });
      const { page, watch } = await openOverlay('menu', { key: await creator.overlayKey(), query: { columns: '2', 'font-size': '30', 'accent-color': '#ff00aa' } });
      await joined(watch);

      // Sent on join: a reloaded OBS source is never blank. Viewer-supplied text stays text.
      await expect.poll(() => menuTitles(page)).toEqual(['Flash', '<b>Dance</b>']);
      expect(await page.locator('sc-tip-menu').locator('b').count()).toBe(0);
      const prices = await page.locator('sc-tip-menu').locator('[part="price"]').allTextContents();
      expect(prices[0]).toMatch(/\$\s?5\.00/);
      expect(prices[1]).toMatch(/200\s*tokens/);
      expect(await page.locator('sc-tip-menu').locator('[part="menu"]').evaluate((el) => getComputedStyle(el).gridTemplateColumns.split(' ').length)).toBe(2);

      // Edits reach the page without a reload.
      await creator.call('PATCH', `/api/menu/${flash.id}`, { title: 'Flash (quick)' });
      await creator.call('POST', '/api/menu', { title: 'Song', priceCents: 1_500 });
      await expect.poll(() => menuTitles(page)).toEqual(['Flash (quick)', '<b>Dance</b>', 'Song']);
      await creator.call('POST', `/api/menu/${flash.id}/toggle`);
      await expect.poll(() => menuTitles(page)).toEqual(['<b>Dance</b>', 'Song']);

      // A tip naming an item buys it: that item lights up with the buyer's name.
      await creator.tip(sessionId, { amountCents: 1_500, tipperName: 'Kai', message: 'Song' });
      const song = page.locator('sc-tip-menu').locator('[part="item"][data-highlight]');
      await song.waitFor();
      expect(await song.locator('[part="title"]').textContent()).toBe('Song');
      expect((await song.locator('[part="buyer"]').textContent())?.replace(/\s+/g, ' ').trim()).toBe('Kai bought this');
      expectNoPageErrors(watch);
    },
    TEST_MS,
  );

  it(
    'draws an animation triggered through the API on /overlay/animations: pixels on the canvas, at the intensity asked for',
    async () => {
      const creator = await CreatorClient.signup(() => live.base);
      const sessionId = await creator.startSession();
      const { page, watch } = await openOverlay('animations', { key: await creator.overlayKey() });
      await joined(watch);
      const drawnPixels = () =>
        page.evaluate(() => {
          const canvas = document.querySelector('sc-animation-layer')?.shadowRoot?.querySelector('canvas');
          if (!canvas || !canvas.width || !canvas.height) return 0;
          const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
          let drawn = 0;
          for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) drawn++;
          return drawn;
        });
      expect(await drawnPixels()).toBe(0);

      await creator.call('POST', '/api/animations/trigger', { sessionId, type: 'confetti', metadata: { intensity: 10 } });
      await page.waitForFunction(() => (window as unknown as { __scEvents: ScEvent[] }).__scEvents.some((e) => e.type === 'sc-animation-start'));
      await expect.poll(drawnPixels, { timeout: SHOW_MS }).toBeGreaterThan(0);
      const [start] = (await scEvents(page)).filter((e) => e.type === 'sc-animation-start');
      expect(start!.detail).toMatchObject({ type: 'confetti', intensity: 10 });
      expectNoPageErrors(watch);
    },
    TEST_MS,
  );

  it(
    'plays a custom animation from an https image URL under the page\'s Content-Security-Policy',
    async () => {
      const creator = await CreatorClient.signup(() => live.base);
      const sessionId = await creator.startSession();
      const { page, watch } = await openOverlay('animations', { key: await creator.overlayKey() });
      // The creator's image host, answered by the browser context (the test machine has no internet).
      const requested: string[] = [];
      await page.context().route('https://media.example.test/**', (route) => {
        requested.push(route.request().url());
        return route.fulfill({ contentType: 'image/png', body: ONE_PIXEL_PNG });
      });
      await joined(watch);

      const url = 'https://media.example.test/sparkles.png';
      await creator.call('POST', '/api/animations/trigger', { sessionId, type: 'custom', metadata: { url } });
      const image = page.locator('sc-animation-layer img[part="media"]');
      await image.waitFor({ state: 'attached' });
      await expect.poll(() => image.evaluate((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth), { timeout: SHOW_MS }).toBe(1);
      expect(requested).toEqual([url]);
      expectNoPageErrors(watch);
    },
    TEST_MS,
  );
});

describe('README screenshots', () => {
  /**
   * The README's images: written when missing or when UPDATE_SCREENSHOTS=1 is set, so an
   * ordinary test run does not rewrite tracked files (the confetti differs on every run).
   */
  async function keep(name: string, png: Buffer): Promise<void> {
    const file = join(SCREENSHOT_DIR, `${name}.png`);
    if (existsSync(file) && !process.env.UPDATE_SCREENSHOTS) return;
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    await writeFile(file, png);
  }

  /** Shows the page on a dark background (for the README only) and saves the region around `around`. */
  async function save(page: Page, name: string, around: Locator[]): Promise<void> {
    await page.evaluate(() => {
      document.documentElement.style.background = '#222';
      document.body.style.background = '#222';
    });
    await animationsSettled(page);
    const boxes = (await Promise.all(around.map((l) => l.boundingBox()))).filter((b) => b !== null);
    expect(boxes.length).toBeGreaterThan(0);
    const pad = 32;
    const x = Math.max(0, Math.min(...boxes.map((b) => b.x)) - pad);
    const y = Math.max(0, Math.min(...boxes.map((b) => b.y)) - pad);
    const right = Math.min(VIEWPORT.width, Math.max(...boxes.map((b) => b.x + b.width)) + pad);
    const bottom = Math.min(VIEWPORT.height, Math.max(...boxes.map((b) => b.y + b.height)) + pad);
    await keep(name, await page.screenshot({ clip: { x, y, width: right - x, height: bottom - y } }));
  }

  it(
    'saves a screenshot of each widget showing something',
    async () => {
      const creator = await CreatorClient.signup(() => live.base, 'Screenshots');
      const sessionId = await creator.startSession();
      const key = await creator.overlayKey();
      await creator.goal(sessionId, 'New outfit', 5000);

      const alerts = await openOverlay('alerts', { key, query: { duration: '60000', currency: 'USD' } });
      const goal = await openOverlay('goal', { key, query: { currency: 'USD' } });
      const events = await openOverlay('events', { key, query: { limit: '5', currency: 'USD' } });
      await Promise.all([alerts, goal, events].map(({ watch }) => joined(watch)));

      const tips = [
        { amountCents: 500, tipperName: 'Luna', message: 'Love the stream!' },
        { tokens: 50, tipperName: 'Kai', message: 'For the outfit' },
        { amountCents: 250, tipperName: 'Mia' },
        { amountCents: 2500, tipperName: 'NightOwl', message: 'Happy birthday!' },
      ];
      const posted = [];
      for (const tip of tips) posted.push(await creator.tip(sessionId, tip));

      await alertShowing(alerts.page, posted[0].id);
      await expect.poll(() => alertPart(alerts.page, 'alert').getAttribute('data-state')).toBe('showing');
      await save(alerts.page, 'alerts', [alertPart(alerts.page, 'alert')]);

      await expect.poll(() => goal.page.locator('sc-goal-bar [part="fill"]').evaluate((el) => (el as HTMLElement).style.width)).not.toMatch(/^0(\.0+)?%$/);
      await save(goal.page, 'goal', [goal.page.locator('sc-goal-bar [part="goal"]')]);

      await expect.poll(() => events.page.locator('sc-event-list [part="item"]').count()).toBe(4);
      await save(events.page, 'events', [events.page.locator('sc-event-list [part="item"]').first(), events.page.locator('sc-event-list [part="item"]').last()]);

      // No animations plugin yet: play confetti through the element's own trigger(), as animation_trigger would.
      const animations = await openOverlay('animations', { key, viewport: { width: 960, height: 540 } });
      await joined(animations.watch);
      const layer = animations.page.locator('sc-animation-layer');
      expect(await animations.page.locator('sc-animation-layer canvas[part="canvas"]').count()).toBe(1);
      await animations.page.evaluate(() => {
        const w = window as unknown as { __frames: number };
        w.__frames = 0;
        const count = () => {
          w.__frames++;
          requestAnimationFrame(count);
        };
        requestAnimationFrame(count);
      });
      expect(await layer.evaluate((el) => (el as HTMLElement & { trigger(type: string): boolean }).trigger('confetti'))).toBe(true);
      await waitForEvents(animations.page, 1, 'sc-animation-start');
      // About a second and a quarter of frames, so the burst has spread over the screen.
      await animations.page.waitForFunction(() => (window as unknown as { __frames: number }).__frames >= 75);
      await animations.page.evaluate(() => {
        document.documentElement.style.background = '#222';
        document.body.style.background = '#222';
      });
      await keep('animations', await animations.page.screenshot());
      for (const { watch } of [alerts, goal, events, animations]) expectNoPageErrors(watch);
    },
    TEST_MS,
  );
});
