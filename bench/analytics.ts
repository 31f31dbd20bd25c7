import { analyticsPlugin } from '@streaming-companion/plugin-analytics';
import { tipsPlugin } from '@streaming-companion/plugin-tips';
import { startTestKernel, type TestKernel } from '@streaming-companion/testing';
import pg from 'pg';
import { percentile } from './measure.ts';
import { AS_DEPLOYED } from './as-deployed.ts';

export interface AnalyticsBenchOptions {
  /** Tips of the creator the reports are for, spread over `sessions` streams of three hours, one a day. */
  tips: number;
  sessions: number;
  /** Other creators sharing the tables, each with a tenth as many tips. */
  neighbours: number;
  /** Timed calls of each report. */
  runs: number;
}

const TZ = 'Europe/Berlin';

/**
 * `GET /api/analytics/summary` and `/top-tippers` over a creator's whole history on PostgreSQL,
 * against a plain full scan of the same tips answering the same questions in the same run. The
 * tips are seeded in SQL (a million through the API would take the bench an hour), and the
 * rollups built from them by the same statements' aggregates the recorder keeps incrementally;
 * the figures of both sides are compared before anything is timed.
 */
export interface AnalyticsBenchRow {
  range: string;
  route: 'summary' | 'top-tippers';
  p50: number;
  p95: number;
  scanP50: number;
  scanP95: number;
  ratio: number;
}

export async function benchAnalytics(options: AnalyticsBenchOptions): Promise<AnalyticsBenchRow[]> {
  const results: AnalyticsBenchRow[] = [];
  const t = await startTestKernel({ plugins: [tipsPlugin, analyticsPlugin], env: AS_DEPLOYED });
  try {
    const databaseUrl = (t.kernel as { config: { databaseUrl?: string } }).config.databaseUrl;
    if (!databaseUrl) throw new Error('the analytics benchmark measures PostgreSQL: set DATABASE_URL');
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    try {
      const { token, creator } = await t.createCreator();
      const seeding = performance.now();
      await seed(pool, creator.id, options.tips, options.sessions);
      for (let i = 0; i < options.neighbours; i++) await seed(pool, (await t.createCreator()).creator.id, options.tips / 10, options.sessions / 10);
      await pool.query('vacuum analyze');
      console.log(`analytics: seeded ${options.tips.toLocaleString('en')} tips in ${options.sessions} sessions (+ ${options.neighbours} other creators) in ${((performance.now() - seeding) / 1000).toFixed(1)} s`);

      // Whole history, and a range that cuts a session at each end (those two are read from their tips).
      const { rows } = await pool.query<{ first: Date; last: Date }>(`select min(started_at) as first, max(ended_at) as last from analytics_sessions where creator_id = $1`, [creator.id]);
      const history = { from: rows[0]!.first, to: new Date(rows[0]!.last.getTime() + 1_000) };
      const cut = { from: new Date(history.from.getTime() + 86_400_000 + 3_600_000), to: new Date(history.to.getTime() - 86_400_000 - 3_600_000) };

      for (const [label, range] of [['whole history', history], ['cutting a session at each end', cut]] as const) {
        const query = `from=${range.from.toISOString()}&to=${range.to.toISOString()}&tz=${TZ}`;
        const summaryPath = `/api/analytics/summary?${query}&interval=week`;
        const topPath = `/api/analytics/top-tippers?${query}&limit=10`;
        await agree(t, token, pool, creator.id, range, summaryPath, topPath);
        const summary = await timed(options.runs, () => get(t, token, summaryPath));
        const summaryScan = await timed(options.runs, () => fullScanSummary(pool, creator.id, range));
        const top = await timed(options.runs, () => get(t, token, topPath));
        const topScan = await timed(options.runs, () => fullScanTopTippers(pool, creator.id, range));
        for (const [route, own, scan] of [['summary', summary, summaryScan], ['top-tippers', top, topScan]] as const) {
          results.push({ range: label, route, p50: percentile(own, 50), p95: percentile(own, 95), scanP50: percentile(scan, 50), scanP95: percentile(scan, 95), ratio: percentile(own, 50) / percentile(scan, 50) });
        }
        console.log(`analytics over ${label} (${options.runs} runs each, p50 / p95)`);
        console.log(`  GET summary (HTTP)       ${fmt(summary)}    full scan ${fmt(summaryScan)}    ratio ${(percentile(summary, 50) / percentile(summaryScan, 50)).toFixed(3)}`);
        console.log(`  GET top-tippers (HTTP)   ${fmt(top)}    full scan ${fmt(topScan)}    ratio ${(percentile(top, 50) / percentile(topScan, 50)).toFixed(3)}`);
      }
      return results;
    } finally {
      await pool.end();
    }
  } finally {
    await t.stop();
  }
}

