import { createClient, type StreamingCompanionClient } from '@streaming-companion/client';
import { verifyWebhook } from '@streaming-companion/sdk/webhooks';
import type { Locator, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { TestReceiver } from '../../../packages/plugin-webhooks/test/support/receiver.ts';
import { failOnCspViolations } from './support/csp-violations.ts';
import { dashboardPages, fieldErrorOf, goTo, signUp, startSession, uniqueEmail } from './support/dashboard-page.ts';
import { useServerAndBrowser, type RealServerAndBrowser } from './support/real-server.ts';

/**
 * The Webhooks view in a real browser (Debian's chromium through playwright-core) against the
 * real server on embedded PGlite, delivering to a receiver on this machine: an endpoint added,
 * its secret shown once, a tip's delivery in the live log and verified with the SDK's
 * `verifyWebhook`, retries, redelivery, rotation, switching off and deleting; and, on a server
 * with the operator's defaults, a loopback URL refused at its field. Every wait ends on a DOM
 * state or a received request, never on a timer.
 */

const HOOK_MS = 120_000;
const TEST_MS = 90_000;
const DASHBOARD = [{ file: 'apps/dashboard/dist/index.html', build: 'npm run build -w @streaming-companion/dashboard' }];

/** The webhooks view, reached from the navigation. */
async function openWebhooks(page: Page): Promise<void> {
  await goTo(page, 'Webhooks');
  await page.getByRole('heading', { name: 'Webhooks', exact: true }).waitFor();
}

/** Fills the add form and submits it. */
async function addEndpoint(page: Page, url: string, events: string[], description?: string): Promise<void> {
  const form = page.getByRole('form', { name: 'Add an endpoint' });
  await form.getByLabel('Endpoint URL').fill(url);
  for (const event of events) await form.getByLabel(event, { exact: true }).check();
  if (description) await form.getByLabel('Description (optional)').fill(description);
  await form.getByRole('button', { name: 'Add endpoint' }).click();
}

const endpointRow = (page: Page, url: string): Locator =>
  page.getByRole('list', { name: 'Webhook endpoints' }).getByRole('listitem').filter({ hasText: url });

/** A row of an endpoint's delivery log, by its event's name and what it shows. */
const deliveryRow = (page: Page, url: string, event: string, status: string): Locator =>
  page
    .getByRole('region', { name: `Deliveries to ${url}` })
    .getByRole('row')
    .filter({ hasText: event })
    .filter({ has: page.locator('td.status', { hasText: status }) });

/** Another creator, through the API, to show they reach nothing of the first one's. */
async function anotherCreator(live: RealServerAndBrowser): Promise<StreamingCompanionClient> {
  const other = createClient({ baseUrl: live.base });
  await other.auth.signup({ email: uniqueEmail('other'), password: 'correct horse battery staple', displayName: 'Other' });
  return other;
}

describe('webhooks from the dashboard, on a server that allows private networks (a receiver on this machine)', () => {
  /** Where deliveries go: plain http on 127.0.0.1, which the operator allows here for testing. */
  let receiver: TestReceiver | undefined;
  // Registered before the server's hooks, so it closes after the server has stopped.
  afterAll(() => receiver?.close());

  const live = useServerAndBrowser({
    dataDirPrefix: 'sc-webhooks-browser-',
    requires: DASHBOARD,
    hookMs: HOOK_MS,
    env: async () => {
      receiver = await TestReceiver.start();
      const webhooks = { allowPrivateNetworks: true, retryDelaysMs: [50, 50], retryJitter: 0 };
      return { PLUGIN_CONFIG: JSON.stringify({ webhooks }) };
    },
  });
  const csp = failOnCspViolations();
  const { openDashboard, clientOf } = dashboardPages(live, csp);

  it(
    'adds an endpoint, shows its secret once, and logs a tip’s delivery live, signed so verifyWebhook accepts it',
    async () => {
      const page = await openDashboard();
      await signUp(page, 'Hook Creator');
      await startSession(page, 'Webhook night');
      await openWebhooks(page);
      await page.getByText('No endpoints yet.').waitFor();

      // The form's own checks first: nothing is sent.
      await page.getByRole('button', { name: 'Add endpoint' }).click();
      expect(await fieldErrorOf(page, 'url')).toBe('Give the address your receiver listens on, starting with https://.');
      expect(await fieldErrorOf(page, 'events')).toBe('Pick at least one event to send.');

      const url = receiver!.url('tips');
      const description = '<b>My bot</b>';
      await addEndpoint(page, url, ['A tip is received'], description);
      const secretInput = page.getByLabel('Signing secret');
      const secret = await secretInput.inputValue();
      expect(secret).toMatch(/^whsec_/);
      const row = endpointRow(page, url);
      await row.getByText('It will not be shown again').waitFor();
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: live.base });
      await row.getByRole('button', { name: 'Copy', exact: true }).click();
      await row.getByRole('button', { name: 'Copied', exact: true }).waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);

      // Shown as text, never markup; the secret only by its last characters from now on, here and in the API.
      await row.getByText(description, { exact: true }).waitFor();
      expect(await row.locator('b').count(), 'a description is never markup').toBe(0);
      await row.getByText('A tip is received', { exact: true }).waitFor();
      const api = await clientOf(page);
      const [endpoint] = await api.webhooks.list();
      expect(JSON.stringify(await api.webhooks.list())).not.toContain(secret);
      expect(endpoint!.secretHint).toBe(`whsec_…${secret.slice(-4)}`);
      await row.getByRole('button', { name: 'I have saved it' }).click();
      await secretInput.waitFor({ state: 'detached' });
      await page.reload();
      await row.getByText(`Secret whsec_…${secret.slice(-4)} · No deliveries yet`).waitFor();
      expect(await page.getByLabel('Signing secret').count(), 'the secret is never shown again').toBe(0);

      // A tip recorded elsewhere: its delivery shows in the open log without a refresh.
      await row.getByRole('button', { name: `Delivery log of ${url}` }).click();
      await page.getByText('Nothing sent yet.', { exact: false }).waitFor();
      const session = (await api.sessions.active())!;
      const tip = await api.tips.record({ sessionId: session.id, amountCents: 500, tipperName: 'Kai' });
      const delivered = deliveryRow(page, url, 'A tip is received', 'Delivered');
      await delivered.waitFor();
      await expect.poll(() => delivered.locator('td').allTextContents()).toEqual([
        'A tip is received',
        expect.any(String),
        'Delivered',
        '1',
        'HTTP 200',
        '—',
        '',
      ]);
      await row.getByText(/Last delivery: delivered/).waitFor();

      // What the receiver got verifies with the secret shown once, and carries the tip.
      expect(receiver!.to('tips')).toHaveLength(1);
      const request = receiver!.to('tips')[0]!;
      const event = verifyWebhook<{ tipId: string; amountCents: number }>({ secret, headers: request.headers, body: request.body });
      expect(event).toMatchObject({ type: 'streaming.tip.received', data: { tipId: tip.id, amountCents: 500, sessionId: session.id } });
      expect(request.headers['user-agent']).toMatch(/^StreamingCompanion-Webhooks\//);

      // Another creator reaches none of it.
      const other = await anotherCreator(live);
      await expect(other.webhooks.get(endpoint!.id)).rejects.toMatchObject({ status: 404 });
      await expect(other.webhooks.deliveries(endpoint!.id)).rejects.toMatchObject({ status: 404 });
    },
    TEST_MS,
  );

  it(
    'retries a failing receiver until the log says it failed, redelivers it, rotates the secret, switches the endpoint off and on, and deletes it after asking',
    async () => {
      const page = await openDashboard();
      await signUp(page, 'Flaky Receiver');
      await openWebhooks(page);
      const url = receiver!.url('flaky');
      await addEndpoint(page, url, ['A goal is completed', 'A session ends']);
      const secret = await page.getByLabel('Signing secret').inputValue();
      const row = endpointRow(page, url);
      await row.getByText('A goal is completed · A session ends', { exact: true }).waitFor();
      await row.getByRole('button', { name: 'I have saved it' }).click();

      // Refused three times: each attempt is logged, then the delivery gives up.
      receiver!.answer('flaky', 500, 500, 500);
      await row.getByRole('button', { name: 'Send test' }).click();
      await row.getByText('Test ping sent.').waitFor();
      const failed = deliveryRow(page, url, 'Test ping', 'Failed');
      await failed.waitFor();
      await expect.poll(() => failed.locator('td').nth(3).textContent()).toBe('3');
      expect(await failed.locator('td').nth(4).textContent()).toMatch(/^HTTP 500/);
      expect(receiver!.to('flaky')).toHaveLength(3);
      await row.getByText(/Last delivery: failed/).waitFor();

      // Redelivered: the same event, now taken.
      await failed.getByRole('button', { name: /^Redeliver Test ping/ }).click();
      await deliveryRow(page, url, 'Test ping', 'Delivered').waitFor();
      expect(receiver!.to('flaky')).toHaveLength(4);
      expect(new Set(receiver!.to('flaky').map((r) => r.headers['webhook-id'])).size, 'one event id across attempts and redeliveries').toBe(1);
      const redelivered = receiver!.to('flaky')[3]!;
      expect(verifyWebhook({ secret, headers: redelivered.headers, body: redelivered.body }).type).toBe('webhook.test');

      // A new secret, after asking: shown once, and deliveries verify with it.
      await row.getByRole('button', { name: 'Rotate secret' }).click();
      await row.getByText(/deliveries are signed with the old and the new secret together/).waitFor();
      await row.getByRole('button', { name: 'Yes, make a new secret' }).click();
      await row.getByText('Copy the new signing secret now.').waitFor();
      const rotated = await page.getByLabel('Signing secret').inputValue();
      expect(rotated).toMatch(/^whsec_/);
      expect(rotated).not.toBe(secret);
      await row.getByRole('button', { name: 'I have saved it' }).click();
      await row.getByRole('button', { name: 'Send test' }).click();
      await expect.poll(() => receiver!.to('flaky').length).toBe(5);
      const afterRotation = receiver!.to('flaky')[4]!;
      expect(verifyWebhook({ secret: rotated, headers: afterRotation.headers, body: afterRotation.body }).type).toBe('webhook.test');
      await expect.poll(() => deliveryRow(page, url, 'Test ping', 'Delivered').count()).toBe(2);

      // Edited in place: fewer events, a description.
      await row.getByRole('button', { name: 'Edit' }).click();
      const edit = page.getByRole('form', { name: `Edit ${url}` });
      await edit.getByLabel('A session ends', { exact: true }).uncheck();
      await edit.getByLabel('Description (optional)').fill('Goals only');
      await edit.getByRole('button', { name: 'Save endpoint' }).click();
      await row.getByText('Goals only', { exact: true }).waitFor();
      await row.getByText('A goal is completed', { exact: true }).waitFor();

      // Off: nothing can be sent; on again.
      await row.getByRole('button', { name: 'Turn off' }).click();
      await row.locator('.badge', { hasText: 'Off' }).waitFor();
      expect(await row.getByRole('button', { name: 'Send test' }).isDisabled()).toBe(true);
      const api = await clientOf(page);
      expect((await api.webhooks.list())[0]!.active).toBe(false);
      await row.getByRole('button', { name: 'Turn on' }).click();
      await row.locator('.badge', { hasText: 'On' }).waitFor();

      // Deleted after asking; keeping it leaves it be.
      await row.getByRole('button', { name: 'Delete' }).click();
      await row.getByRole('button', { name: 'Cancel' }).click();
      await row.getByRole('button', { name: 'Delete' }).click();
      await row.getByText(/Nothing more is sent to it/).waitFor();
      await row.getByRole('button', { name: 'Yes, delete' }).click();
      await page.getByText('No endpoints yet.').waitFor();
      expect(await api.webhooks.list()).toEqual([]);
    },
    TEST_MS,
  );

  it(
    'fits a phone screen: a long URL, the secret and the delivery log scroll nowhere sideways',
    async () => {
      const page = await openDashboard('/', live.base, { width: 390, height: 844 });
      await signUp(page, 'Phone Hooks');
      await openWebhooks(page);
      const url = receiver!.url(`phone/${'a-very-long-path-segment/'.repeat(6)}`);
      await addEndpoint(page, url, ['A tip is received'], 'x'.repeat(200));
      await page.getByLabel('Signing secret').waitFor();
      const row = endpointRow(page, url);
      await row.getByRole('button', { name: 'Send test' }).click();
      await deliveryRow(page, url, 'Test ping', 'Delivered').waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
    },
    TEST_MS,
  );
});

