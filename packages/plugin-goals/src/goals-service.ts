import { createServiceRef, type EntityManager } from '@streaming-companion/sdk';
import type { GoalProgress } from './goal-progress.ts';
import type { TipGoal } from './schemas.ts';

/** What the goals plugin offers other plugins (e.g. an overlay sending the current goal on connect). */
export interface GoalsService {
  /** The session's active goal as `goal_progress` carries it; null when every goal is completed, there is none, or the session is not this creator's. */
  activeGoal(em: EntityManager, creatorId: string, sessionId: string): Promise<GoalProgress | null>;
  /** Every goal of the session in order, with its status; another creator's session is a 404 Problem. */
  list(em: EntityManager, creatorId: string, sessionId: string): Promise<TipGoal[]>;
}

/** `ctx.use(goalsServiceRef)` from a plugin that lists `goals` in its dependencies. */
export const goalsServiceRef = createServiceRef<GoalsService>({ id: 'goals.service', providedBy: 'goals' });
