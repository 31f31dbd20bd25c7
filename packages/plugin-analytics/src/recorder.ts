import type { EntityManager, PayloadOf, SessionsService, kernelEvents } from '@streaming-companion/sdk';
import type { goalEvents, GoalsService } from '@streaming-companion/plugin-goals/contract';
import type { menuEvents } from '@streaming-companion/plugin-menu/contract';
import type { tipEvents, TipsService } from '@streaming-companion/plugin-tips/contract';

type SessionViewers = PayloadOf<(typeof kernelEvents)['domain']['streaming.session.viewers']>;
type TipReceived = PayloadOf<(typeof tipEvents)['domain']['streaming.tip.received']>;
type GoalCompleted = PayloadOf<(typeof goalEvents)['domain']['streaming.goal.completed']>;
type ItemPurchased = PayloadOf<(typeof menuEvents)['domain']['streaming.menu_item.purchased']>;

const QUARTER_HOUR_MS = 900_000;

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
 */
export class AnalyticsRecorder {
  readonly #d: RecorderDependencies;

  constructor(dependencies: RecorderDependencies) {
    this.#d = dependencies;
  }

  /** A session as the reports need it; created from the kernel's session the first time anything of it arrives. */
  async session(em: EntityManager, creatorId: string, sessionId: string): Promise<void> {
    const session = await this.#d.sessions.get(em, creatorId, sessionId);
    await em.execute(
      `insert into analytics_sessions (session_id, creator_id, platform, title, started_at, ended_at, tip_count, total_cents, biggest_cents, anonymous_count, anonymous_cents)
       values (:sessionId, :creatorId, :platform, :title, :startedAt, :endedAt, 0, 0, 0, 0, 0)
       on conflict (session_id) do update set title = excluded.title, ended_at = excluded.ended_at`,
      { sessionId, creatorId, platform: session.platform, title: session.title, startedAt: new Date(session.startedAt), endedAt: session.endedAt ? new Date(session.endedAt) : null },
    );
  }

  async viewers(em: EntityManager, { creatorId, sessionId, viewerCount, sampledAt }: SessionViewers): Promise<void> {
    await this.#ensureSession(em, creatorId, sessionId);
    const at = new Date(sampledAt);
    await em.execute(
      `insert into analytics_viewer_samples (session_id, sampled_at, creator_id, viewer_count) values (:sessionId, :at, :creatorId, :viewerCount)
       on conflict do nothing`,
      { sessionId, at, creatorId, viewerCount },
    );
    await em.execute(
      `insert into analytics_buckets (session_id, bucket_start, creator_id, tip_count, total_cents, peak_viewers) values (:sessionId, :bucket, :creatorId, 0, 0, :viewerCount)
       on conflict (session_id, bucket_start) do update set peak_viewers = greatest(analytics_buckets.peak_viewers, excluded.peak_viewers)`,
      { sessionId, bucket: quarterHour(at), creatorId, viewerCount },
    );
  }

