import type { EntityManager, StreamPlatform } from '@streaming-companion/sdk';
import type { Interval } from './contract.ts';

/**
 * The reports' SQL, over this plugin's own tables only. Every report is cut the same way: the
 * sessions of the creator (of one session or platform, when asked) that overlap the range. A
 * session the range holds whole is read from its rollups; a session cut by the range (or still
 * live) from its tips inside the range — at most a few, at the edges. So a year of a million
 * tips reads a few rows per session plus the tips of the two sessions at its ends.
 */

export interface ReportFilter {
  creatorId: string;
  from: Date;
  to: Date;
  sessionId: string | null;
  platform: StreamPlatform | null;
}

/** The named parameters every report binds; `rawOnly` reads every session from its tips. */
const params = (f: ReportFilter, rawOnly = false) => ({ creatorId: f.creatorId, from: f.from, to: f.to, sessionId: f.sessionId, platform: f.platform, rawOnly });

const SCOPE = `
  scope as (
    select session_id, platform, started_at,
      (not :rawOnly and started_at >= :from and ended_at is not null and ended_at < :to) as whole
    from analytics_sessions
    where creator_id = :creatorId
      and (:sessionId::uuid is null or session_id = :sessionId::uuid)
      and (:platform::text is null or platform = :platform::text)
      and started_at < :to and (ended_at is null or ended_at >= :from)
  )`;

/** The tips of the sessions the range cuts, inside the range. */
const CUT_TIPS = `
  select t.* from analytics_tips t join scope using (session_id)
  where not scope.whole and t.occurred_at >= :from and t.occurred_at < :to`;

export interface Totals {
  sessionCount: number;
  platforms: StreamPlatform[];
  tipCount: number;
  totalCents: number;
  biggestCents: number;
  anonymousCount: number;
  anonymousCents: number;
  anonymousLastAt: Date | null;
}

export async function totals(em: EntityManager, f: ReportFilter): Promise<Totals> {
  const [row] = await em.execute<Array<Record<string, unknown>>>(
    `with ${SCOPE},
    cut as (${CUT_TIPS}),
    parts as (
      select s.tip_count, s.total_cents, s.biggest_cents, s.anonymous_count, s.anonymous_cents, s.anonymous_last_at
      from analytics_sessions s join scope using (session_id) where scope.whole
      union all
      select count(*), coalesce(sum(amount_cents), 0), coalesce(max(amount_cents), 0),
        count(*) filter (where tipper_key is null), coalesce(sum(amount_cents) filter (where tipper_key is null), 0),
        max(occurred_at) filter (where tipper_key is null)
      from cut
    )
    select (select count(*) from scope)::int as session_count,
      (select coalesce(array_agg(distinct platform), '{}') from scope) as platforms,
      coalesce(sum(tip_count), 0)::int as tip_count, coalesce(sum(total_cents), 0)::bigint as total_cents,
      coalesce(max(biggest_cents), 0)::int as biggest_cents, coalesce(sum(anonymous_count), 0)::int as anonymous_count,
      coalesce(sum(anonymous_cents), 0)::bigint as anonymous_cents, max(anonymous_last_at) as anonymous_last_at
    from parts`,
    params(f),
  );
  return {
    sessionCount: Number(row!.session_count),
    platforms: pgArray(row!.platforms) as StreamPlatform[],
    tipCount: Number(row!.tip_count),
    totalCents: Number(row!.total_cents),
    biggestCents: Number(row!.biggest_cents),
    anonymousCount: Number(row!.anonymous_count),
    anonymousCents: Number(row!.anonymous_cents),
    anonymousLastAt: row!.anonymous_last_at ? new Date(row!.anonymous_last_at as string) : null,
  };
}

/** How many tips of each amount, ascending: enough for an exact median. */
export async function amountHistogram(em: EntityManager, f: ReportFilter): Promise<Array<{ amountCents: number; tipCount: number }>> {
  const rows = await em.execute<Array<{ amount_cents: number; tip_count: number }>>(
    `with ${SCOPE},
    amounts as (
      select a.amount_cents, a.tip_count from analytics_session_amounts a join scope using (session_id) where scope.whole
      union all
      select amount_cents, 1 from (${CUT_TIPS}) cut
    )
    select amount_cents, sum(tip_count)::int as tip_count from amounts group by amount_cents order by amount_cents`,
    params(f),
  );
  return rows.map((r) => ({ amountCents: Number(r.amount_cents), tipCount: Number(r.tip_count) }));
}

