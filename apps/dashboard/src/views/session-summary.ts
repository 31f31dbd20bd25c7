import { css, html, nothing, type PropertyValues } from 'lit';
import type { AnalyticsSummary, TopTipper } from '@streaming-companion/client';
import { creatorTimeZone } from '../calendar.ts';
import { caughtUp, RETRY_DELAYS_MS } from '../catch-up.ts';
import { curveChart, type DashboardChart } from '../charts.ts';
import { curveBars } from '../curve.ts';
import { formatCents, formatCount, formatTime } from '../format.ts';
import { shared } from '../styles.ts';
import { DashboardView } from '../view-element.ts';
import { analyticsStyles, figure, goalsReached, itemsSold, moneyFigure, tippersTable } from './analytics-parts.ts';

const TOP_TIPPERS = 5;

interface Report {
  summary: AnalyticsSummary;
  tippers: TopTipper[];
  curve: DashboardChart;
}

/**
 * `<sc-session-summary>`: one ended session at a glance (total, tips, best minute, top
 * tippers, goals reached, items sold, tips over time), shown by the live view when a session
 * ends and by its page in history. The analytics are written just after the tips, so while
 * they count less than the session's plugins know, it fetches again (a few times, waiting
 * longer each time) before showing them.
 */
export class SessionSummary extends DashboardView {
  static override properties = {
    sessionId: { attribute: false },
    tipCount: { attribute: false },
    report: { state: true },
    lag: { state: true },
    error: { state: true },
  };

  declare sessionId: string;
  /** The session's own tip count, which the tips plugin keeps at once. */
  declare tipCount: number;
  declare report: Report | undefined;
  /** `waiting` while fetching again for what is still being counted; `late` when it was shown before catching up. */
  declare lag: 'waiting' | 'late' | undefined;
  declare error: string | undefined;

  #retry: ReturnType<typeof setTimeout> | undefined;
  /** Only the latest fetch may show its answer. */
  #loads = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) void this.#load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#retry);
    this.#loads++;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('sessionId') || changed.has('tipCount')) void this.#load();
  }

  async #load(attempt = 0): Promise<void> {
    clearTimeout(this.#retry);
    const load = ++this.#loads;
    const { sessionId } = this;
    const query = { sessionId, tz: creatorTimeZone() };
    try {
      const [summary, tippers, goals, sales] = await Promise.all([
        this.client.analytics.summary(query),
        this.client.analytics.topTippers({ ...query, limit: TOP_TIPPERS }),
        this.client.goals.list(sessionId),
        this.client.menu.sales(sessionId),
      ]);
      if (load !== this.#loads) return;
      const facts = {
        tipCount: this.tipCount,
        goalsReached: goals.filter((goal) => goal.status === 'completed').length,
        itemsSold: sales.reduce((sum, item) => sum + item.count, 0),
      };
      const complete = caughtUp(summary, facts);
      if (!complete && attempt < RETRY_DELAYS_MS.length) {
        this.lag = 'waiting';
        this.#retry = setTimeout(() => void this.#load(attempt + 1), RETRY_DELAYS_MS[attempt]);
        return;
      }
      this.report = { summary, tippers: tippers.items, curve: curveChart(curveBars(summary), summary.tokens?.centsPerToken ?? null) };
      this.lag = complete ? undefined : 'late';
      this.error = undefined;
    } catch (error) {
      if (load === this.#loads) this.error = this.explain(error);
    }
  }

  override render() {
    return html`<section class="panel" aria-labelledby="summary-title">
      <h2 id="summary-title">Session summary</h2>
      ${this.error ? html`<p class="form-error" role="alert">${this.error}</p>` : nothing} ${this.#state()}
      ${this.report ? this.#report(this.report) : nothing}
    </section>`;
  }

  #state() {
    if (this.lag === 'waiting') return html`<p class="muted" role="status">Adding up the last tips…</p>`;
    if (this.lag === 'late') {
      return html`<p class="muted" role="status">
        Some tips may not be counted here yet. <button class="small" @click=${() => this.#load()}>Refresh</button>
      </p>`;
    }
    return this.report || this.error ? nothing : html`<p class="muted" role="status">Loading…</p>`;
  }

  #report({ summary: s, tippers, curve }: Report) {
    const best = s.bestMinute;
    return html`<dl class="figures" aria-label="Session figures">
        ${moneyFigure('Total', s.totalCents, s.tokens?.total)} ${figure('Tips', String(s.tipCount))}
        ${figure('Best minute', best ? formatCents(best.totalCents) : '—', best ? `at ${formatTime(best.start)}, ${formatCount(best.tipCount, 'tip')}` : undefined)}
        ${figure('Tippers', String(s.uniqueTippers))}
      </dl>
      <div class="columns">
        <section aria-labelledby="summary-tippers">
          <h3 id="summary-tippers">Top tippers</h3>
          ${tippersTable(tippers, 'Top tippers of this session', false)}
        </section>
        <section aria-labelledby="summary-goals">
          <h3 id="summary-goals">Goals reached</h3>
          ${goalsReached(s.goals, false)}
        </section>
        <section aria-labelledby="summary-items">
          <h3 id="summary-items">Items sold</h3>
          ${itemsSold(s.menuItems)}
        </section>
      </div>
      ${s.tipCount ? html`<h3>Tips over the session</h3><sc-chart .config=${curve} label="Tips over the session"></sc-chart>` : nothing}`;
  }

  static override styles = [
    shared,
    analyticsStyles,
    css`
      .columns {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(15rem, 1fr));
        gap: 1rem;
        margin: 1rem 0;
      }
    `,
  ];
}
