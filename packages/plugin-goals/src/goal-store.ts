import type { EntityManager } from '@streaming-companion/sdk';

/** One row of `goals_tip_goals`, as the logic works with it. */
export interface GoalRecord {
  id: string;
  creatorId: string;
  sessionId: string;
  title: string;
  description: string | null;
  targetCents: number;
  currentCents: number;
  /** 0-based position in the session's list. */
  order: number;
  completedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

interface GoalRow {
  id: string;
  creator_id: string;
  session_id: string;
  title: string;
  description: string | null;
  target_cents: number | string | bigint;
  current_cents: number | string | bigint;
  sort_order: number;
  completed_at: Date | string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

const COLUMNS = 'id, creator_id, session_id, title, description, target_cents, current_cents, sort_order, completed_at, created_at, updated_at';
/** Ties (two goals given one position at once) fall back to creation order, so the list is always deterministic. */
const LIST_ORDER = 'order by sort_order, created_at, id';

/** The plugin's SQL, and nothing else. */
export const goalStore = {
  /** The session's goals in list order, locked until the transaction ends (so changes to one session queue up). */
  async lockSession(tx: EntityManager, creatorId: string, sessionId: string): Promise<GoalRecord[]> {
    const rows = await tx.execute<GoalRow[]>(
      `select ${COLUMNS} from goals_tip_goals where session_id = ? and creator_id = ? ${LIST_ORDER} for update`,
      [sessionId, creatorId],
    );
    return rows.map(toRecord);
  },

  async listSession(em: EntityManager, creatorId: string, sessionId: string): Promise<GoalRecord[]> {
    const rows = await em.execute<GoalRow[]>(`select ${COLUMNS} from goals_tip_goals where session_id = ? and creator_id = ? ${LIST_ORDER}`, [
      sessionId,
      creatorId,
    ]);
    return rows.map(toRecord);
  },

  async firstOpen(em: EntityManager, creatorId: string, sessionId: string): Promise<GoalRecord | null> {
    const rows = await em.execute<GoalRow[]>(
      `select ${COLUMNS} from goals_tip_goals where session_id = ? and creator_id = ? and completed_at is null ${LIST_ORDER} limit 1`,
      [sessionId, creatorId],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  },

  /** Another creator's goal is indistinguishable from a missing one. */
  async findOwned(em: EntityManager, creatorId: string, goalId: string): Promise<GoalRecord | null> {
    const rows = await em.execute<GoalRow[]>(`select ${COLUMNS} from goals_tip_goals where id = ? and creator_id = ?`, [goalId, creatorId]);
    return rows[0] ? toRecord(rows[0]) : null;
  },

  /** Record that an event was handled. False when it already was (a redelivery): count nothing then. */
  async markProcessed(tx: EntityManager, eventId: string): Promise<boolean> {
    const inserted = await tx.execute<Array<{ event_id: string }>>(
      `insert into goals_processed_events (event_id) values (?) on conflict do nothing returning event_id`,
      [eventId],
    );
    return inserted.length > 0;
  },

  async pruneProcessed(em: EntityManager, olderThanDays: number): Promise<number> {
    const deleted = await em.execute<Array<{ event_id: string }>>(
      `delete from goals_processed_events where processed_at < now() - make_interval(days => ?) returning event_id`,
      [olderThanDays],
    );
    return deleted.length;
  },

  /**
   * Write the difference between two versions of a session's list: inserts, updates, deletes.
   * Each goal that changed gets `updatedAt = now` (in `after` too, so the caller's DTOs show it).
   */
  async saveChanges(tx: EntityManager, before: readonly GoalRecord[], after: readonly GoalRecord[], now: Date): Promise<void> {
    const previous = new Map(before.map((g) => [g.id, g]));
    const kept = new Set(after.map((g) => g.id));
    for (const goal of before) {
      if (!kept.has(goal.id)) await tx.execute('delete from goals_tip_goals where id = ?', [goal.id]);
    }
    for (const goal of after) {
      const old = previous.get(goal.id);
      if (!old) {
        await tx.execute(
          `insert into goals_tip_goals (${COLUMNS}) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            goal.id,
            goal.creatorId,
            goal.sessionId,
            goal.title,
            goal.description,
            goal.targetCents,
            goal.currentCents,
            goal.order,
            iso(goal.completedAt),
            iso(goal.createdAt),
            iso(goal.updatedAt),
          ],
        );
      } else if (differs(old, goal)) {
        goal.updatedAt = now;
        await tx.execute(
          `update goals_tip_goals set title = ?, description = ?, target_cents = ?, current_cents = ?, sort_order = ?,
             completed_at = ?, updated_at = ? where id = ?`,
          [goal.title, goal.description, goal.targetCents, goal.currentCents, goal.order, iso(goal.completedAt), iso(goal.updatedAt), goal.id],
        );
      }
    }
  },
};

function differs(a: GoalRecord, b: GoalRecord): boolean {
  return (
    a.title !== b.title ||
    a.description !== b.description ||
    a.targetCents !== b.targetCents ||
    a.currentCents !== b.currentCents ||
    a.order !== b.order ||
    a.completedAt?.getTime() !== b.completedAt?.getTime()
  );
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

function toRecord(row: GoalRow): GoalRecord {
  return {
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
  };
}
