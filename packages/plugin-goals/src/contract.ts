import { createServiceRef, defineEvents, GOAL_STATUSES, type EntityManager } from '@streaming-companion/sdk/contracts';
import { z } from 'zod';

export { GOAL_STATUSES, type GoalStatus } from '@streaming-companion/sdk/contracts';

/** A tip goal as the API shows it (the spec's TipGoalEntity). */
export const TipGoalDto = z
  .object({
    id: z.uuid(),
    sessionId: z.uuid(),
    creatorId: z.uuid(),
    title: z.string(),
    description: z.string().nullable(),
    targetCents: z.int(),
    currentCents: z.int(),
    /** currentCents / targetCents in percent, at most 2 decimals, capped at 100. */
    percentage: z.number().min(0).max(100),
    /** 0-based position in the session's list. */
    order: z.int(),
    status: z.enum(GOAL_STATUSES),
    completedAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'TipGoal' });
export type TipGoal = z.output<typeof TipGoalDto>;

/** The spec's `goal_progress`: the active goal's progress. */
export const GoalProgress = z.object({
  sessionId: z.uuid(),
  goalId: z.uuid(),
  title: z.string(),
  currentCents: z.int().min(0),
  targetCents: z.int().positive(),
  percentage: z.number().min(0).max(100),
});
export type GoalProgress = z.infer<typeof GoalProgress>;

export const GoalCompleted = z.object({ sessionId: z.uuid(), goalId: z.uuid(), title: z.string(), targetCents: z.int().positive() });
export type GoalCompleted = z.infer<typeof GoalCompleted>;

/** The goals plugin's events, with the spec's names and payloads. */
export const goalEvents = defineEvents('goals', {
  domain: {
    'streaming.goal.completed': z.object({ creatorId: z.uuid(), goalId: z.uuid(), targetCents: z.int().positive(), sessionId: z.uuid() }),
  },
  socket: { goal_progress: GoalProgress, goal_completed: GoalCompleted },
  overlay: ['goal_progress', 'goal_completed'],
});

/** A goal to add to a session: `POST /api/goals`'s body. */
export interface NewGoal {
  sessionId: string;
  title: string;
  targetCents: number;
  description?: string | null;
  /** 0-based position; the end of the list when absent. */
  order?: number;
}

/** What the goals plugin offers other plugins (e.g. an overlay sending the current goal on connect). */
export interface GoalsService {
  /** The session's active goal as `goal_progress` carries it; null when every goal is completed, there is none, or the session is not this creator's. */
  activeGoal(em: EntityManager, creatorId: string, sessionId: string): Promise<GoalProgress | null>;
  /** Every goal of the session in order, with its status; another creator's session is a 404 Problem. */
  list(em: EntityManager, creatorId: string, sessionId: string): Promise<TipGoal[]>;
  /**
   * Add a goal to the session, as `POST /api/goals` does (e.g. a rehearsal copying a past
   * session's goals): at `order`, or last. Not validated again: give what the route takes (a
   * title of 1–200 characters, a positive target). Another creator's session is a 404 Problem.
   */
  create(em: EntityManager, creatorId: string, goal: NewGoal): Promise<TipGoal>;
  /**
   * Add an amount to the session's active goal as a tip would (completing and carrying over
   * alike), e.g. a menu item's bonus. Not idempotent by itself: call it from a `once` subscriber.
   * With `tipId` (the tip that bought it), it is taken back out if that tip is voided, and a tip
   * voided already adds nothing.
   */
  addToActiveGoal(em: EntityManager, creatorId: string, sessionId: string, amountCents: number, options?: { tipId?: string }): Promise<void>;
}

/** `deps: { goals: goalsServiceRef }`. */
export const goalsServiceRef = createServiceRef<GoalsService>({ id: 'goals.service', providedBy: 'goals' });
