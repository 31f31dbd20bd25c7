import { createClient } from '@streaming-companion/client';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { failOnCspViolations } from './csp-violations.ts';
import type { RealServerAndBrowser } from './real-server.ts';

/**
 * Driving the creator dashboard in a real browser as a person does: by role and label, every
 * wait ending on a DOM state. Shared by the dashboard's browser test files.
 */

/** Where the dashboard keeps its sign-in token. */
export const TOKEN_KEY = 'streaming-companion.token';

/** Opening the dashboard on a test file's server, and the API as whoever a page is signed in as. */
export function dashboardPages(live: RealServerAndBrowser, csp: ReturnType<typeof failOnCspViolations>) {
  async function openDashboard(path = '/', origin = live.base, viewport = { width: 1366, height: 900 }): Promise<Page> {
    const context = await live.newContext({ viewport, locale: 'en-US', timezoneId: 'UTC' });
    await csp.context(context);
    const page = await context.newPage();
    page.on('dialog', (dialog) => void dialog.dismiss());
    csp.page(page);
    await page.goto(`${origin}${path}`);
    return page;
  }

  /** The API client, signed in as whoever the page is signed in as. */
  async function clientOf(page: Page, origin = live.base) {
    const token = await page.evaluate((key) => localStorage.getItem(key), TOKEN_KEY);
    expect(token, 'the dashboard keeps a token once signed in').toBeTruthy();
    return createClient({ baseUrl: origin, token });
  }

  return { openDashboard, clientOf };
}

export const uniqueEmail = (name: string) => `${name}-${crypto.randomUUID().slice(0, 8)}@example.test`;

export async function signUp(page: Page, displayName: string): Promise<string> {
  await page.getByRole('link', { name: 'Create an account' }).click();
  await page.getByLabel('Display name').fill(displayName);
  const email = uniqueEmail(displayName.toLowerCase().replace(/\W+/g, '-'));
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { name: 'Start a session' }).waitFor();
  return email;
}

export async function startSession(page: Page, title: string): Promise<void> {
  await page.getByLabel('Platform').selectOption({ label: 'Chaturbate' });
  await page.getByLabel('Title (optional)').fill(title);
  await page.getByRole('button', { name: 'Start session' }).click();
  await page.getByRole('heading', { name: title }).waitFor();
}

/** The figure a stat shows ("Total tips" → "$12.50"), once it shows `value`. */
export async function waitForStat(page: Page, name: string, value: string): Promise<void> {
  await page.getByRole('status', { name, exact: true }).filter({ hasText: value }).waitFor();
}

/** Records a tip through the live view's form; `amount` is in the display unit (the input is labelled "Amount ($)", "Amount (tokens)"…). */
export async function recordManualTip(page: Page, amount: string, tipperName?: string, message?: string): Promise<void> {
  const form = page.getByRole('form', { name: 'Record a manual tip' });
  await form.getByLabel(/^Amount \(/).fill(amount);
  if (tipperName) await form.getByLabel('Tipper name (optional)').fill(tipperName);
  if (message) await form.getByLabel('Message (optional)').fill(message);
  await form.getByRole('button', { name: 'Record tip' }).click();
}

export async function goTo(page: Page, link: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link, exact: true }).click();
}

/** The message shown for an input (its aria-describedby's last entry), once the input is marked invalid. */
export async function fieldErrorOf(page: Page, inputId: string, scope: Locator = page.locator(':root')): Promise<string | null> {
  const input = scope.locator(`[id="${inputId}"][aria-invalid="true"]`);
  await input.waitFor();
  const describedBy = (await input.getAttribute('aria-describedby'))!;
  return scope.locator(`[id="${describedBy.split(' ').pop()}"]`).textContent();
}
