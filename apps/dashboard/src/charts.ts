import type { ChartConfiguration } from 'chart.js';
import type { AnalyticsSummary } from '@streaming-companion/client';
import type { CurveBar } from './curve.ts';
import { displayUnit } from './display-unit.ts';
import { formatCents, formatCount, formatTokens } from './format.ts';

/**
 * What the analytics charts draw, as chart.js configurations. Only types come from chart.js
 * here: `<sc-chart>` loads the library itself, when a chart is first shown, and colours them.
 */
export type DashboardChart = ChartConfiguration<'bar' | 'line', Array<number | null>, string>;

/** An amount, and in tokens too when the figures are from one token platform (and amounts are not already in tokens). */
const money = (cents: number, centsPerToken: number | null) => (centsPerToken && displayUnit.current.kind === 'currency' ? `${formatCents(cents)} (${formatTokens(Math.round((cents / centsPerToken) * 100) / 100)})` : formatCents(cents));

/** Tips (in cents) per interval as bars; the peak viewers as a line on an axis of their own, when any were reported. */
export function curveChart(bars: CurveBar[], centsPerToken: number | null): DashboardChart {
  const viewers = bars.some((bar) => bar.peakViewers !== null);
  return {
    type: 'bar',
    data: {
      labels: bars.map((bar) => bar.label),
      datasets: [
        { type: 'bar', label: 'Tips', data: bars.map((bar) => bar.totalCents), yAxisID: 'y', order: 2 },
        ...(viewers ? [{ type: 'line' as const, label: 'Peak viewers', data: bars.map((bar) => bar.peakViewers), yAxisID: 'viewers', spanGaps: true, order: 1 }] : []),
      ],
    },
    options: {
      interaction: { mode: 'index', intersect: false },
      scales: {
        // Level labels, thinned out to what fits, read better than a slanted crowd of them.
        x: { ticks: { maxRotation: 0, autoSkipPadding: 16 } },
        y: { beginAtZero: true, ticks: { callback: (value) => formatCents(Number(value)) } },
        ...(viewers ? { viewers: { position: 'right' as const, beginAtZero: true, grid: { drawOnChartArea: false }, ticks: { precision: 0 } } } : {}),
      },
      plugins: {
        legend: { display: viewers },
        tooltip: {
          callbacks: {
            label: (item) =>
              item.dataset.yAxisID === 'viewers' ? `${item.formattedValue} viewers` : `${money(Number(item.raw), centsPerToken)} from ${formatCount(bars[item.dataIndex]!.tipCount, 'tip')}`,
          },
        },
      },
    },
  };
}

/** What each menu item brought in, as horizontal bars (in cents), best seller first as the server orders them. */
export function itemsChart(items: AnalyticsSummary['menuItems'], centsPerToken: number | null): DashboardChart {
  return {
    type: 'bar',
    data: {
      labels: items.map((item) => item.title),
      datasets: [{ label: 'Menu sales', data: items.map((item) => item.revenueCents) }],
    },
    options: {
      indexAxis: 'y',
      scales: { x: { beginAtZero: true, ticks: { callback: (value) => formatCents(Number(value)) } } },
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: (item) => `${money(Number(item.raw), centsPerToken)}, sold ${items[item.dataIndex]!.count} ×` } },
      },
    },
  };
}
