import { LockMode, type EntityManager } from '@streaming-companion/sdk';
import { TipGoalEntity, type TipGoalRecord } from './entities/tip-goal.ts';

/** Ties (two goals given one position at once) fall back to creation order, so the list is always deterministic. */
const LIST_ORDER = { order: 'asc', createdAt: 'asc', id: 'asc' } as const;

/** The plugin's queries, over its entities. */
export const goalStore = {
  /** The session's goals in list order, locked until the transaction ends (so changes to one session queue up). */
  lockSession(tx: EntityManager, creatorId: string, sessionId: string): Promise<TipGoalRecord[]> {
    return tx.find(TipGoalEntity, { sessionId, creatorId }, { orderBy: LIST_ORDER, lockMode: LockMode.PESSIMISTIC_WRITE });
  },

  listSession(em: EntityManager, creatorId: string, sessionId: string): Promise<TipGoalRecord[]> {
    return em.find(TipGoalEntity, { sessionId, creatorId }, { orderBy: LIST_ORDER });
  },

  firstOpen(em: EntityManager, creatorId: string, sessionId: string): Promise<TipGoalRecord | null> {
    return em.findOne(TipGoalEntity, { sessionId, creatorId, completedAt: null }, { orderBy: LIST_ORDER });
  },

  /** Another creator's goal is indistinguishable from a missing one. */
  findOwned(em: EntityManager, creatorId: string, goalId: string): Promise<TipGoalRecord | null> {
    return em.findOne(TipGoalEntity, { id: goalId, creatorId });
  },
};
