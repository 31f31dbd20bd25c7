import type { EntityManager, StreamPlatform } from '@streaming-companion/sdk';
import type { Interval } from './contract.ts';
import type { Period, ReadPlan, Span } from './periods.ts';

/**
 * The reports' SQL, over this plugin's own tables only. A range is read as its plan says
 * (periods.ts): whole UTC days, months and years from their rollups, the rest from the tips.
 * Lists go in as JSON (`jsonb_to_recordset`): the driver would spread a JS array into a list.
 */

export interface ReportFilter {
  creatorId: string;
  from: Date;
  to: Date;
  sessionId: string | null;
  platform: StreamPlatform | null;
}

const filterParams = (f: ReportFilter) => ({ creatorId: f.creatorId, from: f.from, to: f.to, sessionId: f.sessionId, platform: f.platform });

/** A plan reads at most two spans from the tips: one before its periods, one after. */
function spanParams(spans: Span[]) {
  const empty = { from: new Date(0), to: new Date(0) };
  const [a = empty, b = empty] = spans;
  if (spans.length > 2) throw new Error('a read plan has at most two raw spans');
  return { aFrom: a.from, aTo: a.to, bFrom: b.from, bTo: b.to };
}

const IN_SPANS = (column: string) => `((${column} >= :aFrom and ${column} < :aTo) or (${column} >= :bFrom and ${column} < :bTo))`;

/** The creator's tips in the raw spans (of one session or platform, when asked). */
const RAW_TIPS = `
  select * from analytics_tips
  where creator_id = :creatorId and ${IN_SPANS('occurred_at')}
    and (:sessionId::uuid is null or session_id = :sessionId::uuid)
    and (:platform::text is null or platform = :platform::text)`;

/** The plan's periods that have rollups (on the asked platform), one row per period and platform. */
const PERIODS = `
  jsonb_to_recordset(:periods::jsonb) as wanted(grain text, start timestamptz)
  join analytics_periods r on r.creator_id = :creatorId and r.grain = wanted.grain and r.period_start = wanted.start
    and (:platform::text is null or r.platform = :platform::text)`;

const planParams = (f: ReportFilter, plan: ReadPlan) => ({
  ...filterParams(f),
  ...spanParams(plan.raw),
  periods: JSON.stringify(plan.periods.map((p) => ({ grain: p.grain, start: p.start.toISOString() }))),
});

export interface SessionsInRange {
  sessionCount: number;
  platforms: StreamPlatform[];
}

export async function sessionsInRange(em: EntityManager, f: ReportFilter): Promise<SessionsInRange> {
  const [row] = await em.execute<Array<{ n: number; platforms: unknown }>>(
    `select count(*)::int as n, coalesce(array_agg(distinct platform), '{}') as platforms from analytics_sessions
     where creator_id = :creatorId and started_at < :to and (ended_at is null or ended_at >= :from)
       and (:sessionId::uuid is null or session_id = :sessionId::uuid)
       and (:platform::text is null or platform = :platform::text)`,
    filterParams(f),
  );
  return { sessionCount: Number(row!.n), platforms: pgArray(row!.platforms) as StreamPlatform[] };
}

export interface Totals {
  tipCount: number;
  totalCents: number;
  biggestCents: number;
  anonymousCount: number;
  anonymousCents: number;
  anonymousLastAt: Date | null;
}

/** A period's rollup row: its totals, and its tippers as a set (a bit per tipper number). */
export interface PeriodRow extends Totals {
  grain: Period['grain'];
  start: Date;
  platform: StreamPlatform;
  tipperCount: number;
  tipperBits: Uint8Array;
}

export async function periodRows(em: EntityManager, f: ReportFilter, plan: ReadPlan): Promise<PeriodRow[]> {
  if (!plan.periods.length) return [];
  const rows = await em.execute<Array<Record<string, unknown>>>(`select r.grain, r.period_start, r.platform, r.tip_count, r.total_cents, r.biggest_cents, r.anonymous_count, r.anonymous_cents,
       r.anonymous_last_at, r.tipper_count, r.tipper_bits from ${PERIODS}`, planParams(f, plan));
  return rows.map((r) => ({
    grain: r.grain as Period['grain'],
    start: new Date(r.period_start as string),
    platform: r.platform as StreamPlatform,
    ...totalsOf(r),
    tipperCount: Number(r.tipper_count),
    tipperBits: r.tipper_bits as Uint8Array,
  }));
}