describe('webhooks on a server with the operator’s defaults (no private networks)', () => {
  const live = useServerAndBrowser({ dataDirPrefix: 'sc-webhooks-browser-ssrf-', requires: DASHBOARD, hookMs: HOOK_MS });
  const csp = failOnCspViolations();
  const { openDashboard, clientOf } = dashboardPages(live, csp);

  it(
    'refuses a loopback address and plain http at the URL field, in the server’s words, and saves nothing',
    async () => {
      const page = await openDashboard();
      await signUp(page, 'Careful Creator');
      await openWebhooks(page);
      await addEndpoint(page, 'https://127.0.0.1/hooks', ['A tip is received']);
      expect(await fieldErrorOf(page, 'url')).toMatch(/^Endpoint URL must not .*127\.0\.0\.1/);
      await page.getByRole('form', { name: 'Add an endpoint' }).getByLabel('Endpoint URL').fill('http://203.0.113.7/hooks');
      await page.getByRole('button', { name: 'Add endpoint' }).click();
      await expect.poll(() => fieldErrorOf(page, 'url')).toBe('Endpoint URL must be an https URL.');
      expect(await page.getByLabel('Signing secret').count()).toBe(0);
      expect(await (await clientOf(page)).webhooks.list()).toEqual([]);
    },
    TEST_MS,
  );
});
