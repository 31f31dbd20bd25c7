import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CreatorClient, decodePng, repoRoot } from './support/overlay-harness.ts';
import { failOnCspViolations } from './support/csp-violations.ts';
import { dashboardPages, fieldErrorOf, goTo, recordManualTip, signUp, startSession, waitForStat } from './support/dashboard-page.ts';
import { useServerAndBrowser } from './support/real-server.ts';

/**
 * The dashboard's Widgets view in a real browser (Debian's chromium through playwright-core)
 * against the real server on embedded PGlite, with the real overlay pages in its previews: the
 * settings forms, uploads, the transparent preview, test alerts, the display unit, and the live
 * view's viewer count. Every wait ends on a DOM state or an answer, never on a timer.
 */

const HOOK_MS = 120_000;
const TEST_MS = 90_000;
const DOCS = join(repoRoot, 'apps/dashboard/docs');

const live = useServerAndBrowser({
  dataDirPrefix: 'sc-widgets-browser-',
  requires: [
    { file: 'apps/dashboard/dist/index.html', build: 'npm run build -w @streaming-companion/dashboard' },
    { file: 'packages/overlay-widgets/dist/pages/alerts.html', build: 'npm run build:pages -w @streaming-companion/overlay-widgets' },
  ],
  hookMs: HOOK_MS,
});
const csp = failOnCspViolations();
const { openDashboard, clientOf } = dashboardPages(live, csp);

/** Signed up and on the Widgets view's tab named `tab`. */
async function onWidgets(name: string, tab = 'Tip alerts', viewport?: { width: number; height: number }): Promise<Page> {
  const page = await openDashboard('/', live.base, viewport);
  await signUp(page, name);
  await goTo(page, 'Widgets');
  await page.getByRole('navigation', { name: 'Widgets' }).getByRole('link', { name: tab }).click();
  return page;
}

const alertsForm = (page: Page) => page.getByRole('form', { name: 'Tip alerts settings' });

/** Writes a README screenshot when it is missing or `UPDATE_SCREENSHOTS` is set. */
async function keepScreenshot(name: string, png: () => Promise<Buffer>): Promise<void> {
  const file = join(DOCS, name);
  if (existsSync(file) && !process.env.UPDATE_SCREENSHOTS) return;
  await mkdir(DOCS, { recursive: true });
  await writeFile(file, await png());
}

/**
 * The preview's overlay page has loaded its widget and joined: the widget wears the creator's
 * settings, which the server sends on join (so a screenshot shows the styled page, and a test
 * alert sent now reaches it; `data-position` is the settings' mark on it; one sent before the join would be missed, as it is stored nowhere).
 */
async function previewLoaded(preview: Locator, element: string): Promise<void> {
  const widget = preview.frameLocator('iframe').locator(element);
  await widget.waitFor({ state: 'attached' });
  await expect.poll(() => widget.evaluate((el: HTMLElement) => el.dataset.position ?? null)).not.toBe(null);
}

/** The two colours of the preview's checkerboard (`overlay-preview.ts`). */
const CHECKER = [
  [0x2a, 0x2e, 0x3a],
  [0x1d, 0x20, 0x29],
];

/** Which checker colour a pixel is (0 or 1), 'edge' for a blend of the two where squares meet, or null for anything else (white, say). */
function checkerOf([r, g, b]: number[]): number | 'edge' | null {
  const near = (colour: number[]) => [r, g, b].every((channel, i) => Math.abs(channel! - colour[i]!) <= 4);
  const index = CHECKER.findIndex(near);
  if (index !== -1) return index;
  const between = [r, g, b].every((channel, i) => channel! >= Math.min(CHECKER[0]![i]!, CHECKER[1]![i]!) && channel! <= Math.max(CHECKER[0]![i]!, CHECKER[1]![i]!));
  return between ? 'edge' : null;
}

/** Samples a grid over a screenshot of `preview`: what each point shows. */
async function sampleCheckerboard(preview: Locator): Promise<Array<number | 'edge' | null>> {
  const png = decodePng(await preview.screenshot());
  const samples: Array<number | 'edge' | null> = [];
  for (let i = 1; i < 10; i++) for (let j = 1; j < 6; j++) samples.push(checkerOf(png.pixel(Math.floor((png.width * i) / 10), Math.floor((png.height * j) / 6))));
  return samples;
}

