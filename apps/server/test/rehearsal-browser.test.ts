import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CreatorClient, RECORD_EVENTS_SCRIPT, SocketWatch, scEvents } from './support/overlay-harness.ts';
import { failOnCspViolations } from './support/csp-violations.ts';
import { useServerAndBrowser } from './support/real-server.ts';

/**
 * A rehearsal played into the real alert-box overlay page, in Debian's chromium, against the
 * real server (a child process on embedded PGlite, every first-party plugin loaded). Waits end
 * on a recorded CustomEvent, a socket.io packet or an API answer, never on a timer.
 */

const HOOK_MS = 120_000;
const TEST_MS = 90_000;
const SHOW_MS = 20_000;

const live = useServerAndBrowser({
  dataDirPrefix: 'sc-rehearsal-browser-',
  requires: [{ file: 'packages/overlay-widgets/dist/pages/alerts.html', build: 'npm run build:pages -w @streaming-companion/overlay-widgets' }],
  hookMs: HOOK_MS,
});
const csp = failOnCspViolations();

interface Session {
  id: string;
  status: string;
  rehearsal: boolean;
  totalTipsCents: number;
  tipCount: number;
}
interface Summary {
  sessionCount: number;
  tipCount: number;
  totalCents: number;
  uniqueTippers: number;
}

/** `/overlay/alerts` joined by the creator's key (it follows the active session), recording the widgets' events and the socket traffic. */
async function openAlerts(key: string): Promise<{ page: Page; watch: SocketWatch }> {
  const context = await live.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'en-US', timezoneId: 'UTC' });
  context.setDefaultTimeout(SHOW_MS);
  await context.addInitScript(RECORD_EVENTS_SCRIPT);
  await csp.context(context);
  const page = await context.newPage();
  const watch = new SocketWatch(page);
  csp.page(page);
  const response = await page.goto(`${live.base}/overlay/alerts?duration=300#key=${encodeURIComponent(key)}`);
  expect(response?.status()).toBe(200);
  await expect.poll(() => Math.max(watch.acks().length, watch.received('session_updated').length), { timeout: SHOW_MS }).toBeGreaterThanOrEqual(1);
  return { page, watch };
}

describe('a rehearsal in a real browser', () => {
  it(
    "plays a past session's tips into the alert box at 5×, and leaves the creator's real totals and analytics unchanged",
    async () => {
      const creator = await CreatorClient.signup(() => live.base, 'Rehearsal Test');
      const summary = () => creator.call<Summary>('GET', '/api/analytics/summary');
      const names = ['Ada', '<img src=x onerror=alert(1)>', 'Bo'];
      const source = await creator.startSession();
      for (const [i, tipperName] of names.entries()) await creator.tip(source, { amountCents: (i + 1) * 100, tipperName, message: `tip ${i + 1}` });
      await creator.call('POST', `/api/sessions/${source}/end`);
      const sourceBefore = await creator.call<Session>('GET', `/api/sessions/${source}`);
      // Analytics counts in the background: wait until it has the real session whole.
      await expect.poll(async () => (await summary()).tipCount, { timeout: SHOW_MS }).toBe(3);
      const analyticsBefore = await summary();
      expect(analyticsBefore).toMatchObject({ sessionCount: 1, tipCount: 3, totalCents: 600, uniqueTippers: 3 });

      const { page, watch } = await openAlerts(await creator.overlayKey());
      const dialogs: string[] = [];
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      // What the alert box shows as each alert starts: the name as text on the page.
      await page.evaluate(() => {
        const w = window as unknown as { __shownNames: Array<string | undefined> };
        w.__shownNames = [];
        window.addEventListener('sc-alert-start', () =>
          requestAnimationFrame(() => w.__shownNames.push(document.querySelector('sc-alert-box')?.shadowRoot?.querySelector('[part="name"]')?.textContent?.trim())),
        );
      });
      const rehearsal = await creator.call<{ id: string; sessionId: string; status: string }>('POST', '/api/rehearsals', { fromSessionId: source, speed: 5 });
      expect(rehearsal.status).toBe('playing');

      // The page plays the replayed tippers, in order, through the alert box.
      await expect.poll(async () => (await scEvents(page)).filter((e) => e.type === 'sc-alert-end').length, { timeout: SHOW_MS * 2 }).toBe(3);
      const starts = (await scEvents(page)).filter((e) => e.type === 'sc-alert-start');
      expect(starts.map((e) => [e.detail?.tipperName, e.detail?.amountCents])).toEqual([
        ['Ada', 100],
        ['<img src=x onerror=alert(1)>', 200],
        ['Bo', 300],
      ]);
      expect(await page.evaluate(() => (window as unknown as { __shownNames: string[] }).__shownNames)).toEqual(names);
      const received = watch.received('tip_received').map((p) => p.args[0] as { sessionId: string });
      expect(received.map((p) => p.sessionId)).toEqual([rehearsal.sessionId, rehearsal.sessionId, rehearsal.sessionId]);
      expect(await page.locator('sc-alert-box img').count()).toBe(0);
      expect(dialogs).toEqual([]);
      expect(watch.pageErrors.map((e) => e.message)).toEqual([]);

      // It ends by itself; its session holds the tips, flagged, and the real one is as it was.
      await expect.poll(async () => (await creator.call<{ status: string }>('GET', `/api/rehearsals/${rehearsal.id}`)).status, { timeout: SHOW_MS }).toBe('finished');
      expect(await creator.call<Session>('GET', `/api/sessions/${rehearsal.sessionId}`)).toMatchObject({ status: 'ended', rehearsal: true, totalTipsCents: 600, tipCount: 3 });
      expect(await creator.call<Session>('GET', `/api/sessions/${source}`)).toEqual(sourceBefore);

      // A real tip after it: once analytics has counted that, it has seen the rehearsal's tips too, and left them out.
      const marker = await creator.startSession();
      await creator.tip(marker, { amountCents: 50, tipperName: 'Marker' });
      await expect.poll(async () => (await summary()).tipCount, { timeout: SHOW_MS }).toBe(4);
      expect(await summary()).toMatchObject({ sessionCount: 2, tipCount: 4, totalCents: 650, uniqueTippers: 4 });
    },
    TEST_MS,
  );
});
