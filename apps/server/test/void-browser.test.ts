import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { failOnCspViolations } from './support/csp-violations.ts';
import { dashboardPages, fieldErrorOf, recordManualTip, signUp, startSession, waitForStat } from './support/dashboard-page.ts';
import { useServerAndBrowser } from './support/real-server.ts';

/**
 * Voiding a tip from the dashboard in a real browser (Debian's chromium through playwright-core)
 * against the real server on embedded PGlite: the live feed's Void action with its confirmation,
 * the totals following, a void from elsewhere reaching the feed, and the session's page in history.
 * Every wait ends on a DOM state, never on a timer.
 */

const HOOK_MS = 120_000;
const TEST_MS = 90_000;

const live = useServerAndBrowser({
  dataDirPrefix: 'sc-void-browser-',
  requires: [{ file: 'apps/dashboard/dist/index.html', build: 'npm run build -w @streaming-companion/dashboard' }],
  hookMs: HOOK_MS,
});
const csp = failOnCspViolations();
const { openDashboard, clientOf } = dashboardPages(live, csp);

/** A tip's line in a list, found by its tipper's name. */
const tipIn = (list: Locator, tipperName: string) => list.getByRole('listitem').filter({ hasText: tipperName });

/** Whether the tip's amount is drawn struck through. */
const struckThrough = (tip: Locator) => tip.locator('.amount').evaluate((el) => getComputedStyle(el).textDecorationLine);

async function voidFrom(tip: Locator, reason: string): Promise<void> {
  await tip.getByRole('button', { name: /^Void the / }).click();
  const confirm = tip.getByRole('form', { name: /^Void the / });
  await confirm.getByLabel('Reason').fill(reason);
  await confirm.getByRole('button', { name: 'Void tip' }).click();
}

describe('voiding a tip from the dashboard', () => {
  it(
    'asks for a reason and a confirmation, strikes the tip through with its reason, and corrects the totals; a void from elsewhere shows too',
    async () => {
      const page: Page = await openDashboard();
      await signUp(page, 'Void Creator');
      await startSession(page, 'Typo night');
      await recordManualTip(page, '5', 'Kai');
      await waitForStat(page, 'Total tips', '$5.00');
      // The totals can arrive over the socket before the form's own answer, which then clears the form: wait for that.
      await expect.poll(() => page.getByRole('form', { name: 'Record a manual tip' }).getByLabel(/^Amount \(/).inputValue()).toBe('');
      await recordManualTip(page, '120', 'Oops');
      await waitForStat(page, 'Total tips', '$125.00');
      const feed = page.getByRole('list', { name: 'Tips feed' });
      const oops = tipIn(feed, 'Oops');

      // Cancel leaves it as it was.
      await oops.getByRole('button', { name: 'Void the $120.00 tip from Oops' }).click();
      const confirm = oops.getByRole('form', { name: 'Void the $120.00 tip from Oops' });
      await confirm.getByRole('button', { name: 'Cancel' }).click();
      await confirm.waitFor({ state: 'detached' });
      await waitForStat(page, 'Tips', '2');

      // No reason: refused by the server, said next to the input, nothing voided.
      await oops.getByRole('button', { name: 'Void the $120.00 tip from Oops' }).click();
      await confirm.getByRole('button', { name: 'Void tip' }).click();
      expect(await fieldErrorOf(page, 'void-reason', oops.locator('sc-tip-void'))).toMatch(/^Reason/);
      await waitForStat(page, 'Total tips', '$125.00');

      // With a reason (shown as text, never markup): struck through, marked, out of the totals.
      const reason = '<b>typed 120 for 1.20</b>';
      await confirm.getByLabel('Reason').fill(reason);
      await confirm.getByRole('button', { name: 'Void tip' }).click();
      await oops.getByText(`void: ${reason}`).waitFor();
      expect(await oops.locator('b').count(), 'a reason is never markup').toBe(0);
      expect(await struckThrough(oops)).toBe('line-through');
      expect(await oops.getByRole('button', { name: /^Void/ }).count(), 'a void tip offers no Void').toBe(0);
      await waitForStat(page, 'Total tips', '$5.00');
      await waitForStat(page, 'Tips', '1');
      expect(await struckThrough(tipIn(feed, 'Kai'))).toBe('none');

      // Voided from elsewhere (the API): the feed marks it and the totals follow.
      const api = await clientOf(page);
      const kai = (await api.tips.list({ tipperName: 'Kai' })).items[0]!;
      await api.tips.void(kai.id, { reason: 'voided from the API' });
      await tipIn(feed, 'Kai').getByText('void: voided from the API').waitFor();
      await waitForStat(page, 'Total tips', '$0.00');
      await waitForStat(page, 'Tips', '0');

      // After the stream: the session's page in history lists both, marked, and voids there too.
      await api.tips.record({ sessionId: kai.sessionId, amountCents: 700, tipperName: 'Late Fan' });
      await waitForStat(page, 'Total tips', '$7.00');
      await page.getByRole('button', { name: 'End session' }).click();
      await page.getByRole('button', { name: 'Yes, end session' }).click();
      await page.goto(`${live.base}/#/history/${kai.sessionId}`);
      const history = page.getByRole('list', { name: 'Tips of this session' });
      await tipIn(history, 'Oops').getByText(`void: ${reason}`).waitFor();
      await tipIn(history, 'Kai').getByText('void: voided from the API').waitFor();
      const totalFigure = page.locator('dl.figures > div').filter({ has: page.locator('dt', { hasText: /^Total tips$/ }) });
      await totalFigure.filter({ hasText: '$7.00' }).waitFor();
      await voidFrom(tipIn(history, 'Late Fan'), 'found after the stream');
      await tipIn(history, 'Late Fan').getByText('void: found after the stream').waitFor();
      await totalFigure.filter({ hasText: '$0.00' }).waitFor();
      expect((await api.sessions.get(kai.sessionId)).totalTipsCents).toBe(0);
    },
    TEST_MS,
  );
});