export async function rawTotals(em: EntityManager, f: ReportFilter, plan: ReadPlan): Promise<Totals> {
  const [row] = await em.execute<Array<Record<string, unknown>>>(
    `select count(*) as tip_count, coalesce(sum(amount_cents), 0) as total_cents, coalesce(max(amount_cents), 0) as biggest_cents,
       count(*) filter (where tipper_no is null) as anonymous_count, coalesce(sum(amount_cents) filter (where tipper_no is null), 0) as anonymous_cents,
       max(occurred_at) filter (where tipper_no is null) as anonymous_last_at
     from (${RAW_TIPS}) raw`,
    planParams(f, plan),
  );
  return totalsOf(row!);
}

function totalsOf(r: Record<string, unknown>): Totals {
  return {
    tipCount: Number(r.tip_count),
    totalCents: Number(r.total_cents),
    biggestCents: Number(r.biggest_cents),
    anonymousCount: Number(r.anonymous_count),
    anonymousCents: Number(r.anonymous_cents),
    anonymousLastAt: r.anonymous_last_at ? new Date(r.anonymous_last_at as string) : null,
  };
}

/** How many tips of each amount, ascending: enough for an exact median. */
export async function amountHistogram(em: EntityManager, f: ReportFilter, plan: ReadPlan): Promise<Array<{ amountCents: number; tipCount: number }>> {
  const rows = await em.execute<Array<{ amount_cents: number; tip_count: number }>>(
    `select amount_cents, sum(tip_count)::int as tip_count from (
       select amount.key::int as amount_cents, amount.value::int as tip_count from ${PERIODS}, jsonb_each_text(r.amounts) amount
       union all
       select amount_cents, 1 from (${RAW_TIPS}) raw
     ) amounts group by amount_cents order by amount_cents`,
    planParams(f, plan),
  );
  return rows.map((r) => ({ amountCents: Number(r.amount_cents), tipCount: Number(r.tip_count) }));
}

/** What a named tipper gave over some part of a range. */
export interface TipperTotal {
  tipCount: number;
  totalCents: number;
  lastTipAt: Date;
}

const tipperTotals = (rows: Array<{ tipper_no: number; tip_count: number; total_cents: string; last_tip_at: string }>) =>
  new Map<number, TipperTotal>(rows.map((r) => [Number(r.tipper_no), { tipCount: Number(r.tip_count), totalCents: Number(r.total_cents), lastTipAt: new Date(r.last_tip_at) }]));

/** Every named tipper of the raw spans, with what they gave in them. */
export async function rawTippers(em: EntityManager, f: ReportFilter, plan: ReadPlan): Promise<Map<number, TipperTotal>> {
  const rows = await em.execute<Array<{ tipper_no: number; tip_count: number; total_cents: string; last_tip_at: string }>>(
    `select tipper_no, count(*)::int as tip_count, sum(amount_cents)::bigint as total_cents, max(occurred_at) as last_tip_at
     from (${RAW_TIPS}) raw where tipper_no is not null group by tipper_no`,
    planParams(f, plan),
  );
  return tipperTotals(rows);
}

/** A period on one platform: where the leaderboard reads its ranked tippers. */
export interface Segment {
  grain: Period['grain'];
  start: Date;
  platform: StreamPlatform;
}

const segmentsParam = (segments: Segment[]) => JSON.stringify(segments.map((s, i) => ({ i, grain: s.grain, start: s.start.toISOString(), platform: s.platform })));

/** The `depth` tippers who gave most in each segment, most first (the index is kept in this order). */
export async function rankedInSegments(em: EntityManager, creatorId: string, segments: Segment[], depth: number): Promise<Array<{ segment: number; tipperNo: number; totalCents: number }>> {
  const rows = await em.execute<Array<{ i: number; tipper_no: number; total_cents: string }>>(
    `select s.i, ranked.tipper_no, ranked.total_cents
     from jsonb_to_recordset(:segments::jsonb) as s(i int, grain text, start timestamptz, platform text)
     cross join lateral (
       select tipper_no, total_cents from analytics_period_tippers r
       where r.creator_id = :creatorId and r.grain = s.grain and r.period_start = s.start and r.platform = s.platform
       order by total_cents desc limit :depth
     ) ranked`,
    { creatorId, segments: segmentsParam(segments), depth },
  );
  return rows.map((r) => ({ segment: Number(r.i), tipperNo: Number(r.tipper_no), totalCents: Number(r.total_cents) }));
}