/**
 * One creator's history: a three-hour session a day, tips spread over it, tippers drawn from
 * 20,000 viewers with a few regulars giving most (the cube of a uniform draw), one tip in ten
 * anonymous, amounts from 1 to 500 tokens at 5 cents. Then the tipper numbers and the rollups,
 * as the recorder keeps them tip by tip, built here by grouping the tips.
 */
async function seed(pool: pg.Pool, creatorId: string, tips: number, sessions: number): Promise<void> {
  const perSession = Math.floor(tips / sessions);
  const periodOf = `date_trunc(g.grain, t.occurred_at at time zone 'UTC') at time zone 'UTC'`;
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query(
      `insert into analytics_sessions (session_id, creator_id, platform, title, started_at, ended_at)
       select gen_random_uuid(), $1, 'chaturbate', 'Stream ' || n, timestamptz '2024-01-01 19:00+00' + n * interval '1 day', timestamptz '2024-01-01 22:00+00' + n * interval '1 day'
       from generate_series(0, $2 - 1) n`,
      [creatorId, sessions],
    );
    // The draw reads `i` so that PostgreSQL runs it for every tip rather than once.
    await client.query(
      `insert into analytics_tips (tip_id, creator_id, session_id, platform, occurred_at, amount_cents, tokens, cents_per_token, tipper_no, tipper_name, source)
       select gen_random_uuid(), $1, s.session_id, 'chaturbate', s.started_at + (i * interval '10800 seconds') / $2, tokens * 5, tokens, 5,
         case when anon then null else viewer end, case when anon then null else 'Viewer' || viewer end, 'platform_api'
       from analytics_sessions s, generate_series(0, $2 - 1) i,
         lateral (select (1 + floor(random() ^ 4 * 500))::int + i * 0 as tokens, random() < 0.1 as anon, floor(random() ^ 3 * 20000)::int as viewer) draw
       where s.creator_id = $1`,
      [creatorId, perSession],
    );
    await client.query(
      `insert into analytics_tippers (creator_id, tipper_no, tipper_key, tipper_name, last_tip_at)
       select $1, tipper_no, 'viewer' || tipper_no, 'Viewer' || tipper_no, max(occurred_at) from analytics_tips where creator_id = $1 and tipper_no is not null group by tipper_no`,
      [creatorId],
    );
    await client.query(`insert into analytics_creators (creator_id, tipper_count) select $1, max(tipper_no) + 1 from analytics_tippers where creator_id = $1`, [creatorId]);
    const eachPeriod = `from analytics_tips t, unnest(array['day', 'month', 'year']) g(grain) where t.creator_id = $1`;
    await client.query(
      `insert into analytics_periods (creator_id, grain, period_start, platform, tip_count, total_cents, biggest_cents, anonymous_count, anonymous_cents, anonymous_last_at, tipper_count, tipper_bits, amounts)
       select $1, g.grain, ${periodOf}, 'chaturbate', count(*), sum(amount_cents), max(amount_cents), count(*) filter (where tipper_no is null),
         coalesce(sum(amount_cents) filter (where tipper_no is null), 0), max(occurred_at) filter (where tipper_no is null), count(distinct tipper_no), ''::bytea,
         (select jsonb_object_agg(amount::text, n) from (select amount, count(*) n from unnest(array_agg(t.amount_cents)) x(amount) group by 1) a)
       ${eachPeriod} group by 2, 3`,
      [creatorId],
    );
    await client.query(
      `insert into analytics_period_tippers (creator_id, grain, period_start, platform, tipper_no, tip_count, total_cents, last_tip_at)
       select $1, g.grain, ${periodOf}, 'chaturbate', tipper_no, count(*), sum(amount_cents), max(occurred_at) ${eachPeriod} and tipper_no is not null group by 2, 3, 5`,
      [creatorId],
    );
    // Each period's set of tippers: byte n / 8 of the set holds bit n % 8 for tipper n (set_bit's order).
    await client.query(
      `with bytes as (
         select grain, period_start, tipper_no >> 3 as at, bit_or(1 << (tipper_no & 7)) as byte from analytics_period_tippers where creator_id = $1 group by 1, 2, 3
       ), sets as (
         select s.grain, s.period_start, string_agg(set_byte('\\x00'::bytea, 0, coalesce(b.byte, 0)), ''::bytea order by i) as bits
         from (select grain, period_start, max(at) as last from bytes group by 1, 2) s
           cross join lateral generate_series(0, s.last) i
           left join bytes b on b.grain = s.grain and b.period_start = s.period_start and b.at = i
         group by 1, 2
       )
       update analytics_periods p set tipper_bits = sets.bits from sets where p.creator_id = $1 and p.grain = sets.grain and p.period_start = sets.period_start`,
      [creatorId],
    );
    await client.query(
      `insert into analytics_buckets (creator_id, bucket_start, platform, tip_count, total_cents)
       select $1, date_bin('15 minutes', occurred_at, timestamptz '2000-01-01 00:00:00+00'), 'chaturbate', count(*), sum(amount_cents)
       from analytics_tips where creator_id = $1 group by 2`,
      [creatorId],
    );
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}

