import { css, html, nothing } from 'lit';
import { STREAM_PLATFORMS, type AnalyticsQuery, type AnalyticsSummary, type StreamPlatform, type TopTipper } from '@streaming-companion/client';
import { lastDay, presetRange, RANGE_LABELS, RANGE_PRESETS, readCustomRange, type DayRange, type RangePreset } from '../analytics-range.ts';
import { creatorTimeZone, localDate } from '../calendar.ts';
import { curveChart, itemsChart, type DashboardChart } from '../charts.ts';
import { curveBars } from '../curve.ts';
import { saveResponse } from '../download.ts';
import { noErrors } from '../errors.ts';
import { field, formError, selectField } from '../fields.ts';
import { formatCount, formatShare, PLATFORM_NAMES } from '../format.ts';
import { shared } from '../styles.ts';
import { DashboardView } from '../view-element.ts';
import { analyticsStyles, figure, goalsReached, moneyFigure, tippersTable } from './analytics-parts.ts';

const TOP_TIPPERS = 10;
const PLATFORM_OPTIONS = [{ value: '', label: 'All platforms' }, ...STREAM_PLATFORMS.map((p) => ({ value: p, label: PLATFORM_NAMES[p] }))];

interface Report {
  summary: AnalyticsSummary;
  tippers: TopTipper[];
  curve: DashboardChart;
  items: DashboardChart;
}

/**
 * What the creator's streams earned over a range of days (a preset or typed dates, in their
 * own time zone, optionally one platform): the figures, tips over time and menu sales as
 * charts, top tippers, goals reached, and every tip of the range as a CSV download.
 */
export class AnalyticsView extends DashboardView {
  static override properties = {
    preset: { state: true },
    range: { state: true },
    platform: { state: true },
    report: { state: true },
    loading: { state: true },
  };

  declare preset: RangePreset;
  declare range: DayRange;
  declare platform: StreamPlatform | '';
  /** undefined until the first answer. */
  declare report: Report | undefined;
  /** A fetch for the range is under way: the figures shown are the previous range's until it answers. */
  declare loading: boolean;

  readonly #tz = creatorTimeZone();
  /** Only the latest fetch may show its answer: the range may change again before an older one returns. */
  #loads = 0;

