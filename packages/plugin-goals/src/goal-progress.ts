import {
  Problem,
  notFound,
  type DomainEvent,
  type EntityManager,
  type EventBus,
  type Realtime,
  type ServerToClientEvents,
  type SessionsService,
} from '@streaming-companion/sdk';
import { goalStore, type GoalRecord } from './goal-store.ts';
import type { CreateGoalInput, GoalStatus, TipGoal, UpdateGoalInput } from './schemas.ts';

/** A goal's progress as `goal_progress` carries it. */
export type GoalProgress = ServerToClientEvents['goal_progress'];

// ---------- The goal ladder: pure functions over a session's goals in list order ----------

/** What the ladder needs of a goal. */
export interface LadderGoal {
  id: string;
  targetCents: number;
  currentCents: number;
  completedAt: Date | null;
}

export interface LadderOptions {
  /** Carry a completed goal's overshoot into the next goal. */
  autoAdvance: boolean;
  /** The completion time to stamp. */
  now: Date;
}

/** The active goal's index: the first goal, by order, that is not completed; -1 when there is none. */
export function activeIndex(goals: readonly LadderGoal[]): number {
  return goals.findIndex((g) => g.completedAt === null);
}

export function statusAt(goals: readonly LadderGoal[], index: number): GoalStatus {
  if (goals[index]!.completedAt !== null) return 'completed';
  return index === activeIndex(goals) ? 'active' : 'pending';
}

/** currentCents / targetCents in percent: 0-100, at most two decimals. */
export function percentage(currentCents: number, targetCents: number): number {
  if (targetCents <= 0) return 0;
  return Math.min(100, Math.round((currentCents * 10_000) / targetCents) / 100);
}

/**
 * Add a tip to the active goal (nothing happens when every goal is completed), then settle it.
 * Mutates `goals` in place.
 */
export function addToActiveGoal(goals: LadderGoal[], amountCents: number, options: LadderOptions): void {
  const index = activeIndex(goals);
  if (index < 0 || amountCents <= 0) return;
  goals[index]!.currentCents += amountCents;
  settle(goals, index, options);
}

/**
 * Complete the goal at `index` if it has reached its target. With autoAdvance, its overshoot
 * moves into the next goal that is not completed (which may complete in turn, and so on);
 * without it, or when no goal follows, the overshoot stays on the completed goal.
 * Mutates `goals` in place.
 */
export function settle(goals: LadderGoal[], index: number, options: LadderOptions): void {
  let i = index;
  for (;;) {
    const goal = goals[i]!;
    if (goal.completedAt !== null || goal.currentCents < goal.targetCents) return;
    goal.completedAt = options.now;
    const overshoot = goal.currentCents - goal.targetCents;
    if (!options.autoAdvance || overshoot === 0) return;
    const next = goals.findIndex((g, j) => j > i && g.completedAt === null);
    if (next < 0) return;
    goal.currentCents = goal.targetCents;
    goals[next]!.currentCents += overshoot;
    i = next;
  }
}

// ---------- The service ----------

export interface GoalProgressDependencies {
  sessions: SessionsService;
  events: Pick<EventBus, 'publish'>;
  realtime: Realtime;
  autoAdvance: boolean;
}

/** What a change inside one session's locked list asks for, besides the edited list itself. */
interface SessionChange {
  /** Goals to send `goal_progress` for even if nothing on them that the event shows changed (a created or edited goal). */
  announce?: string[];
}

/**
 * Tip goals: ordered per session, the first one not completed is active, tips fill it.
 * Every change to a session's goals runs in one transaction holding the lock on that
 * session's goal rows, publishes `streaming.goal.completed` for each goal it completes in
 * that transaction, and emits `goal_progress` / `goal_completed` only after it commits.
 */
export class GoalProgressService {
  readonly #deps: GoalProgressDependencies;

  constructor(deps: GoalProgressDependencies) {
    this.#deps = deps;
  }

