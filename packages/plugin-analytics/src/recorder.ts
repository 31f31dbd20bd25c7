import { preparedQuery, type EntityManager, type PayloadOf, type SessionsService, type kernelEvents } from '@streaming-companion/sdk';
import type { goalEvents, GoalsService } from '@streaming-companion/plugin-goals/contract';
import type { menuEvents } from '@streaming-companion/plugin-menu/contract';
import type { tipEvents, TipsService } from '@streaming-companion/plugin-tips/contract';

type SessionViewers = PayloadOf<(typeof kernelEvents)['domain']['streaming.session.viewers']>;
type TipReceived = PayloadOf<(typeof tipEvents)['domain']['streaming.tip.received']>;
type TipVoided = PayloadOf<(typeof tipEvents)['domain']['streaming.tip.voided']>;
/** What counting a tip needs of it. */
type TipToCount = Pick<TipReceived, 'tipId' | 'creatorId' | 'sessionId' | 'amountCents' | 'source'> & {
  tipperName: string | null;
  tokens: number | null;
  centsPerToken: number | null;
  at: Date;
};
type GoalCompleted = PayloadOf<(typeof goalEvents)['domain']['streaming.goal.completed']>;
type ItemPurchased = PayloadOf<(typeof menuEvents)['domain']['streaming.menu_item.purchased']>;

const QUARTER_HOUR_MS = 900_000;
/** Thrown to roll back a named tip's transaction when the tip was claimed already. */
const NOT_COUNTED = Symbol('not counted');

/** One row per grain, and where the tip's period of that grain starts (UTC, as periods.ts cuts them). */
const GRAIN_ROWS = `unnest(array['day', 'month', 'year']) as g(grain)`;
/** The start of the `grain` period (UTC) holding the time `at` stands for. */
const periodStart = (at: string) => `date_trunc(grain, ${at}::timestamptz at time zone 'UTC') at time zone 'UTC'`;
const PERIOD_START = periodStart(':at');
/** Where the period of a rollup row `r` ends (UTC, so a month is a calendar month whatever the connection's zone). */
const PERIOD_END = (r: string) => `((${r}.period_start at time zone 'UTC') + ('1 ' || ${r}.grain)::interval) at time zone 'UTC'`;

export interface RecorderDependencies {
  sessions: SessionsService;
  tips: TipsService;
  /** Absent when the goals plugin is not loaded (then no goal completes either). */
  goals: GoalsService | undefined;
}

/**
 * Keeps the facts and the rollups. Every method runs in the transaction of a `once` subscriber,
 * so an event delivered twice is counted once, and a fact never lands without its rollups.
 * Plain SQL upserts over this plugin's own tables: each is one statement, whatever the race.
 * Rehearsals are left out: nothing of a session flagged `rehearsal` is written, so no report,
 * export or count can include it.
 */
export class AnalyticsRecorder {
  readonly #d: RecorderDependencies;

  constructor(dependencies: RecorderDependencies) {
    this.#d = dependencies;
  }

  /** A session as the reports name and count it: written when it starts, when it ends, and the first time anything of it arrives. */
  async session(em: EntityManager, creatorId: string, sessionId: string): Promise<void> {
    await this.#copySession(em, creatorId, sessionId);
  }

