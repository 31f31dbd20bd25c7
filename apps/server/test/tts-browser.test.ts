import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CreatorClient, SocketWatch } from './support/overlay-harness.ts';
import { failOnCspViolations } from './support/csp-violations.ts';
import { useServerAndBrowser } from './support/real-server.ts';

/**
 * Text-to-speech in the real alert-box overlay page, in Debian's chromium (autoplay allowed),
 * against the real server (a child process on embedded PGlite, every first-party plugin
 * loaded, eSpeak NG speaking). Waits end on a recorded CustomEvent or a socket.io packet,
 * never on a timer.
 */

const HOOK_MS = 120_000;
const TEST_MS = 90_000;
const SHOW_MS = 20_000;

const live = useServerAndBrowser({
  dataDirPrefix: 'sc-tts-browser-',
  requires: [{ file: 'packages/overlay-widgets/dist/pages/alerts.html', build: 'npm run build:pages -w @streaming-companion/overlay-widgets' }],
  hookMs: HOOK_MS,
});
const csp = failOnCspViolations();

interface Recorded {
  type: string;
  detail: { tipId?: string; source?: string; outcome?: string; durationMs?: number } | null;
  at: number;
}

/** Runs before the page's scripts: records the alert box's alert and speech events in `window.__tts`. */
const RECORD_SPEECH = `
  window.__tts = [];
  for (const type of ['sc-alert-start', 'sc-alert-end', 'sc-tts-start', 'sc-tts-end']) {
    window.addEventListener(type, (event) => window.__tts.push({ type, detail: JSON.parse(JSON.stringify(event.detail ?? null)), at: performance.now() }), true);
  }
`;

const recorded = (page: Page) => page.evaluate(() => (window as unknown as { __tts: Recorded[] }).__tts);

async function waitFor(page: Page, type: string, tipId: string): Promise<Recorded> {
  await expect.poll(async () => (await recorded(page)).some((e) => e.type === type && e.detail?.tipId === tipId), { timeout: SHOW_MS }).toBe(true);
  return (await recorded(page)).find((e) => e.type === type && e.detail?.tipId === tipId)!;
}

/**
 * A creator live with TTS on, and `/overlay/alerts` joined by their key, showing each alert for
 * `duration` ms. The engine is warmed first (listing its voices loads it), so a clip reaches
 * the page while its alert is still up, as it does on a server that has spoken before.
 */
async function liveWithSpeech(duration: number) {
  const creator = await CreatorClient.signup(() => live.base, 'TTS Test');
  await creator.call('PUT', '/api/tts/settings', { enabled: true, minAmountCents: 100, maxSeconds: 10 });
  expect((await creator.call<{ voices: unknown[] }>('GET', '/api/tts/voices')).voices.length).toBeGreaterThan(0);
  const sessionId = await creator.startSession();
  const context = await live.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'en-US', timezoneId: 'UTC' });
  context.setDefaultTimeout(SHOW_MS);
  await context.addInitScript(RECORD_SPEECH);
  await csp.context(context);
  const page = await context.newPage();
  const watch = new SocketWatch(page);
  csp.page(page);
  const response = await page.goto(`${live.base}/overlay/alerts?duration=${duration}#key=${encodeURIComponent(await creator.overlayKey())}`);
  expect(response?.status()).toBe(200);
  await expect.poll(() => Math.max(watch.acks().length, watch.received('session_updated').length), { timeout: SHOW_MS }).toBeGreaterThanOrEqual(1);
  return { creator, sessionId, page, watch };
}

describe('text-to-speech in a real browser', () => {
  it(
    "plays a tip's speech with its alert: the clip plays to its end, and the alert waits for it",
    async () => {
      const { creator, sessionId, page, watch } = await liveWithSpeech(2_000);
      const message = 'Hello from the browser test, with a message that takes longer to read than the alert is up';
      const tip = await creator.tip(sessionId, { amountCents: 500, tipperName: 'Kai', message });

      const ended = await waitFor(page, 'sc-tts-end', tip.id);
      expect(ended.detail).toMatchObject({ tipId: tip.id, source: 'message', outcome: 'ended' });
      const started = await waitFor(page, 'sc-tts-start', tip.id);
      // The clip played for about as long as the server said it lasts, longer than the alert's own 2 s, and the alert stayed up for it.
      expect(ended.detail!.durationMs).toBeGreaterThan(3_000);
      expect(ended.at - started.at).toBeGreaterThan(ended.detail!.durationMs! * 0.8);
      const alertStart = await waitFor(page, 'sc-alert-start', tip.id);
      const alertEnd = await waitFor(page, 'sc-alert-end', tip.id);
      expect(alertEnd.at).toBeGreaterThanOrEqual(ended.at);
      expect(alertEnd.at - alertStart.at).toBeGreaterThan(3_000);

      const [clip] = watch.received('chat_participant_audio').map((p) => p.args[0] as { tipId: string; format: string; text: string; durationMs: number });
      expect(clip).toMatchObject({ tipId: tip.id, format: 'wav', text: `Kai says: ${message}` });
      expect(clip!.durationMs).toBe(ended.detail!.durationMs);
      expect(watch.pageErrors.map((e) => e.message)).toEqual([]);
    },
    TEST_MS,
  );

  it(
    'stops the clip at once when the creator skips it, and the alert carries on to its end',
    async () => {
      const { creator, sessionId, page } = await liveWithSpeech(2_000);
      const words = 'this message is long enough to still be playing when the creator decides to skip it';
      const tip = await creator.tip(sessionId, { amountCents: 500, tipperName: 'Kai', message: words });
      const started = await waitFor(page, 'sc-tts-start', tip.id);
      expect(started.detail!.durationMs).toBeGreaterThan(4_000);

      await creator.call('POST', '/api/tts/control', { sessionId, action: 'skip' });
      const ended = await waitFor(page, 'sc-tts-end', tip.id);
      expect(ended.detail).toMatchObject({ outcome: 'stopped' });
      expect(ended.at - started.at).toBeLessThan(started.detail!.durationMs!);
      await waitFor(page, 'sc-alert-end', tip.id);
    },
    TEST_MS,
  );
});