  async tip(em: EntityManager, { creatorId, sessionId, tipId }: TipReceived): Promise<void> {
    const tip = await this.#d.tips.get(em, creatorId, tipId);
    if (!tip) return;
    await this.#ensureSession(em, creatorId, sessionId);
    const at = new Date(tip.createdAt);
    const tipperName = tip.isAnonymous ? null : tip.tipperName;
    const tipperKey = tipperName?.toLowerCase() ?? null;
    const anonymous = tipperKey === null ? 1 : 0;
    const values = { tipId, creatorId, sessionId, at, amount: tip.amountCents, tokens: tip.tokens, rate: tip.centsPerToken, tipperKey, tipperName, source: tip.source, anonymous };
    await em.execute(
      `insert into analytics_tips (tip_id, creator_id, session_id, platform, occurred_at, amount_cents, tokens, cents_per_token, tipper_key, tipper_name, source)
       select :tipId, :creatorId, :sessionId, platform, :at, :amount, :tokens, :rate, :tipperKey, :tipperName, :source from analytics_sessions where session_id = :sessionId`,
      values,
    );
    await em.execute(
      `update analytics_sessions set
         tip_count = tip_count + 1, total_cents = total_cents + :amount, biggest_cents = greatest(biggest_cents, :amount),
         anonymous_count = anonymous_count + :anonymous, anonymous_cents = anonymous_cents + :amount * :anonymous,
         anonymous_last_at = case when :anonymous = 1 then greatest(anonymous_last_at, :at) else anonymous_last_at end,
         first_tip_at = least(first_tip_at, :at), last_tip_at = greatest(last_tip_at, :at)
       where session_id = :sessionId`,
      values,
    );
    await em.execute(
      `insert into analytics_session_amounts (session_id, amount_cents, creator_id, tip_count) values (:sessionId, :amount, :creatorId, 1)
       on conflict (session_id, amount_cents) do update set tip_count = analytics_session_amounts.tip_count + 1`,
      values,
    );
    if (tipperKey) {
      await em.execute(
        `insert into analytics_session_tippers (session_id, tipper_key, creator_id, tipper_name, tip_count, total_cents, last_tip_at)
         values (:sessionId, :tipperKey, :creatorId, :tipperName, 1, :amount, :at)
         on conflict (session_id, tipper_key) do update set
           tip_count = analytics_session_tippers.tip_count + 1, total_cents = analytics_session_tippers.total_cents + excluded.total_cents,
           tipper_name = case when excluded.last_tip_at >= analytics_session_tippers.last_tip_at then excluded.tipper_name else analytics_session_tippers.tipper_name end,
           last_tip_at = greatest(analytics_session_tippers.last_tip_at, excluded.last_tip_at)`,
        values,
      );
    }
    await em.execute(
      `insert into analytics_buckets (session_id, bucket_start, creator_id, tip_count, total_cents) values (:sessionId, :bucket, :creatorId, 1, :amount)
       on conflict (session_id, bucket_start) do update set tip_count = analytics_buckets.tip_count + 1, total_cents = analytics_buckets.total_cents + excluded.total_cents`,
      { ...values, bucket: quarterHour(at) },
    );
  }

  async goalCompleted(em: EntityManager, { creatorId, goalId, targetCents, sessionId }: GoalCompleted, occurredAt: string): Promise<void> {
    const goals = this.#d.goals ? await this.#d.goals.list(em, creatorId, sessionId) : [];
    const goal = goals.find((g) => g.id === goalId);
    await em.execute(
      `insert into analytics_goal_completions (goal_id, creator_id, session_id, title, target_cents, completed_at) values (:goalId, :creatorId, :sessionId, :title, :targetCents, :at)
       on conflict do nothing`,
      { goalId, creatorId, sessionId, title: goal?.title ?? null, targetCents, at: new Date(goal?.completedAt ?? occurredAt) },
    );
  }

  async itemPurchased(em: EntityManager, sale: ItemPurchased, occurredAt: string): Promise<void> {
    const tip = await this.#d.tips.get(em, sale.creatorId, sale.tipId);
    await em.execute(
      `insert into analytics_menu_sales (tip_id, creator_id, session_id, item_id, title, amount_cents, occurred_at) values (:tipId, :creatorId, :sessionId, :itemId, :title, :amount, :at)
       on conflict do nothing`,
      { ...sale, amount: sale.amountCents, at: new Date(tip?.createdAt ?? occurredAt) },
    );
  }

  async #ensureSession(em: EntityManager, creatorId: string, sessionId: string): Promise<void> {
    const [known] = await em.execute(`select 1 from analytics_sessions where session_id = :sessionId`, { sessionId });
    if (!known) await this.session(em, creatorId, sessionId);
  }
}

function quarterHour(at: Date): Date {
  return new Date(Math.floor(at.getTime() / QUARTER_HOUR_MS) * QUARTER_HOUR_MS);
}
