import { LockMode, preparedQuery, type EntityManager } from '@streaming-companion/sdk';
import { TipGoalEntity, type TipGoalRecord } from './entities/tip-goal.ts';
import type { GoalFacts } from './goal-ladder.ts';

export interface TipShare {
  goalId: string;
  amountCents: number;
}

/** Ties (two goals given one position at once) fall back to creation order, so the list is always deterministic. */
const LIST_ORDER = { order: 'asc', createdAt: 'asc', id: 'asc' } as const;

/** Whether the tip's session has a goal still open: asked for every tip, with the other plugins' conditions. */
export const sessionHasOpenGoal = {
  sql: 'exists (select 1 from goals_tip_goals where session_id = ? and creator_id = ? and completed_at is null)',
  params: ({ payload }: { payload: { sessionId: string; creatorId: string } }) => [payload.sessionId, payload.creatorId],
};

/** The plugin's queries, over its entities. */
export const goalStore = {
  /** The session's goals in list order, locked until the transaction ends (so changes to one session queue up). */
  lockSession(tx: EntityManager, creatorId: string, sessionId: string): Promise<TipGoalRecord[]> {
    return tx.find(TipGoalEntity, { sessionId, creatorId }, { orderBy: LIST_ORDER, lockMode: LockMode.PESSIMISTIC_WRITE });
  },

  listSession(em: EntityManager, creatorId: string, sessionId: string): Promise<TipGoalRecord[]> {
    return em.find(TipGoalEntity, { sessionId, creatorId }, { orderBy: LIST_ORDER });
  },

  /** The active goal. */
  async firstOpen(em: EntityManager, creatorId: string, sessionId: string): Promise<GoalFacts | null> {
    const [row] = await preparedQuery<GoalRow>(em, FIRST_OPEN, [sessionId, creatorId]);
    return row ? fromRow(row) : null;
  },

  /** What an overlay that joins shows: the active goal, or once none is open the one most recently completed. */
  async shown(em: EntityManager, creatorId: string, sessionId: string): Promise<GoalFacts | null> {
    const [row] = await preparedQuery<GoalRow>(em, SHOWN, [sessionId, creatorId, sessionId, creatorId]);
    return row ? fromRow(row) : null;
  },

  /** Record what a tip added to each goal; a second amount for the same tip and goal (a menu bonus) adds up. */
  async addShares(tx: EntityManager, creatorId: string, tipId: string, shares: TipShare[]): Promise<void> {
    for (const { goalId, amountCents } of shares) {
      await tx.execute(
        `insert into goals_tip_shares (tip_id, goal_id, creator_id, amount_cents) values (?, ?, ?, ?)
         on conflict (tip_id, goal_id) do update set amount_cents = goals_tip_shares.amount_cents + excluded.amount_cents`,
        [tipId, goalId, creatorId, amountCents],
      );
    }
  },

  /** What a tip added to each goal, forgotten as it is read (a voided tip is taken back out once). */
  async takeShares(tx: EntityManager, creatorId: string, tipId: string): Promise<TipShare[]> {
    const rows = await tx.execute<Array<{ goal_id: string; amount_cents: string | number }>>(
      `delete from goals_tip_shares where tip_id = ? and creator_id = ? returning goal_id, amount_cents`,
      [tipId, creatorId],
    );
    return rows.map((r) => ({ goalId: r.goal_id, amountCents: Number(r.amount_cents) }));
  },

  /** Another creator's goal is indistinguishable from a missing one. */
  findOwned(em: EntityManager, creatorId: string, goalId: string): Promise<TipGoalRecord | null> {
    return em.findOne(TipGoalEntity, { id: goalId, creatorId });
  },
};

const GOAL_COLUMNS = 'id, creator_id, session_id, title, description, target_cents, current_cents, sort_order, completed_at, created_at, updated_at';
/** The session's first goal not completed yet (params: session, creator). */
const OPEN = `from goals_tip_goals where session_id = ? and creator_id = ? and completed_at is null order by sort_order, created_at, id limit 1`;
const FIRST_OPEN = `select ${GOAL_COLUMNS} ${OPEN}`;
const SHOWN = `select ${GOAL_COLUMNS} from (
    (select 0 as pick, ${GOAL_COLUMNS} ${OPEN})
    union all
    (select 1, ${GOAL_COLUMNS} from goals_tip_goals where session_id = ? and creator_id = ? and completed_at is not null
     order by completed_at desc, sort_order desc, id desc limit 1)
  ) goal order by pick limit 1`;

interface GoalRow {
  id: string;
  creator_id: string;
  session_id: string;
  title: string;
  description: string | null;
  target_cents: string | number;
  current_cents: string | number;
  sort_order: number;
  completed_at: string | null;
  created_at: string;
  updated_at: string;
}

/** Amounts are bigints and times timestamps, which come back as text. */
const fromRow = (row: GoalRow): GoalFacts => ({
  id: row.id,
  creatorId: row.creator_id,
  sessionId: row.session_id,
  title: row.title,
  description: row.description,
  targetCents: Number(row.target_cents),
  currentCents: Number(row.current_cents),
  order: row.sort_order,
  completedAt: row.completed_at === null ? null : new Date(row.completed_at),
  createdAt: new Date(row.created_at),
  updatedAt: new Date(row.updated_at),
});