  constructor() {
    super();
    this.preset = '7d';
    this.range = presetRange('7d', this.#today());
    this.platform = '';
    this.loading = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  #today(): string {
    return localDate(new Date(), this.#tz);
  }

  #query(): AnalyticsQuery {
    return { ...this.range, tz: this.#tz, platform: this.platform || undefined };
  }

  async #load(): Promise<void> {
    const load = ++this.#loads;
    const query = this.#query();
    this.loading = true;
    try {
      const [summary, tippers] = await Promise.all([this.client.analytics.summary(query), this.client.analytics.topTippers({ ...query, limit: TOP_TIPPERS })]);
      if (load !== this.#loads) return;
      const centsPerToken = summary.tokens?.centsPerToken ?? null;
      this.report = { summary, tippers: tippers.items, curve: curveChart(curveBars(summary), centsPerToken), items: itemsChart(summary.menuItems, centsPerToken) };
      this.errors = noErrors;
    } catch (error) {
      if (load === this.#loads) this.errors = this.errorsFor(error, RANGE_LABELS);
    } finally {
      if (load === this.#loads) this.loading = false;
    }
  }

  /** Any change in the range form applies at once: a preset, a typed day (both must make a range), or the platform. */
  #changed(event: Event): void {
    const values = Object.fromEntries(new FormData(event.currentTarget as HTMLFormElement)) as Record<string, string>;
    const changed = (event.target as HTMLInputElement).name;
    if (changed === 'preset') {
      this.preset = values.preset as RangePreset;
      // "Custom dates" keeps the range shown, ready to be edited.
      if (this.preset === 'custom') return;
      this.range = presetRange(this.preset, this.#today());
    } else if (changed === 'from' || changed === 'to') {
      const read = readCustomRange(values);
      if (!read.ok) {
        this.errors = { fields: read.fields };
        return;
      }
      this.preset = 'custom';
      this.range = read.value;
    } else {
      this.platform = (values.platform ?? '') as StreamPlatform | '';
    }
    void this.#load();
  }

  async #download(): Promise<void> {
    await this.attempt(RANGE_LABELS, async () => saveResponse(await this.client.analytics.exportCsv(this.#query()), 'tips.csv'));
  }

  override render() {
    const e = this.errors.fields;
    return html`<h1>Analytics</h1>
      <form class="panel range" aria-label="Filters" @change=${this.#changed} @submit=${(event: SubmitEvent) => event.preventDefault()} novalidate>
        ${selectField({ id: 'preset', label: 'Range', options: RANGE_PRESETS, value: this.preset })}
        ${field({ id: 'from', label: 'From', type: 'date', value: this.range.from, error: e.from })}
        ${field({ id: 'to', label: 'To', type: 'date', value: lastDay(this.range), error: e.to })}
        ${selectField({ id: 'platform', label: 'Platform', options: PLATFORM_OPTIONS, value: this.platform, error: e.platform })}
        <div class="download">
          <button type="button" ?disabled=${this.busy} @click=${this.#download}>Download CSV</button>
        </div>
      </form>
      ${formError(this.errors.form)}
      ${this.report
        ? html`<div class="report" aria-busy=${this.loading ? 'true' : 'false'}>${this.#report(this.report)}</div>`
        : this.errors.form
          ? nothing
          : html`<p class="muted" role="status">Loading…</p>`}`;
  }

  #report({ summary: s, tippers, curve, items }: Report) {
    const t = s.tokens;
    const anonymous = s.anonymous.tipCount
      ? `${formatShare(s.anonymous.tipShare)} of tips, ${formatShare(s.anonymous.amountShare)} of the amount`
      : undefined;
    return html`<section class="panel" aria-label="Figures">
        <dl class="figures">
          ${moneyFigure('Total', s.totalCents, t?.total)} ${figure('Tips', String(s.tipCount), formatCount(s.sessionCount, 'session'))}
          ${moneyFigure('Average', s.averageCents, t?.average)} ${moneyFigure('Median', s.medianCents, t?.median)}
          ${moneyFigure('Biggest', s.biggestCents, t?.biggest)} ${figure('Unique tippers', String(s.uniqueTippers))}
          ${figure('Anonymous', formatCount(s.anonymous.tipCount, 'tip'), anonymous)}
        </dl>
      </section>
      <div class="charts">
        <section class="panel" aria-labelledby="curve-title">
          <h2 id="curve-title">Tips over time</h2>
          ${s.tipCount ? html`<sc-chart .config=${curve} label="Tips over time"></sc-chart>` : html`<p class="empty">No tips in this range.</p>`}
        </section>
        <section class="panel" aria-labelledby="items-title">
          <h2 id="items-title">Menu sales</h2>
          ${s.menuItems.length ? html`<sc-chart .config=${items} label="Menu sales"></sc-chart>` : html`<p class="empty">Nothing from the menu sold in this range.</p>`}
        </section>
      </div>
      <div class="columns">
        <section class="panel" aria-labelledby="tippers-title">
          <h2 id="tippers-title">Top tippers</h2>
          ${tippersTable(tippers, 'Top tippers', true)}
        </section>
        <section class="panel" aria-labelledby="goals-title">
          <h2 id="goals-title">Goals reached</h2>
          ${goalsReached(s.goals, true)}
        </section>
      </div>`;
  }

  static override styles = [
    shared,
    analyticsStyles,
    css`
      .range {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr));
        gap: 0.75rem;
        align-items: end;
        margin-bottom: 1rem;
      }
      .range .field + .field {
        margin-top: 0;
      }
      .report[aria-busy='true'] {
        opacity: 0.6;
      }
      .charts,
      .columns {
        display: grid;
        grid-template-columns: minmax(0, 3fr) minmax(0, 2fr);
        gap: 1rem;
        margin-top: 1rem;
        align-items: start;
      }
      @media (max-width: 900px) {
        .charts,
        .columns {
          grid-template-columns: minmax(0, 1fr);
        }
      }
    `,
  ];
}
