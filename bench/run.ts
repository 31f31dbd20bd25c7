import { writeFile } from 'node:fs/promises';
import { BUDGET_BYTES, pageWeights } from '../packages/overlay-widgets/scripts/page-weights.ts';
import { benchAnalytics, type AnalyticsBenchRow } from './analytics.ts';
import { benchCapacity, CAPACITY_GOAL_MB } from './capacity.ts';
import { benchFanout } from './fanout.ts';
import { benchHttpStack } from './http-stack.ts';
import { benchInstances } from './instances.ts';
import { benchServerLatency } from './server-latency.ts';
import { benchTips, describeUnder } from './tips.ts';

/**
 * `npm run bench`: every benchmark, each printing its figures next to a baseline measured
 * in the same run, then all of them as `bench/results.json` and a markdown table (the one the
 * README shows). Needs PostgreSQL (DATABASE_URL, default the local server) for the raw
 * baselines; with REDIS_URL set the server side uses BullMQ and the Redis socket adapter.
 * `--quick` runs each on a fraction of the load, to check the benchmarks themselves still work.
 */
process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
const quick = process.argv.includes('--quick');

const http = await benchHttpStack(quick ? { requests: 500, concurrency: 8 } : { requests: 5_000, concurrency: 8 });
const tips = await benchTips(quick ? { sessions: 10, tips: 200, concurrency: 8 } : { sessions: 100, tips: 3_000, concurrency: 8 });
const latency = await benchServerLatency(quick ? { sessions: 10, overlaysPerSession: 3, rates: [50], seconds: 2 } : { sessions: 100, overlaysPerSession: 3, rates: [100, 500], seconds: 10 });
const fanout = await benchFanout(quick ? { overlays: 50, events: 20 } : { overlays: 500, events: 100 });
const instances = await benchInstances(quick ? { sessions: 10, overlaysPerSession: 3, ratePerSecond: 50, seconds: 2 } : { sessions: 100, overlaysPerSession: 3, ratePerSecond: 100, seconds: 10 });
const capacity = await benchCapacity(quick ? { sessions: 100, overlaysPerSession: 3 } : { sessions: 2_000, overlaysPerSession: 3 });
// B8: the overlay pages as built (npm install builds them); the build itself fails above the budget.
const pages = pageWeights();
if (pages) {
  console.log(`B8 overlay page weight (JavaScript, gzipped; budget ${(BUDGET_BYTES / 1024).toFixed(0)} KB each)`);
  for (const page of pages) console.log(`  ${page.page.padEnd(14)} ${(page.gzip / 1024).toFixed(1)} KB`);
} else {
  console.log('B8 overlay page weight: skipped (pages not built: npm run build:pages -w @streaming-companion/overlay-widgets)');
}
const analytics = await benchAnalytics(quick ? { tips: 100_000, sessions: 80, neighbours: 2, runs: 10 } : { tips: 1_000_000, sessions: 800, neighbours: 9, runs: 30 });

const mode = process.env.REDIS_URL ? 'PostgreSQL + Redis' : 'PostgreSQL, in-process jobs';
await writeFile(new URL('./results.json', import.meta.url), `${JSON.stringify({ at: new Date().toISOString(), quick, mode, http, tips, latency, fanout, instances, capacity, pages, analytics }, null, 2)}\n`);

const ms = (n: number) => `${n.toFixed(1)} ms`;
const measuredUnder = (l: (typeof latency.scaled)[number]) =>
  l.serverCpuMsPerTip !== undefined && l.host ? `; server CPU ${l.serverCpuMsPerTip.toFixed(1)} ms a tip, machine ${l.host.busy.toFixed(0)}% busy (${l.host.steal.toFixed(1)}% stolen)` : '';
const latencyRow = (name: string, l: (typeof latency.scaled)[number]) => [
  name,
  `p50 ${ms(l.p50)}, p99 ${ms(l.p99)}`,
  `lost ${l.lost}, doubled ${l.doubled}${l.refused ? `, ${l.refused} requests not accepted` : ''}${measuredUnder(l)}`,
  '',
];
const rows = [
  ['B1 `GET /api/auth/me` (auth, validation)', `${http.serverPerSecond.toFixed(0)} req/s`, `bare node:http ${http.rawPerSecond.toFixed(0)} req/s`, http.ratio.toFixed(3)],
  [
    'B2 `POST /api/tips` over many sessions',
    `${tips.ingest.serverPerSecond.toFixed(0)} tips/s; ${describeUnder(tips.ingest.server)}`,
    `raw pg ${tips.ingest.rawPerSecond.toFixed(0)} tips/s; ${describeUnder(tips.ingest.raw)}`,
    tips.ingest.ratio.toFixed(3),
  ],
  [`B3 one event to ${fanout.overlays} overlays (first → last)`, `p50 ${ms(fanout.spreadP50)}, p99 ${ms(fanout.spreadP99)}`, `bare socket.io p50 ${ms(fanout.bareSpreadP50)}`, fanout.ratio.toFixed(3)],
  ...latency.scaled.map((l) => latencyRow(`B4 tip → overlay at ${l.ratePerSecond}/s (server process, every plugin)`, l)),
  ...latency.embedded.map((l) => latencyRow(`B4 the same on the embedded default (PGlite, in-process jobs) at ${l.ratePerSecond}/s`, l)),
  ...(instances
    ? [[`B5 tip → overlay on another instance (Redis) at ${instances.ratePerSecond}/s`, `p50 ${ms(instances.two.p50)}, p99 ${ms(instances.two.p99)}`, `one instance in memory p50 ${ms(instances.one.p50)}`, `${instances.addedP50 < 0 ? '' : '+'}${ms(instances.addedP50)}`]]
    : []),
  [
    `B6 ${capacity.sessions.toLocaleString('en-US')} live sessions × ${capacity.overlays / capacity.sessions} overlays, resident memory`,
    `${capacity.serverLoadedMb.toFixed(0)} MB (goal ≤ ${CAPACITY_GOAL_MB}: ${capacity.withinGoal ? 'met' : 'missed'})`,
    `bare socket.io ${capacity.bareLoadedMb.toFixed(0)} MB`,
    (capacity.bareLoadedMb / capacity.serverLoadedMb).toFixed(3),
  ],
  ...(pages?.length
    ? [
        [
          "B8 overlay pages' JavaScript, gzipped",
          pages.map((p) => `${p.page} ${(p.gzip / 1024).toFixed(1)} KB`).join(', '),
          `budget ${(BUDGET_BYTES / 1024).toFixed(0)} KB each`,
          `largest ${(Math.max(...pages.map((p) => p.gzip)) / BUDGET_BYTES).toFixed(3)}`,
        ],
      ]
    : []),
  ...analytics.map((a: AnalyticsBenchRow) => [`analytics ${a.route}, ${a.range}`, `p50 ${ms(a.p50)}, p95 ${ms(a.p95)}`, `full scan p50 ${ms(a.scanP50)}`, a.ratio.toFixed(3)]),
];
console.log(`\n${mode}${quick ? ' (quick)' : ''}\n\n| Benchmark | Figure | Baseline | Ratio |\n| --- | --- | --- | --- |`);
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