  /** Its platform, or null for a rehearsal (which is not copied). */
  async #copySession(em: EntityManager, creatorId: string, sessionId: string): Promise<string | null> {
    const session = await this.#d.sessions.get(em, creatorId, sessionId);
    if (session.rehearsal) return null;
    await em.execute(
      `insert into analytics_sessions (session_id, creator_id, platform, title, started_at, ended_at) values (:sessionId, :creatorId, :platform, :title, :startedAt, :endedAt)
       on conflict (session_id) do update set title = excluded.title, ended_at = excluded.ended_at`,
      { sessionId, creatorId, platform: session.platform, title: session.title, startedAt: new Date(session.startedAt), endedAt: session.endedAt ? new Date(session.endedAt) : null },
    );
    return session.platform;
  }

  async viewers(em: EntityManager, { creatorId, sessionId, viewerCount, sampledAt }: SessionViewers): Promise<void> {
    const platform = await this.#platform(em, creatorId, sessionId);
    if (!platform) return;
    const at = new Date(sampledAt);
    await em.execute(
      `insert into analytics_viewer_samples (session_id, sampled_at, creator_id, platform, viewer_count) values (:sessionId, :at, :creatorId, :platform, :viewerCount)
       on conflict do nothing`,
      { sessionId, at, creatorId, platform, viewerCount },
    );
    await em.execute(
      `insert into analytics_buckets (creator_id, bucket_start, platform, tip_count, total_cents, peak_viewers) values (:creatorId, :bucket, :platform, 0, 0, :viewerCount)
       on conflict (creator_id, bucket_start, platform) do update set peak_viewers = greatest(analytics_buckets.peak_viewers, excluded.peak_viewers)`,
      { creatorId, bucket: quarterHour(at), platform, viewerCount },
    );
  }

  /**
   * The fact, the rollups of its day, month and year and its quarter hour, in one statement
   * that first claims the tip (see COUNT_TIP), so an anonymous tip is counted in a single round
   * trip with no transaction around it. A named tipper's number is given first and their
   * rollups follow, in one transaction, which is rolled back when the tip turns out claimed
   * already (counted before, or voided): the tipper is then left as it was.
   */
  async tip(em: EntityManager, received: TipReceived): Promise<void> {
    const tip = await this.#tipOf(em, received);
    if (!tip) return;
    if (tip.tipperName === null) {
      await this.#count(em, tip, null);
      return;
    }
    const tipperName = tip.tipperName;
    await em
      .transactional(async (transaction) => {
        const tx = transaction as EntityManager;
        const tipperNo = await this.#tipperNo(tx, tip.creatorId, tipperName, tip.at);
        const platform = await this.#count(tx, tip, tipperNo);
        if (!platform) throw NOT_COUNTED;
        await this.#countTipper(tx, { creatorId: tip.creatorId, platform, at: tip.at, amount: tip.amountCents, tipperNo });
      })
      .catch((error: unknown) => {
        if (error !== NOT_COUNTED) throw error;
      });
  }

  /**
   * What counting needs of the tip: its event carries it; one written by an earlier version of
   * the tips plugin does not, so the tip is read (and skipped once void).
   */
  async #tipOf(em: EntityManager, received: TipReceived): Promise<TipToCount | null> {
    const { creatorId, sessionId, tipId, amountCents, source } = received;
    if (received.createdAt !== undefined) {
      const { tipperName = null, tokens = null, centsPerToken = null } = received;
      return { tipId, creatorId, sessionId, amountCents, source, tipperName, tokens, centsPerToken, at: new Date(received.createdAt) };
    }
    const tip = await this.#d.tips.get(em, creatorId, tipId);
    if (!tip || tip.voidedAt) return null;
    const tipperName = tip.isAnonymous ? null : tip.tipperName;
    return { tipId, creatorId, sessionId, amountCents: tip.amountCents, source: tip.source, tipperName, tokens: tip.tokens, centsPerToken: tip.centsPerToken, at: new Date(tip.createdAt) };
  }

  /**
   * Counts the tip unless it was claimed before; answers the platform it was counted under, or
   * null. The session is copied the first time one of its tips comes (and a rehearsal's never is,
   * which leaves its tips uncounted).
   */
  async #count(em: EntityManager, tip: TipToCount, tipperNo: number | null): Promise<string | null> {
    const values = [
      tip.tipId,
      tip.creatorId,
      tip.sessionId,
      tip.at,
      tip.amountCents,
      tip.tokens,
      tip.centsPerToken,
      tipperNo,
      tip.tipperName,
      tip.source,
      tipperNo === null ? 1 : 0,
      quarterHour(tip.at),
    ];
    const countOnce = async () => (await preparedQuery<{ platform: string | null; counted: boolean }>(em, COUNT_TIP, values))[0]!;
    let written = await countOnce();
    if (written.platform === null) {
      if (!(await this.#copySession(em, tip.creatorId, tip.sessionId))) return null;
      written = await countOnce();
    }
    return written.counted ? written.platform : null;
  }

  /** A tipper new to a period is counted and gets its bit in the period's set (grown to hold it). */
  async #countTipper(em: EntityManager, values: { creatorId: string; platform: string; at: Date; amount: number; tipperNo: number }): Promise<void> {
    await em.execute(
      `with counted as (
         insert into analytics_period_tippers as t (creator_id, grain, period_start, platform, tipper_no, tip_count, total_cents, last_tip_at)
         select :creatorId, grain, ${PERIOD_START}, :platform, :tipperNo, 1, :amount, :at from ${GRAIN_ROWS}
         on conflict (creator_id, grain, period_start, platform, tipper_no) do update set
           tip_count = t.tip_count + 1, total_cents = t.total_cents + excluded.total_cents, last_tip_at = greatest(t.last_tip_at, excluded.last_tip_at)
         returning grain, period_start, tip_count
       )
       update analytics_periods p set tipper_count = p.tipper_count + 1,
         tipper_bits = set_bit(p.tipper_bits || decode(repeat('00', greatest(0, :tipperNo / 8 + 1 - length(p.tipper_bits))), 'hex'), :tipperNo, 1)
       from counted
       where counted.tip_count = 1 and p.creator_id = :creatorId and p.platform = :platform and p.grain = counted.grain and p.period_start = counted.period_start`,
      values,
    );
  }

  /**
   * A voided tip leaves the read model as if it had never come: its fact and menu sale go, and
   * its day, month and year, its tipper's rollups and its quarter hour give back what it added.
   * Biggest amounts and latest times are recomputed from what is left.
   */
  async voidTip(em: EntityManager, { creatorId, tipId }: TipVoided): Promise<void> {
    await lockTip(em, tipId);
    // Claimed, so a count still to come (its event overtaken by this one) counts nothing; a count under way is waited for.
    await em.execute(`insert into analytics_tip_claims (tip_id) values (:tipId) on conflict do nothing`, { tipId });
    const ids = { creatorId, tipId };
    await em.execute(`delete from analytics_menu_sales where tip_id = :tipId and creator_id = :creatorId`, ids);
    const [fact] = await em.execute<Array<{ platform: string; occurred_at: string | Date; amount_cents: number; tipper_no: number | null }>>(
      `delete from analytics_tips where tip_id = :tipId and creator_id = :creatorId returning platform, occurred_at, amount_cents, tipper_no`,
      ids,
    );
    if (!fact) return; // never counted: a rehearsal's, or voided before its count came (which then skips it)
    const at = new Date(fact.occurred_at);
    const anonymous = fact.tipper_no === null ? 1 : 0;
    const values = { creatorId, platform: fact.platform, at, amount: fact.amount_cents, tipperNo: fact.tipper_no, anonymous };
    const thisTipsPeriods = `p.creator_id = :creatorId and p.platform = :platform and p.period_start = date_trunc(p.grain, :at::timestamptz at time zone 'UTC') at time zone 'UTC'`;
    await em.execute(
      `update analytics_periods p set
         tip_count = p.tip_count - 1, total_cents = p.total_cents - :amount,
         anonymous_count = p.anonymous_count - :anonymous, anonymous_cents = p.anonymous_cents - :amount * :anonymous,
         amounts = case when (p.amounts ->> :amount::text)::int > 1 then jsonb_set(p.amounts, array[:amount::text], to_jsonb((p.amounts ->> :amount::text)::int - 1))
                        else p.amounts - :amount::text end
       where ${thisTipsPeriods}`,
      values,
    );
    // The amounts left say the biggest; the tips left say the latest anonymous one.
    await em.execute(
      `update analytics_periods p set
         biggest_cents = coalesce((select max(amount::int) from jsonb_object_keys(p.amounts) amount), 0),
         anonymous_last_at = case when :anonymous = 1 then (
           select max(t.occurred_at) from analytics_tips t
           where t.creator_id = p.creator_id and t.platform = p.platform and t.tipper_no is null and t.occurred_at >= p.period_start and t.occurred_at < ${PERIOD_END('p')}
         ) else p.anonymous_last_at end
       where ${thisTipsPeriods}`,
      values,
    );
    if (fact.tipper_no !== null) {
      await em.execute(
        `update analytics_period_tippers r set tip_count = r.tip_count - 1, total_cents = r.total_cents - :amount,
           last_tip_at = coalesce((
             select max(t.occurred_at) from analytics_tips t
             where t.creator_id = r.creator_id and t.platform = r.platform and t.tipper_no = r.tipper_no and t.occurred_at >= r.period_start and t.occurred_at < ${PERIOD_END('r')}
           ), r.last_tip_at)
         where r.creator_id = :creatorId and r.platform = :platform and r.tipper_no = :tipperNo
           and r.period_start = date_trunc(r.grain, :at::timestamptz at time zone 'UTC') at time zone 'UTC'`,
        values,
      );
      // A tipper with nothing left in a period is no longer one of its tippers.
      await em.execute(
        `with gone as (
           delete from analytics_period_tippers r where r.creator_id = :creatorId and r.platform = :platform and r.tipper_no = :tipperNo and r.tip_count = 0
           returning grain, period_start
         )
         update analytics_periods p set tipper_count = p.tipper_count - 1, tipper_bits = set_bit(p.tipper_bits, :tipperNo, 0)
         from gone where p.creator_id = :creatorId and p.platform = :platform and p.grain = gone.grain and p.period_start = gone.period_start`,
        values,
      );
    }
    const bucket = { ...values, bucket: quarterHour(at) };
    const thisTipsBucket = 'creator_id = :creatorId and bucket_start = :bucket and platform = :platform';
    await em.execute(`update analytics_buckets set tip_count = tip_count - 1, total_cents = total_cents - :amount where ${thisTipsBucket}`, bucket);
    // A quarter hour left with no tip and no viewer report is no point on a curve.
    await em.execute(`delete from analytics_buckets where ${thisTipsBucket} and tip_count = 0 and peak_viewers is null`, bucket);
  }

  async goalCompleted(em: EntityManager, { creatorId, goalId, targetCents, sessionId }: GoalCompleted, occurredAt: string): Promise<void> {
    if (!(await this.#platform(em, creatorId, sessionId))) return;
    const goals = this.#d.goals ? await this.#d.goals.list(em, creatorId, sessionId) : [];
    const goal = goals.find((g) => g.id === goalId);
    await em.execute(
      `insert into analytics_goal_completions (goal_id, creator_id, session_id, title, target_cents, completed_at) values (:goalId, :creatorId, :sessionId, :title, :targetCents, :at)
       on conflict do nothing`,
      { goalId, creatorId, sessionId, title: goal?.title ?? null, targetCents, at: new Date(goal?.completedAt ?? occurredAt) },
    );
  }

  async itemPurchased(em: EntityManager, sale: ItemPurchased, occurredAt: string): Promise<void> {
    if (!(await this.#lockTipAndPlatform(em, sale.tipId, sale.creatorId, sale.sessionId))) return;
    const tip = await this.#d.tips.get(em, sale.creatorId, sale.tipId);
    if (tip?.voidedAt) return;
    await em.execute(
      `insert into analytics_menu_sales (tip_id, creator_id, session_id, item_id, title, amount_cents, occurred_at) values (:tipId, :creatorId, :sessionId, :itemId, :title, :amount, :at)
       on conflict do nothing`,
      { ...sale, amount: sale.amountCents, at: new Date(tip?.createdAt ?? occurredAt) },
    );
  }

  /**
   * The session's platform, from this plugin's copy of it (written the first time); null for a
   * rehearsal. A real session's facts cost no extra read: the copy answers.
   */
  async #platform(em: EntityManager, creatorId: string, sessionId: string): Promise<string | null> {
    const [known] = await em.execute<Array<{ platform: string }>>(`select platform from analytics_sessions where session_id = :sessionId`, { sessionId });
    return known?.platform ?? (await this.#copySession(em, creatorId, sessionId));
  }

  /** `lockTip` and `#platform` in one round trip. */
  async #lockTipAndPlatform(em: EntityManager, tipId: string, creatorId: string, sessionId: string): Promise<string | null> {
    const [row] = await preparedQuery<{ platform: string | null }>(em, LOCK_TIP_AND_PLATFORM, [tipLockKey(tipId), sessionId]);
    return row?.platform ?? (await this.#copySession(em, creatorId, sessionId));
  }

  /** The tipper's number, given the first time their name (in any capitalisation) tips; their name kept as they last wrote it. */
  async #tipperNo(em: EntityManager, creatorId: string, tipperName: string, at: Date): Promise<number> {
    const tipper = { creatorId, key: tipperName.toLowerCase(), tipperName, at };
    const [known] = await em.execute<Array<{ tipper_no: number }>>(
      `update analytics_tippers set tipper_name = case when last_tip_at <= :at then :tipperName else tipper_name end, last_tip_at = greatest(last_tip_at, :at)
       where creator_id = :creatorId and tipper_key = :key returning tipper_no`,
      tipper,
    );
    if (known) return known.tipper_no;
    // The counter row is locked until commit: two first tips of one creator are numbered one after the other.
    const [next] = await em.execute<Array<{ no: number }>>(
      `insert into analytics_creators as c (creator_id, tipper_count) values (:creatorId, 1)
       on conflict (creator_id) do update set tipper_count = c.tipper_count + 1 returning tipper_count - 1 as no`,
      tipper,
    );
    // Named meanwhile by another transaction (which held the counter first): theirs stands, this number stays unused.
    const [added] = await em.execute<Array<{ tipper_no: number }>>(
      `insert into analytics_tippers as t (creator_id, tipper_no, tipper_key, tipper_name, last_tip_at) values (:creatorId, :no, :key, :tipperName, :at)
       on conflict (creator_id, tipper_key) do update set
         tipper_name = case when t.last_tip_at <= excluded.last_tip_at then excluded.tipper_name else t.tipper_name end, last_tip_at = greatest(t.last_tip_at, excluded.last_tip_at)
       returning tipper_no`,
      { ...tipper, no: next!.no },
    );
    return added!.tipper_no;
  }
}

/**
 * Until the transaction ends, one subscriber at a time works on a tip's sale or its void: a
 * sale recorded while its tip is voided is either found void by the sale or found recorded by
 * the void. (Counting the tip itself needs no lock: see COUNT_TIP.)
 */
async function lockTip(em: EntityManager, tipId: string): Promise<void> {
  await em.execute(LOCK_TIP, { key: tipLockKey(tipId) });
}

const lockTipBy = (key: string) => `select pg_advisory_xact_lock(hashtext(${key}))`;
const LOCK_TIP = lockTipBy(':key');
const LOCK_TIP_AND_PLATFORM = `select (select platform from analytics_sessions where session_id = $2) as platform from (${lockTipBy('$1')}) locked`;

/**
 * A tip's claim, its fact, the rollups of its day, month and year (three rows a statement) and
 * its quarter hour, in one prepared statement (every tip runs it): $1 tip, $2 creator,
 * $3 session, $4 time, $5 amount, $6 tokens, $7 cents a token, $8 tipper number, $9 tipper
 * name, $10 source, $11 1 when anonymous, $12 quarter hour. The platform is the session's copy;
 * with none (a session not copied yet, or a rehearsal) nothing is written and `platform` is null.
 *
 * The claim is what keeps a count and its tip's void apart without a lock: both insert the
 * tip's id first, whichever comes second waits for the first to commit and then finds it, so a
 * count after the void counts nothing and a void after the count finds the fact to take out.
 * Each value is cast where it stands: one in a `select` list cannot take its type from a column.
 */
const COUNT_TIP = `
  with session as (
    select platform from analytics_sessions where session_id = $3::uuid
  ), claim as (
    insert into analytics_tip_claims (tip_id) select $1::uuid from session
    on conflict do nothing
    returning 1
  ), fact as (
    insert into analytics_tips (tip_id, creator_id, session_id, platform, occurred_at, amount_cents, tokens, cents_per_token, tipper_no, tipper_name, source)
    select $1::uuid, $2::uuid, $3::uuid, session.platform, $4::timestamptz, $5::int, $6::int, $7::int, $8::int, $9::text, $10::text
    from session where exists (select 1 from claim)
    on conflict (tip_id) do nothing
    returning platform
  ), periods as (
    insert into analytics_periods as p (creator_id, grain, period_start, platform, tip_count, total_cents, biggest_cents, anonymous_count, anonymous_cents, anonymous_last_at, tipper_count, tipper_bits, amounts)
    select $2::uuid, grain, ${periodStart('$4')}, fact.platform, 1, $5::int, $5::int, $11::int, $5::int * $11::int, case when $11::int = 1 then $4::timestamptz end, 0, ''::bytea,
      jsonb_build_object($5::int::text, 1)
    from ${GRAIN_ROWS}, fact
    on conflict (creator_id, grain, period_start, platform) do update set
      tip_count = p.tip_count + 1, total_cents = p.total_cents + excluded.total_cents, biggest_cents = greatest(p.biggest_cents, excluded.biggest_cents),
      anonymous_count = p.anonymous_count + excluded.anonymous_count, anonymous_cents = p.anonymous_cents + excluded.anonymous_cents,
      anonymous_last_at = greatest(p.anonymous_last_at, excluded.anonymous_last_at),
      amounts = jsonb_set(p.amounts, array[$5::int::text], to_jsonb(coalesce((p.amounts ->> $5::int::text)::int, 0) + 1))
  ), bucket as (
    insert into analytics_buckets as b (creator_id, bucket_start, platform, tip_count, total_cents)
    select $2::uuid, $12::timestamptz, fact.platform, 1, $5::int from fact
    on conflict (creator_id, bucket_start, platform) do update set tip_count = b.tip_count + 1, total_cents = b.total_cents + excluded.total_cents
  )
  select (select platform from session) as platform, exists (select 1 from fact) as counted`;
const tipLockKey = (tipId: string) => `analytics:tip:${tipId}`;

function quarterHour(at: Date): Date {
  return new Date(Math.floor(at.getTime() / QUARTER_HOUR_MS) * QUARTER_HOUR_MS);
}