describe('the Widgets view in a real browser', () => {
  it(
    'saves alert settings with a variation, shows them again after a reload, and shows the server’s refusal at its field',
    async () => {
      const page = await onWidgets('Widget Styler');
      const form = alertsForm(page);
      const every = form.getByRole('group', { name: 'Every alert' });
      const look = form.getByRole('group', { name: 'Look' });
      await every.getByLabel('Alert text').fill('{name} sent {amount}');
      await every.getByLabel('Duration (seconds, 1–60)').fill('7.5');
      await every.getByLabel('Animation').selectOption({ label: 'Slide in' });
      await look.getByLabel('Text colour').fill('#00ff88');
      await look.getByLabel('Background opacity (%)').fill('50');
      await look.getByLabel('Font').selectOption({ label: 'Rounded' });
      await look.getByLabel('Text size (px, 10–96)').fill('40');
      await look.getByLabel('Position').selectOption({ label: 'Bottom right' });
      await form.getByRole('button', { name: 'Add a variation' }).click();
      const variation = form.getByRole('group', { name: 'Variation 1' });
      await variation.getByLabel('From ($)').fill('50');
      await variation.getByLabel('Alert text').fill('BIG {name}!');
      await variation.getByLabel('Its own colours').check();
      await variation.getByLabel('Accent colour').fill('#ffd700');

      // A slip the form can see is shown at once, at its input, and nothing is sent.
      await look.getByLabel('Width (px, 120–1920)').fill('5000');
      await form.getByRole('button', { name: 'Save tip alerts' }).click();
      expect(await fieldErrorOf(page, 'width', form)).toBe('Width must be a whole number from 120 to 1920.');
      await look.getByLabel('Width (px, 120–1920)').fill('800');

      // One only the server knows (a variable alerts do not have) comes back at the variation's input.
      await variation.getByLabel('Alert text').fill('BIG {nmae}!');
      await form.getByRole('button', { name: 'Save tip alerts' }).click();
      const refused = await fieldErrorOf(page, 'variation-v1-template', form);
      expect(refused).toMatch(/\{name\}, \{amount\}, \{message\}/);
      const api = await clientOf(page);
      expect((await api.widgets.settings()).alerts.template, 'nothing of a refused save is kept').toBe('{name} tipped {amount}!');

      await variation.getByLabel('Alert text').fill('BIG {name}!');
      await form.getByRole('button', { name: 'Save tip alerts' }).click();
      await form.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
      const saved = (await api.widgets.settings()).alerts;
      expect(saved).toMatchObject({
        template: '{name} sent {amount}',
        durationMs: 7500,
        animation: 'slide',
        textColor: '#00ff88',
        backgroundColor: '#14141a80',
        fontFamily: 'rounded',
        fontSizePx: 40,
        position: 'bottom-right',
        widthPx: 800,
        variations: [{ minAmountCents: 5000, template: 'BIG {name}!', accentColor: '#ffd700' }],
      });

      // Another creator's widgets are untouched.
      const other = await CreatorClient.signup(() => live.base, 'Someone Else');
      expect((await other.call<{ alerts: { template: string } }>('GET', '/api/widgets/settings')).alerts.template).toBe('{name} tipped {amount}!');

      await page.reload();
      const again = alertsForm(page);
      await again.getByRole('group', { name: 'Variation 1' }).waitFor();
      expect(await again.getByRole('group', { name: 'Every alert' }).getByLabel('Alert text').inputValue()).toBe('{name} sent {amount}');
      const lookAgain = again.getByRole('group', { name: 'Look' });
      expect(await lookAgain.getByLabel('Text colour').inputValue()).toBe('#00ff88');
      expect(await lookAgain.getByLabel('Background opacity (%)').inputValue()).toBe('50');
      expect(await lookAgain.getByLabel('Font').inputValue()).toBe('rounded');
      expect(await again.getByRole('group', { name: 'Variation 1' }).getByLabel('From ($)').inputValue()).toBe('50.00');
      expect(await again.getByRole('group', { name: 'Variation 1' }).getByLabel('Accent colour').inputValue()).toBe('#ffd700');

      // Removing the variation and saving takes it out.
      await again.getByRole('button', { name: 'Remove variation 1' }).click();
      await again.getByRole('button', { name: 'Save tip alerts' }).click();
      await again.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
      expect((await api.widgets.settings()).alerts.variations).toEqual([]);
    },
    TEST_MS,
  );

  it(
    'uploads a sound and picks it, shows a refused type or size at the upload, and deletes it once no saved setting uses it',
    async () => {
      const page = await onWidgets('Sound Picker');
      const every = alertsForm(page).getByRole('group', { name: 'Every alert' });
      const upload = every.getByLabel('Upload a sound');

      await upload.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a sound') });
      const typeRefusal = await fieldErrorOf(page, 'soundId-upload', alertsForm(page));
      expect(typeRefusal).toMatch(/audio\/mpeg/);

      const tooBig = Buffer.alloc(3 * 1024 * 1024);
      tooBig.write('RIFF', 0, 'latin1');
      tooBig.write('WAVE', 8, 'latin1');
      await upload.setInputFiles({ name: 'long.wav', mimeType: 'audio/wav', buffer: tooBig });
      await expect.poll(() => fieldErrorOf(page, 'soundId-upload', alertsForm(page))).not.toBe(typeRefusal);
      expect(await fieldErrorOf(page, 'soundId-upload', alertsForm(page))).toMatch(/big|large|bytes/i);

      const api = await clientOf(page);
      expect(await api.widgets.media.list(), 'nothing refused is stored').toEqual([]);

      await upload.setInputFiles({ name: 'ding.wav', mimeType: 'audio/wav', buffer: wav() });
      await expect.poll(() => every.getByLabel('Sound', { exact: true }).evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.textContent)).toBe('ding.wav');
      expect(await upload.getAttribute('aria-invalid')).toBe('false');
      await alertsForm(page).getByRole('button', { name: 'Save tip alerts' }).click();
      await alertsForm(page).getByRole('status').filter({ hasText: 'Saved' }).waitFor();
      const [sound] = await api.widgets.media.list();
      expect(sound).toMatchObject({ kind: 'sound', name: 'ding.wav' });
      expect((await api.widgets.settings()).alerts.soundId).toBe(sound!.id);

      // Deleting it asks first, and the server keeps it while the saved settings use it: the picker says where.
      const sounds = every.getByLabel('Sound', { exact: true });
      const remove = every.getByRole('button', { name: 'Delete the chosen sound' });
      const confirmRemove = async () => {
        await remove.click();
        await every.getByRole('alert').filter({ hasText: 'Delete “ding.wav” from your uploads?' }).getByRole('button', { name: 'Yes, delete' }).click();
      };
      await confirmRemove();
      await expect
        .poll(async () => {
          const describedBy = await remove.getAttribute('aria-describedby');
          return describedBy && every.locator(`[id="${describedBy}"]`).textContent();
        })
        .toBe("Your saved tip alerts still use this file (every alert's sound): pick another file there and save, then delete it.");
      expect(await api.widgets.media.list()).toHaveLength(1);

      // Unpicked and saved, it goes, from the server and from every picker.
      await sounds.selectOption({ label: 'None' });
      await alertsForm(page).getByRole('button', { name: 'Save tip alerts' }).click();
      await expect.poll(async () => (await api.widgets.settings()).alerts.soundId).toBeNull();
      await sounds.selectOption({ label: 'ding.wav' });
      await confirmRemove();
      await expect.poll(() => sounds.locator('option').allTextContents()).toEqual(['None']);
      expect(await api.widgets.media.list()).toEqual([]);
      expect(await remove.getAttribute('aria-describedby'), 'no refusal left at the picker').toBeNull();
    },
    TEST_MS,
  );

  it(
    'previews the real overlay transparent, on its checkerboard, whether the system is light or dark',
    async () => {
      const page = await onWidgets('Preview Watcher');
      const preview = page.locator('sc-overlay-preview');
      await previewLoaded(preview, 'sc-alert-box');
      for (const colorScheme of ['dark', 'light'] as const) {
        await page.emulateMedia({ colorScheme });
        const samples = await sampleCheckerboard(preview);
        expect(samples.filter((s) => s === null), `points that are not the checkerboard (${colorScheme})`).toEqual([]);
        expect(new Set(samples.filter((s) => s !== 'edge')), `both checker colours show through (${colorScheme})`).toEqual(new Set([0, 1]));
      }
    },
    TEST_MS,
  );

  it(
    'follows settings changed elsewhere, and sends a test alert that plays in the preview (its variation) and changes no total',
    async () => {
      const page = await onWidgets('Test Alerter');
      const api = await clientOf(page);
      const { alerts } = await api.widgets.settings();
      const big = { minAmountCents: 2000, template: 'BIG TIP from {name}!', durationMs: 8000, animation: 'pop', soundId: null, volume: 80, imageId: null, accentColor: '#ffd700' } as const;
      await api.widgets.save('alerts', { ...alerts, variations: [big] });
      // Saved from elsewhere (here the API): the open view shows it without a reload.
      const variation = alertsForm(page).getByRole('group', { name: 'Variation 1' });
      await variation.waitFor();
      expect(await variation.getByLabel('Alert text').inputValue()).toBe('BIG TIP from {name}!');

      const session = await api.sessions.start({ platform: 'chaturbate', title: 'Testing alerts' });
      await api.tips.record({ sessionId: session.id, amountCents: 700, tipperName: 'Real Fan' });
      const preview = page.locator('sc-overlay-preview');
      await previewLoaded(preview, 'sc-alert-box');

      const test = page.getByRole('form', { name: 'Test alert' });
      await test.getByLabel('Test tipper').fill('Preview Pal');
      await test.getByLabel('Test amount ($)').fill('25');
      await test.getByRole('button', { name: 'Send test alert' }).click();
      await test.getByRole('status').filter({ hasText: 'Test alert sent' }).waitFor();
      // Above the variation's amount: the alert is the variation's.
      await preview.frameLocator('iframe').locator('sc-alert-box').getByText(/BIG TIP from/).waitFor();
      await preview.frameLocator('iframe').locator('sc-alert-box').getByText('Preview Pal').waitFor();
      await keepScreenshot('widgets-view.png', () => page.screenshot({ fullPage: true }));

      expect(await api.sessions.get(session.id)).toMatchObject({ totalTipsCents: 700, tipCount: 1 });
      expect((await api.tips.list({ sessionId: session.id })).items.map((tip) => tip.tipperName)).toEqual(['Real Fan']);
    },
    TEST_MS,
  );

  it(
    'counts in tokens once the creator picks them: the live view takes and shows a tip in tokens',
    async () => {
      const page = await onWidgets('Token Counter', 'Amounts');
      const form = page.getByRole('form', { name: 'Display unit' });
      await form.getByLabel('Show amounts in').selectOption({ label: 'Tokens' });
      await form.getByLabel('Cents per token').fill('0');
      await form.getByRole('button', { name: 'Save' }).click();
      expect(await fieldErrorOf(page, 'centsPerToken', form)).toBe('Cents per token must be a whole number from 1 to 10000.');
      await form.getByLabel('Cents per token').fill('5');
      await form.getByLabel('Token name').fill('tokens');
      await form.getByRole('button', { name: 'Save' }).click();
      await form.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
      await keepScreenshot('widgets-amounts.png', () => page.screenshot({ fullPage: true }));

      await goTo(page, 'Live');
      await startSession(page, 'Token night');
      await waitForStat(page, 'Total tips', '0 tokens');
      await recordManualTip(page, '50', 'Token Fan');
      await waitForStat(page, 'Total tips', '50 tokens');
      await page.getByRole('list', { name: 'Tips feed' }).getByRole('listitem').filter({ hasText: 'Token Fan' }).filter({ hasText: '50 tokens' }).waitFor();
      const api = await clientOf(page);
      const session = (await api.sessions.active())!;
      expect((await api.tips.list({ sessionId: session.id })).items[0]).toMatchObject({ amountCents: 250, tokens: 50, centsPerToken: 5 });

      // A goal's target is typed in tokens too.
      const addGoal = page.getByRole('form', { name: 'Add a goal' });
      await addGoal.getByLabel('Title').fill('Token goal');
      await addGoal.getByLabel('Target (tokens)').fill('100');
      await addGoal.getByRole('button', { name: 'Add goal' }).click();
      await page.getByText('0 tokens of 100 tokens').waitFor();
      expect((await api.goals.list(session.id))[0]).toMatchObject({ targetCents: 500 });
      await recordManualTip(page, '20');
      await page.getByText('20 tokens of 100 tokens').waitFor();
      await waitForStat(page, 'Total tips', '70 tokens');
    },
    TEST_MS,
  );

  it(
    'sends the viewer count typed in the live view to the session',
    async () => {
      const page = await openDashboard();
      await signUp(page, 'Viewer Counter');
      await startSession(page, 'Counting viewers');
      const form = page.getByRole('form', { name: 'Viewer count' });
      await form.getByLabel('Viewers now').fill('many');
      await form.getByRole('button', { name: 'Update viewers' }).click();
      expect(await fieldErrorOf(page, 'viewerCount', form)).toBe('Viewers now must be a whole number like 120.');
      await form.getByLabel('Viewers now').fill('321');
      await form.getByRole('button', { name: 'Update viewers' }).click();
      await waitForStat(page, 'Viewers', '321');
      await waitForStat(page, 'Peak viewers', '321');
      await form.getByLabel('Viewers now').fill('120');
      await form.getByRole('button', { name: 'Update viewers' }).click();
      await waitForStat(page, 'Viewers', '120');
      await waitForStat(page, 'Peak viewers', '321');
      const session = (await (await clientOf(page)).sessions.active())!;
      expect(session).toMatchObject({ viewerCount: 120, peakViewers: 321 });
    },
    TEST_MS,
  );
});

/** A short, silent, valid WAV file (8 kHz mono, 8-bit). */
function wav(): Buffer {
  const samples = Buffer.alloc(800, 128);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + samples.length, 4);
  header.write('WAVEfmt ', 8, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(8000, 24);
  header.writeUInt32LE(8000, 28);
  header.writeUInt16LE(1, 32);
  header.writeUInt16LE(8, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(samples.length, 40);
  return Buffer.concat([header, samples]);
}