  async create(em: EntityManager, creatorId: string, input: CreateGoalInput): Promise<TipGoal> {
    const id = crypto.randomUUID();
    const { goals } = await this.#changeSession(em, creatorId, input.sessionId, async (goals, tx, now) => {
      await this.#ownedSession(tx, creatorId, input.sessionId);
      const goal: GoalRecord = {
        id,
        creatorId,
        sessionId: input.sessionId,
        title: input.title,
        description: input.description ?? null,
        targetCents: input.targetCents,
        currentCents: 0,
        order: 0,
        completedAt: null,
        createdAt: now,
        updatedAt: now,
      };
      goals.splice(Math.min(input.order ?? goals.length, goals.length), 0, goal);
      return { announce: [id] };
    });
    return dto(goals, id);
  }

  /** The session's goals in order; another creator's session is a 404. */
  async list(em: EntityManager, creatorId: string, sessionId: string): Promise<TipGoal[]> {
    await this.#ownedSession(em, creatorId, sessionId);
    const goals = await goalStore.listSession(em, creatorId, sessionId);
    return goals.map((g) => dto(goals, g.id));
  }

  async update(em: EntityManager, creatorId: string, goalId: string, patch: UpdateGoalInput): Promise<TipGoal> {
    const found = await goalStore.findOwned(em, creatorId, goalId);
    if (!found) throw notFound('goal');
    const { goals } = await this.#changeSession(em, creatorId, found.sessionId, (goals, _tx, now) => {
      const index = goals.findIndex((g) => g.id === goalId);
      if (index < 0) throw notFound('goal'); // deleted meanwhile
      const goal = goals[index]!;
      if (patch.targetCents !== undefined && patch.targetCents !== goal.targetCents && goal.completedAt !== null) {
        throw new Problem(409, 'goal_already_completed', 'targetCents: a completed goal keeps its target', {
          errors: [{ field: 'targetCents', rule: 'already_completed', message: 'a completed goal keeps its target' }],
        });
      }
      if (patch.title !== undefined) goal.title = patch.title;
      if (patch.description !== undefined) goal.description = patch.description;
      if (patch.targetCents !== undefined) goal.targetCents = patch.targetCents;
      if (patch.order !== undefined && patch.order !== index) {
        goals.splice(index, 1);
        goals.splice(Math.min(patch.order, goals.length), 0, goal);
      }
      // A target lowered to (or below) what the goal already holds completes it.
      settle(goals, goals.indexOf(goal), { autoAdvance: this.#deps.autoAdvance, now });
      return { announce: [goalId] };
    });
    return dto(goals, goalId);
  }

  async remove(em: EntityManager, creatorId: string, goalId: string): Promise<void> {
    const found = await goalStore.findOwned(em, creatorId, goalId);
    if (!found) throw notFound('goal');
    await this.#changeSession(em, creatorId, found.sessionId, (goals) => {
      const index = goals.findIndex((g) => g.id === goalId);
      if (index < 0) throw notFound('goal');
      goals.splice(index, 1);
      return {};
    });
  }

  /**
   * `streaming.tip.received`: add the tip to the session's active goal. Idempotent on the
   * event id, so a redelivered event counts nothing and announces nothing.
   */
  async recordTip(em: EntityManager, event: DomainEvent<'streaming.tip.received'>): Promise<void> {
    const { creatorId, sessionId, amountCents } = event.payload;
    await this.#changeSession(
      em,
      creatorId,
      sessionId,
      (goals, _tx, now) => {
        addToActiveGoal(goals, amountCents, { autoAdvance: this.#deps.autoAdvance, now });
        return {};
      },
      (tx) => goalStore.markProcessed(tx, event.id),
    );
  }

  /** The active goal's progress, or null when the session has no open goal (or is not this creator's). */
  async activeGoal(em: EntityManager, creatorId: string, sessionId: string): Promise<GoalProgress | null> {
    const goal = await goalStore.firstOpen(em, creatorId, sessionId);
    return goal ? progress(goal) : null;
  }

  pruneProcessedEvents(em: EntityManager, olderThanDays: number): Promise<number> {
    return goalStore.pruneProcessed(em, olderThanDays);
  }

  /**
   * The one way a session's goals change: in a transaction, lock the list, let `change` edit it
   * in memory, renumber, write the difference, publish completions; after commit, announce.
   * `precondition` runs first in the transaction; when it answers false nothing else happens.
   */
  async #changeSession(
    em: EntityManager,
    creatorId: string,
    sessionId: string,
    change: (goals: GoalRecord[], tx: EntityManager, now: Date) => Promise<SessionChange> | SessionChange,
    precondition?: (tx: EntityManager) => Promise<boolean>,
  ): Promise<{ goals: GoalRecord[] }> {
    const outcome = await em.transactional(async (tx) => {
      if (precondition && !(await precondition(tx))) return null;
      const now = new Date();
      const before = await goalStore.lockSession(tx, creatorId, sessionId);
      const goals = before.map((g) => ({ ...g }));
      const { announce = [] } = await change(goals, tx, now);
      goals.forEach((g, i) => (g.order = i));
      await goalStore.saveChanges(tx, before, goals, now);
      const completed = goals.filter((g) => g.completedAt !== null && before.find((b) => b.id === g.id)?.completedAt == null);
      for (const goal of completed) {
        this.#deps.events.publish(tx, 'streaming.goal.completed', { creatorId, goalId: goal.id, targetCents: goal.targetCents, sessionId });
      }
      return { goals, notices: notices(sessionId, before, goals, new Set(announce)) };
    });
    if (!outcome) return { goals: [] };
    const room = this.#deps.realtime.toSession(sessionId);
    for (const notice of outcome.notices) {
      if (notice.event === 'goal_progress') room.emit('goal_progress', notice.payload);
      else room.emit('goal_completed', notice.payload);
    }
    return { goals: outcome.goals };
  }

  async #ownedSession(em: EntityManager, creatorId: string, sessionId: string): Promise<void> {
    try {
      await this.#deps.sessions.get(em, creatorId, sessionId);
    } catch (error) {
      if (error instanceof Problem && error.status === 404) {
        throw new Problem(404, 'session_not_found', 'sessionId: no session of yours has this id', {
          errors: [{ field: 'sessionId', rule: 'exists', message: 'no session of yours has this id' }],
        });
      }
      throw error;
    }
  }
}