/** What each of `tipperNos` gave over all the segments. */
export async function totalsInSegments(em: EntityManager, creatorId: string, segments: Segment[], tipperNos: number[]): Promise<Map<number, TipperTotal>> {
  if (!segments.length || !tipperNos.length) return new Map();
  const rows = await em.execute<Array<{ tipper_no: number; tip_count: number; total_cents: string; last_tip_at: string }>>(
    `select r.tipper_no, sum(r.tip_count)::int as tip_count, sum(r.total_cents)::bigint as total_cents, max(r.last_tip_at) as last_tip_at
     from jsonb_to_recordset(:segments::jsonb) as s(i int, grain text, start timestamptz, platform text)
     join analytics_period_tippers r on r.creator_id = :creatorId and r.grain = s.grain and r.period_start = s.start and r.platform = s.platform
     where r.tipper_no = any(array(select jsonb_array_elements_text(:tipperNos::jsonb)::int))
     group by r.tipper_no`,
    { creatorId, segments: segmentsParam(segments), tipperNos: JSON.stringify(tipperNos) },
  );
  return tipperTotals(rows);
}

/** The names tippers last used. */
export async function tipperNames(em: EntityManager, creatorId: string, tipperNos: number[]): Promise<Map<number, string>> {
  if (!tipperNos.length) return new Map();
  const rows = await em.execute<Array<{ tipper_no: number; tipper_name: string }>>(
    `select tipper_no, tipper_name from analytics_tippers where creator_id = :creatorId and tipper_no = any(array(select jsonb_array_elements_text(:tipperNos::jsonb)::int))`,
    { creatorId, tipperNos: JSON.stringify(tipperNos) },
  );
  return new Map(rows.map((r) => [Number(r.tipper_no), r.tipper_name]));
}

/** Where an interval starts, in the creator's time zone (quarter hours and minutes are the same everywhere). */
function truncate(interval: Interval, column: string): string {
  switch (interval) {
    case 'minute':
      return `date_trunc('minute', ${column})`;
    case '15m':
      return `date_bin('15 minutes', ${column}, timestamptz '2000-01-01 00:00:00+00')`;
    default:
      return `(date_trunc('${interval}', ${column} at time zone :tz) at time zone :tz)`;
  }
}

export interface CurveRow {
  start: Date;
  tipCount: number;
  totalCents: number;
  peakViewers: number | null;
}

const QUARTER_HOUR_MS = 900_000;

/**
 * Tips and viewers per interval: the quarter-hour buckets the range holds whole, and the tips
 * and viewer samples of the rest (a part-quarter at each end; all of it for a per-minute curve
 * or one session's).
 */