interface Range {
  from: Date;
  to: Date;
}

/** The summary's figures and the weekly curve, every one straight from the tips. */
async function fullScanSummary(pool: pg.Pool, creatorId: string, range: Range) {
  const where = `creator_id = $1 and occurred_at >= $2 and occurred_at < $3`;
  const args = [creatorId, range.from, range.to];
  const [figures, curve] = await Promise.all([
    pool.query(
      `select count(*)::int as tip_count, coalesce(sum(amount_cents), 0)::bigint as total_cents, coalesce(max(amount_cents), 0) as biggest_cents,
         -- numeric, whose round() takes a half up as the server's does (a double's rounds it to even)
         round(coalesce(percentile_cont(0.5) within group (order by amount_cents), 0)::numeric)::int as median_cents,
         count(distinct tipper_no)::int as unique_tippers, count(*) filter (where tipper_no is null)::int as anonymous_count
       from analytics_tips where ${where}`,
      args,
    ),
    pool.query(
      `select date_trunc('week', occurred_at at time zone '${TZ}') as start, count(*)::int, sum(amount_cents)::bigint
       from analytics_tips where ${where} group by 1 order by 1`,
      args,
    ),
  ]);
  return { ...figures.rows[0], points: curve.rowCount };
}

async function fullScanTopTippers(pool: pg.Pool, creatorId: string, range: Range) {
  const { rows } = await pool.query(
    `select n.tipper_name, top.total_cents from (
       select tipper_no, sum(amount_cents)::bigint as total_cents, max(occurred_at) as last_tip_at from analytics_tips
       where creator_id = $1 and occurred_at >= $2 and occurred_at < $3 and tipper_no is not null
       group by tipper_no order by 2 desc, 3 desc limit 10
     ) top join analytics_tippers n on n.creator_id = $1 and n.tipper_no = top.tipper_no order by 2 desc, top.last_tip_at desc`,
    [creatorId, range.from, range.to],
  );
  return rows;
}

/** The server's reports and the full scans must give the same figures, or the timings compare nothing. */
async function agree(t: TestKernel, token: string, pool: pg.Pool, creatorId: string, range: Range, summaryPath: string, topPath: string): Promise<void> {
  const [summary, scan, top, topScan] = await Promise.all([get(t, token, summaryPath), fullScanSummary(pool, creatorId, range), get(t, token, topPath), fullScanTopTippers(pool, creatorId, range)]);
  const server = { tipCount: summary.tipCount, totalCents: summary.totalCents, biggestCents: summary.biggestCents, medianCents: summary.medianCents, uniqueTippers: summary.uniqueTippers, anonymous: summary.anonymous.tipCount, points: summary.curve.length };
  const plain = { tipCount: scan.tip_count, totalCents: Number(scan.total_cents), biggestCents: scan.biggest_cents, medianCents: scan.median_cents, uniqueTippers: scan.unique_tippers, anonymous: scan.anonymous_count, points: scan.points };
  if (JSON.stringify(server) !== JSON.stringify(plain)) throw new Error(`the summary and the full scan disagree: ${JSON.stringify(server)} vs ${JSON.stringify(plain)}`);
  const named = top.items.filter((i: { anonymous: boolean }) => !i.anonymous).map((i: { totalCents: number }) => i.totalCents);
  const scanned = topScan.map((r) => Number(r.total_cents)).slice(0, named.length);
  if (JSON.stringify(named) !== JSON.stringify(scanned)) throw new Error(`top tippers disagree: ${JSON.stringify(named)} vs ${JSON.stringify(scanned)}`);
}

async function get(t: TestKernel, token: string, path: string) {
  const response = await t.http.get(path, { token });
  if (response.status !== 200) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** Milliseconds of each of `runs` calls, after two warm-up calls. */
async function timed(runs: number, call: () => Promise<unknown>): Promise<number[]> {
  await call();
  await call();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await call();
    samples.push(performance.now() - started);
  }
  return samples;
}

const fmt = (samples: number[]) => `${percentile(samples, 50).toFixed(1).padStart(7)} / ${percentile(samples, 95).toFixed(1).padStart(7)} ms`;
