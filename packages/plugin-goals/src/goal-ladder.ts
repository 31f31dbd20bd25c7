import type { GoalCompleted, GoalProgress, GoalStatus, TipGoal } from './contract.ts';

/**
 * The goal ladder: pure functions over a session's goals in list order. The first goal that is
 * not completed is active; tips fill it; reaching the target completes it.
 */

/** What the ladder needs of a goal. */
export interface LadderGoal {
  id: string;
  targetCents: number;
  currentCents: number;
  completedAt: Date | null | undefined;
}

/** A goal with everything the API and the events show of it. */
export interface GoalFacts extends LadderGoal {
  creatorId: string;
  sessionId: string;
  title: string;
  description: string | null | undefined;
  order: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface LadderOptions {
  /** Carry a completed goal's overshoot into the next goal. */
  autoAdvance: boolean;
  /** The completion time to stamp. */
  now: Date;
}

const isCompleted = (goal: LadderGoal) => goal.completedAt != null;

/** The active goal's index: the first goal, by order, that is not completed; -1 when there is none. */
export function activeIndex(goals: readonly LadderGoal[]): number {
  return goals.findIndex((g) => !isCompleted(g));
}

export function statusAt(goals: readonly LadderGoal[], index: number): GoalStatus {
  if (isCompleted(goals[index]!)) return 'completed';
  return index === activeIndex(goals) ? 'active' : 'pending';
}

/** currentCents / targetCents in percent: 0-100, at most two decimals. */
export function percentage(currentCents: number, targetCents: number): number {
  if (targetCents <= 0) return 0;
  return Math.min(100, Math.round((currentCents * 10_000) / targetCents) / 100);
}

/** Add a tip to the active goal (nothing happens when every goal is completed), then settle it. Mutates `goals`. */
export function addToActiveGoal(goals: LadderGoal[], amountCents: number, options: LadderOptions): void {
  const index = activeIndex(goals);
  if (index < 0 || amountCents <= 0) return;
  goals[index]!.currentCents += amountCents;
  settle(goals, index, options);
}

/**
 * Complete the goal at `index` if it has reached its target. With autoAdvance, its overshoot
 * moves into the next goal that is not completed (which may complete in turn, and so on);
 * without it, or when no goal follows, the overshoot stays on the completed goal. Mutates `goals`.
 */
export function settle(goals: LadderGoal[], index: number, options: LadderOptions): void {
  let i = index;
  for (;;) {
    const goal = goals[i]!;
    if (isCompleted(goal) || goal.currentCents < goal.targetCents) return;
    goal.completedAt = options.now;
    const overshoot = goal.currentCents - goal.targetCents;
    if (!options.autoAdvance || overshoot === 0) return;
    const next = goals.findIndex((g, j) => j > i && !isCompleted(g));
    if (next < 0) return;
    goal.currentCents = goal.targetCents;
    goals[next]!.currentCents += overshoot;
    i = next;
  }
}

export type Notice = { event: 'goal_progress'; payload: GoalProgress } | { event: 'goal_completed'; payload: GoalCompleted };

/**
 * What to tell the session's sockets about a change. Overlays show one goal — the active
 * one — so only it gets `goal_progress`, and last: first each goal this change completed
 * (its final `goal_progress`, then `goal_completed`), then the active goal if it changed,
 * was edited, or has just become active. Pending goals are not announced.
 */
export function notices(before: readonly GoalFacts[], after: readonly GoalFacts[], announce: ReadonlySet<string>): Notice[] {
  const previous = new Map(before.map((g) => [g.id, g]));
  const list: Notice[] = [];
  for (const goal of newlyCompleted(before, after)) {
    list.push({ event: 'goal_progress', payload: progress(goal) });
    list.push({ event: 'goal_completed', payload: { sessionId: goal.sessionId, goalId: goal.id, title: goal.title, targetCents: goal.targetCents } });
  }
  const active = after[activeIndex(after)];
  if (!active) return list;
  const old = previous.get(active.id);
  const wasActive = before[activeIndex(before)]?.id === active.id;
  const shownChanged = !old || old.title !== active.title || old.currentCents !== active.currentCents || old.targetCents !== active.targetCents;
  if (shownChanged || !wasActive || announce.has(active.id)) list.push({ event: 'goal_progress', payload: progress(active) });
  return list;
}

/** Goals this change completed (completed now, and not before it). */
export function newlyCompleted<G extends GoalFacts>(before: readonly GoalFacts[], after: readonly G[]): G[] {
  const wasCompleted = new Set(before.filter(isCompleted).map((g) => g.id));
  return after.filter((g) => isCompleted(g) && !wasCompleted.has(g.id));
}

export function progress(goal: GoalFacts): GoalProgress {
  return {
    sessionId: goal.sessionId,
    goalId: goal.id,
    title: goal.title,
    currentCents: goal.currentCents,
    targetCents: goal.targetCents,
    percentage: percentage(goal.currentCents, goal.targetCents),
  };
}

/** The goal at `index` as the API shows it, its status read from the whole list. */
export function toDto(goals: readonly GoalFacts[], index: number): TipGoal {
  const goal = goals[index]!;
  return {
    id: goal.id,
    sessionId: goal.sessionId,
    creatorId: goal.creatorId,
    title: goal.title,
    description: goal.description ?? null,
    targetCents: goal.targetCents,
    currentCents: goal.currentCents,
    percentage: percentage(goal.currentCents, goal.targetCents),
    order: goal.order,
    status: statusAt(goals, index),
    completedAt: goal.completedAt?.toISOString() ?? null,
    createdAt: goal.createdAt.toISOString(),
    updatedAt: goal.updatedAt.toISOString(),
  };
}