export async function curve(em: EntityManager, f: ReportFilter, interval: Interval, tz: string): Promise<CurveRow[]> {
  const fromBuckets = interval !== 'minute' && !f.sessionId;
  const bucketFrom = new Date(Math.ceil(f.from.getTime() / QUARTER_HOUR_MS) * QUARTER_HOUR_MS);
  const bucketTo = new Date(Math.floor(f.to.getTime() / QUARTER_HOUR_MS) * QUARTER_HOUR_MS);
  const buckets = fromBuckets && bucketFrom < bucketTo ? { bucketFrom, bucketTo } : { bucketFrom: f.to, bucketTo: f.to };
  const raw: Span[] =
    buckets.bucketFrom < buckets.bucketTo
      ? [
          { from: f.from, to: buckets.bucketFrom },
          { from: buckets.bucketTo, to: f.to },
        ]
      : [{ from: f.from, to: f.to }];
  const rows = await em.execute<Array<{ start: string; tip_count: number; total_cents: string; peak_viewers: number | null }>>(
    `select ${truncate(interval, 'at')} as start, sum(tip_count)::int as tip_count, sum(total_cents)::bigint as total_cents, max(peak_viewers) as peak_viewers
     from (
       select bucket_start as at, tip_count, total_cents, peak_viewers from analytics_buckets
       where creator_id = :creatorId and bucket_start >= :bucketFrom and bucket_start < :bucketTo and (:platform::text is null or platform = :platform::text)
       union all
       select occurred_at, 1, amount_cents, null from (${RAW_TIPS}) raw
       union all
       select sampled_at, 0, 0, viewer_count from analytics_viewer_samples
       where creator_id = :creatorId and ${IN_SPANS('sampled_at')}
         and (:sessionId::uuid is null or session_id = :sessionId::uuid)
         and (:platform::text is null or platform = :platform::text)
     ) points group by 1 order by 1`,
    { ...filterParams(f), ...spanParams(raw.filter((s) => s.from < s.to)), ...buckets, tz },
  );
  return rows.map((r) => ({ start: new Date(r.start), tipCount: Number(r.tip_count), totalCents: Number(r.total_cents), peakViewers: r.peak_viewers === null ? null : Number(r.peak_viewers) }));
}

/** The minute of one session that brought the most (the earliest of equals). */
export async function bestMinute(em: EntityManager, f: ReportFilter & { sessionId: string }) {
  const [row] = await em.execute<Array<{ start: string; tip_count: number; total_cents: string }>>(
    `select date_trunc('minute', occurred_at) as start, count(*)::int as tip_count, sum(amount_cents)::bigint as total_cents
    from analytics_tips where session_id = :sessionId and creator_id = :creatorId and occurred_at >= :from and occurred_at < :to
    group by 1 order by 3 desc, 1 limit 1`,
    filterParams(f),
  );
  return row ? { start: new Date(row.start).toISOString(), tipCount: Number(row.tip_count), totalCents: Number(row.total_cents) } : null;
}

export async function goalCompletions(em: EntityManager, f: ReportFilter) {
  const rows = await em.execute<Array<{ goal_id: string; session_id: string; title: string | null; target_cents: string; completed_at: string; seconds: number | null }>>(
    `select g.goal_id, g.session_id, g.title, g.target_cents, g.completed_at,
      extract(epoch from g.completed_at - s.started_at)::int as seconds
    from analytics_goal_completions g left join analytics_sessions s using (session_id)
    where g.creator_id = :creatorId and g.completed_at >= :from and g.completed_at < :to
      and (:sessionId::uuid is null or g.session_id = :sessionId::uuid)
      and (:platform::text is null or s.platform = :platform::text)
    order by g.completed_at, g.goal_id`,
    filterParams(f),
  );
  return rows.map((r) => ({
    goalId: r.goal_id,
    sessionId: r.session_id,
    title: r.title,
    targetCents: Number(r.target_cents),
    completedAt: new Date(r.completed_at).toISOString(),
    secondsIntoSession: r.seconds === null ? null : Number(r.seconds),
  }));
}

export async function menuSales(em: EntityManager, f: ReportFilter) {
  const rows = await em.execute<Array<{ item_id: string; title: string; count: number; revenue_cents: string }>>(
    `select m.item_id, (array_agg(m.title order by m.occurred_at desc))[1] as title, count(*)::int as count, sum(m.amount_cents)::bigint as revenue_cents
    from analytics_menu_sales m left join analytics_sessions s using (session_id)
    where m.creator_id = :creatorId and m.occurred_at >= :from and m.occurred_at < :to
      and (:sessionId::uuid is null or m.session_id = :sessionId::uuid)
      and (:platform::text is null or s.platform = :platform::text)
    group by m.item_id order by count(*) desc, sum(m.amount_cents) desc, m.item_id`,
    filterParams(f),
  );
  return rows.map((r) => ({ itemId: r.item_id, title: r.title, count: Number(r.count), revenueCents: Number(r.revenue_cents) }));
}

/** A Postgres array as the drivers give it: already an array (pg), or its text form. */
function pgArray(value: unknown): string[] {
  if (Array.isArray(value)) return value as string[];
  const text = String(value ?? '{}').replace(/^\{|\}$/g, '');
  return text ? text.split(',') : [];
}