/** Named tippers in the range, one row per person (by lowercased name). */
const TIPPERS = `
  tippers as (
    select k.tipper_key, k.tipper_name, k.tip_count, k.total_cents, k.last_tip_at
    from analytics_session_tippers k join scope using (session_id) where scope.whole
    union all
    select tipper_key, tipper_name, 1, amount_cents, occurred_at from (${CUT_TIPS}) cut where tipper_key is not null
  )`;

export async function uniqueTippers(em: EntityManager, f: ReportFilter): Promise<number> {
  const [row] = await em.execute<Array<{ n: number }>>(`with ${SCOPE}, ${TIPPERS} select count(distinct tipper_key)::int as n from tippers`, params(f));
  return Number(row!.n);
}

export interface TipperRow {
  tipperName: string;
  tipCount: number;
  totalCents: number;
  lastTipAt: Date;
}

/** The named tippers who gave most, ties to the most recent; each under the name they last used. */
export async function topNamedTippers(em: EntityManager, f: ReportFilter, limit: number): Promise<TipperRow[]> {
  const rows = await em.execute<Array<{ tipper_name: string; tip_count: number; total_cents: string; last_tip_at: string }>>(
    `with ${SCOPE}, ${TIPPERS}
    select (array_agg(tipper_name order by last_tip_at desc))[1] as tipper_name, sum(tip_count)::int as tip_count,
      sum(total_cents)::bigint as total_cents, max(last_tip_at) as last_tip_at
    from tippers group by tipper_key order by sum(total_cents) desc, max(last_tip_at) desc, tipper_key limit :limit`,
    { ...params(f), limit },
  );
  return rows.map((r) => ({ tipperName: r.tipper_name, tipCount: Number(r.tip_count), totalCents: Number(r.total_cents), lastTipAt: new Date(r.last_tip_at) }));
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

/**
 * Tips and viewers per interval. Whole sessions give their quarter-hour buckets; for a
 * per-minute curve (short ranges only) every session gives its tips and samples.
 */
export async function curve(em: EntityManager, f: ReportFilter, interval: Interval, tz: string): Promise<CurveRow[]> {
  const fine = interval === 'minute';
  const rows = await em.execute<Array<{ start: string; tip_count: number; total_cents: string; peak_viewers: number | null }>>(
    `with ${SCOPE},
    points as (
      select b.bucket_start as at, b.tip_count, b.total_cents, b.peak_viewers
      from analytics_buckets b join scope using (session_id) where scope.whole
      union all
      select occurred_at, 1, amount_cents, null from (${CUT_TIPS}) cut
      union all
      select v.sampled_at, 0, 0, v.viewer_count from analytics_viewer_samples v join scope using (session_id)
      where not scope.whole and v.sampled_at >= :from and v.sampled_at < :to
    )
    select ${truncate(interval, 'at')} as start, sum(tip_count)::int as tip_count, sum(total_cents)::bigint as total_cents, max(peak_viewers) as peak_viewers
    from points group by 1 order by 1`,
    { ...params(f, fine), tz },
  );
  return rows.map((r) => ({ start: new Date(r.start), tipCount: Number(r.tip_count), totalCents: Number(r.total_cents), peakViewers: r.peak_viewers === null ? null : Number(r.peak_viewers) }));
}

/** The minute of one session that brought the most (the earliest of equals). */
export async function bestMinute(em: EntityManager, f: ReportFilter & { sessionId: string }) {
  const [row] = await em.execute<Array<{ start: string; tip_count: number; total_cents: string }>>(
    `select date_trunc('minute', occurred_at) as start, count(*)::int as tip_count, sum(amount_cents)::bigint as total_cents
    from analytics_tips where session_id = :sessionId and creator_id = :creatorId and occurred_at >= :from and occurred_at < :to
    group by 1 order by 3 desc, 1 limit 1`,
    params(f),
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
    params(f),
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
    params(f),
  );
  return rows.map((r) => ({ itemId: r.item_id, title: r.title, count: Number(r.count), revenueCents: Number(r.revenue_cents) }));
}

/** A Postgres array as the drivers give it: already an array (pg), or its text form. */
function pgArray(value: unknown): string[] {
  if (Array.isArray(value)) return value as string[];
  const text = String(value ?? '{}').replace(/^\{|\}$/g, '');
  return text ? text.split(',') : [];
}