type Notice =
  | { event: 'goal_progress'; payload: ServerToClientEvents['goal_progress'] }
  | { event: 'goal_completed'; payload: ServerToClientEvents['goal_completed'] };

/**
 * What to tell the session's sockets about a change. Overlays show one goal — the active
 * one — so only it gets `goal_progress`, and last: first each goal this change completed
 * (its final `goal_progress`, then `goal_completed`), then the active goal if it changed,
 * was edited, or has just become active. Pending goals are not announced.
 */
export function notices(sessionId: string, before: readonly GoalRecord[], after: readonly GoalRecord[], announce: ReadonlySet<string>): Notice[] {
  const previous = new Map(before.map((g) => [g.id, g]));
  const list: Notice[] = [];
  for (const goal of after) {
    if (goal.completedAt === null || previous.get(goal.id)?.completedAt != null) continue;
    list.push({ event: 'goal_progress', payload: progress(goal) });
    list.push({ event: 'goal_completed', payload: { sessionId, goalId: goal.id, title: goal.title, targetCents: goal.targetCents } });
  }
  const active = after[activeIndex(after)];
  if (!active) return list;
  const old = previous.get(active.id);
  const wasActive = before[activeIndex(before)]?.id === active.id;
  const shownChanged = !old || old.title !== active.title || old.currentCents !== active.currentCents || old.targetCents !== active.targetCents;
  if (shownChanged || !wasActive || announce.has(active.id)) list.push({ event: 'goal_progress', payload: progress(active) });
  return list;
}

function progress(goal: GoalRecord): GoalProgress {
  return {
    sessionId: goal.sessionId,
    goalId: goal.id,
    title: goal.title,
    currentCents: goal.currentCents,
    targetCents: goal.targetCents,
    percentage: percentage(goal.currentCents, goal.targetCents),
  };
}

function dto(goals: readonly GoalRecord[], goalId: string): TipGoal {
  const index = goals.findIndex((g) => g.id === goalId);
  const goal = goals[index]!;
  return {
    id: goal.id,
    sessionId: goal.sessionId,
    creatorId: goal.creatorId,
    title: goal.title,
    description: goal.description,
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
