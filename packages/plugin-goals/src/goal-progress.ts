import { Problem, notFound, type Clock, type EntityManager, type EventBus, type Realtime, type SessionsService } from '@streaming-companion/sdk';
import type { TipsService } from '@streaming-companion/plugin-tips/contract';
import { goalEvents, type GoalProgress, type TipGoal } from './contract.ts';
import { TipGoalEntity, type TipGoalRecord } from './entities/tip-goal.ts';
import { activeIndex, addToActiveGoal, newlyCompleted, notices, progress, settle, toDto, type GoalFacts } from './goal-ladder.ts';
import { goalStore } from './goal-store.ts';
import type { CreateGoalInput, UpdateGoalInput } from './schemas.ts';

export interface GoalProgressDependencies {
  sessions: SessionsService;
  /** To tell whether a tip was voided before it was counted. */
  tips: Pick<TipsService, 'get'>;
  clock: Clock;
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
 * session's goal rows, and publishes in it `streaming.goal.completed` for each goal it
 * completes and the `goal_progress` / `goal_completed` broadcasts, delivered after commit.
 */
export class GoalProgressService {
  readonly #deps: GoalProgressDependencies;

  constructor(deps: GoalProgressDependencies) {
    this.#deps = deps;
  }

  async create(em: EntityManager, creatorId: string, input: CreateGoalInput): Promise<TipGoal> {
    const id = crypto.randomUUID();
    const goals = await this.#changeSession(em, creatorId, input.sessionId, async (goals, tx) => {
      await this.#ownedSession(tx, creatorId, input.sessionId);
      const goal = tx.create(TipGoalEntity, {
        id,
        creatorId,
        sessionId: input.sessionId,
        title: input.title,
        description: input.description ?? null,
        targetCents: input.targetCents,
        currentCents: 0,
        order: 0,
      });
      goals.splice(Math.min(input.order ?? goals.length, goals.length), 0, goal);
      return { announce: [id] };
    });
    return dtoOf(goals, id);
  }

  /** The session's goals in order; another creator's session is a 404. */
  async list(em: EntityManager, creatorId: string, sessionId: string): Promise<TipGoal[]> {
    await this.#ownedSession(em, creatorId, sessionId);
    const goals = await goalStore.listSession(em, creatorId, sessionId);
    return goals.map((_, index) => toDto(goals, index));
  }

  async update(em: EntityManager, creatorId: string, goalId: string, patch: UpdateGoalInput): Promise<TipGoal> {
    const found = await goalStore.findOwned(em, creatorId, goalId);
    if (!found) throw notFound('goal');
    const goals = await this.#changeSession(em, creatorId, found.sessionId, (goals, _tx, now) => {
      const index = goals.findIndex((g) => g.id === goalId);
      if (index < 0) throw notFound('goal'); // deleted meanwhile
      const goal = goals[index]!;
      if (patch.targetCents !== undefined && patch.targetCents !== goal.targetCents && goal.completedAt != null) {
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
    return dtoOf(goals, goalId);
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
   * An amount (a tip, handled once per event; a menu item's bonus) goes to the session's active
   * goal. Given for a tip, what it adds to each goal is recorded, to take back out should the tip
   * be voided; and a tip voided already adds nothing.
   */
  async addToActiveGoal(em: EntityManager, creatorId: string, sessionId: string, amountCents: number, options: { tipId?: string } = {}): Promise<void> {
    const { tipId } = options;
    await this.#changeSession(em, creatorId, sessionId, async (goals, tx, now) => {
      if (activeIndex(goals) < 0 || amountCents <= 0) return {};
      // Read under the goals' lock, which taking a voided tip back takes too: either that finds
      // the shares written here, or this finds the tip void, whichever order their events come in.
      if (tipId && (await this.#deps.tips.get(tx, creatorId, tipId))?.voidedAt) return {};
      const before = goals.map((g) => g.currentCents);
      addToActiveGoal(goals, amountCents, { autoAdvance: this.#deps.autoAdvance, now });
      if (tipId) {
        const shares = goals.flatMap((g, i) => (g.currentCents > before[i]! ? [{ goalId: g.id, amountCents: g.currentCents - before[i]! }] : []));
        await goalStore.addShares(tx, creatorId, tipId, shares);
      }
      return {};
    });
  }

  /**
   * A voided tip comes back out of the goals it filled. A goal it helped complete stays
   * completed (its reward was given, its event sent), with what it reached; an open goal's
   * progress goes down by the tip's share, and the active one is announced again.
   */
  async takeBackTip(em: EntityManager, creatorId: string, sessionId: string, tipId: string): Promise<void> {
    await this.#changeSession(em, creatorId, sessionId, async (goals, tx) => {
      for (const share of await goalStore.takeShares(tx, creatorId, tipId)) {
        const goal = goals.find((g) => g.id === share.goalId);
        if (goal && goal.completedAt == null) goal.currentCents = Math.max(0, goal.currentCents - share.amountCents);
      }
      return {};
    });
  }

  /** The active goal's progress, or null when the session has no open goal (or is not this creator's). */
  async activeGoal(em: EntityManager, creatorId: string, sessionId: string): Promise<GoalProgress | null> {
    const goal = await goalStore.firstOpen(em, creatorId, sessionId);
    return goal ? progress(goal) : null;
  }

  /** The goal an overlay shows: the active one, or once every goal is completed the last one reached (at 100%). */
  async shownGoal(em: EntityManager, creatorId: string, sessionId: string): Promise<GoalProgress | null> {
    const goal = await goalStore.shown(em, creatorId, sessionId);
    return goal ? progress(goal) : null;
  }

  /**
   * The one way a session's goals change: in a transaction, lock the list, let `change` edit it
   * (entities in list order: it may add, move and drop them), renumber, write the difference,
   * and publish what the change completed and what overlays should show.
   */
  async #changeSession(
    em: EntityManager,
    creatorId: string,
    sessionId: string,
    change: (goals: TipGoalRecord[], tx: EntityManager, now: Date) => Promise<SessionChange> | SessionChange,
  ): Promise<TipGoalRecord[]> {
    return em.transactional(async (tx) => {
      const now = this.#deps.clock.now();
      const loaded = await goalStore.lockSession(tx, creatorId, sessionId);
      const before = loaded.map(snapshot);
      const goals = [...loaded];
      const { announce = [] } = await change(goals, tx, now);
      goals.forEach((goal, index) => (goal.order = index));
      for (const goal of loaded) if (!goals.includes(goal)) tx.remove(goal);
      await tx.flush();
      for (const goal of newlyCompleted(before, goals)) {
        await this.#deps.events.publish(tx, goalEvents.domain['streaming.goal.completed'], { creatorId, goalId: goal.id, targetCents: goal.targetCents, sessionId });
      }
      const room = this.#deps.realtime.toSession(sessionId);
      for (const notice of notices(before, goals, new Set(announce))) {
        if (notice.event === 'goal_progress') await room.publish(tx, goalEvents.socket.goal_progress, notice.payload);
        else await room.publish(tx, goalEvents.socket.goal_completed, notice.payload);
      }
      return goals;
    });
  }

  async #ownedSession(em: EntityManager, creatorId: string, sessionId: string): Promise<void> {
    await this.#deps.sessions.require(em, creatorId, sessionId);
  }
}

const snapshot = (g: TipGoalRecord): GoalFacts => ({
  id: g.id,
  creatorId: g.creatorId,
  sessionId: g.sessionId,
  title: g.title,
  description: g.description,
  targetCents: g.targetCents,
  currentCents: g.currentCents,
  order: g.order,
  completedAt: g.completedAt,
  createdAt: g.createdAt,
  updatedAt: g.updatedAt,
});

const dtoOf = (goals: readonly TipGoalRecord[], goalId: string) => toDto(goals, goals.findIndex((g) => g.id === goalId));
