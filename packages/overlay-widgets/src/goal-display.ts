import type { GoalCompleted, GoalProgress, SessionUpdate } from './overlay-events.ts';
import { realTimers, type Timers } from './timers.ts';

/**
 * What `<sc-goal-bar>` shows, from `goal_progress`, `goal_completed` and `session_updated`.
 * The server announces a completion as progress(100 %) → completed → progress(next goal),
 * possibly several in one burst; each completion is celebrated in turn, and what arrives
 * meanwhile is shown after it. When no next goal comes, the completed goal stays, shown as
 * reached (`showReached`, the default; off, it goes); an overlay joining with no active goal
 * gets the last completed one the same way (progress at 100 %). Between sessions (ended, or
 * not yet a goal) there is nothing to show.
 */

export interface GoalView {
  goal: GoalProgress | undefined;
  celebrating: boolean;
}

export const DEFAULT_CELEBRATION_MS = 5000;

type Pending = { kind: 'progress'; payload: GoalProgress } | { kind: 'completed'; payload: GoalCompleted };

export class GoalDisplay {
  readonly #onChange: (view: GoalView) => void;
  readonly #timers: Timers;
  #celebrationMs: number;
  #view: GoalView = { goal: undefined, celebrating: false };
  #sessionId: string | undefined;
  readonly #completed = new Set<string>();
  #pending: Pending[] = [];
  #timer: unknown;
  #showReached = true;
  /** The last goal reached, while no other is active: shown or not by `showReached`. */
  #reached: GoalProgress | undefined;

  constructor(onChange: (view: GoalView) => void, options: { timers?: Timers; celebrationMs?: number } = {}) {
    this.#onChange = onChange;
    this.#timers = options.timers ?? realTimers;
    this.#celebrationMs = clampCelebration(options.celebrationMs ?? DEFAULT_CELEBRATION_MS);
  }

  get view(): GoalView {
    return this.#view;
  }

  set celebrationMs(ms: number) {
    this.#celebrationMs = clampCelebration(ms);
  }

  /** Whether a reached goal stays on screen once no goal is active; changing it shows or hides one at once. */
  get showReached(): boolean {
    return this.#showReached;
  }

  set showReached(show: boolean) {
    if (show === this.#showReached) return;
    this.#showReached = show;
    if (this.#view.celebrating) return;
    const goal = this.#view.goal;
    if (!show && goal && isReached(goal)) {
      this.#reached = goal;
      this.#set({ goal: undefined, celebrating: false });
    } else if (show && !goal && this.#reached) {
      this.#set({ goal: this.#reached, celebrating: false });
    }
  }

  progress(payload: GoalProgress): void {
    if (!isProgress(payload) || this.#completed.has(payload.goalId)) return;
    this.#sessionId = payload.sessionId;
    if (this.#view.celebrating) return void this.#pending.push({ kind: 'progress', payload });
    // A goal already at 100 % that is not the one shown: the last one reached, sent to a joining overlay.
    if (isReached(payload) && this.#view.goal?.goalId !== payload.goalId) {
      this.#reached = payload;
      if (!this.#showReached) return;
    }
    this.#set({ goal: payload, celebrating: false });
  }

  completed(payload: GoalCompleted): void {
    if (!payload || typeof payload.goalId !== 'string' || this.#completed.has(payload.goalId)) return;
    this.#completed.add(payload.goalId);
    if (this.#view.celebrating) this.#pending.push({ kind: 'completed', payload });
    else this.#celebrate(payload);
  }

  /** A session ended, or a different one started: forget everything. */
  session(update: Pick<SessionUpdate, 'sessionId' | 'status'>): void {
    if (!update || typeof update.sessionId !== 'string') return;
    const changed = this.#sessionId !== undefined && update.sessionId !== this.#sessionId;
    if (update.status === 'ended' || changed) this.clear();
    this.#sessionId = update.status === 'ended' ? undefined : update.sessionId;
  }

  clear(): void {
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pending = [];
    this.#completed.clear();
    this.#reached = undefined;
    this.#sessionId = undefined;
    if (this.#view.goal || this.#view.celebrating) this.#set({ goal: undefined, celebrating: false });
  }

  #celebrate(payload: GoalCompleted): void {
    const shown = this.#view.goal?.goalId === payload.goalId ? this.#view.goal : undefined;
    const goal: GoalProgress = {
      sessionId: payload.sessionId,
      goalId: payload.goalId,
      title: payload.title,
      targetCents: payload.targetCents,
      currentCents: Math.max(shown?.currentCents ?? 0, payload.targetCents),
      percentage: 100,
    };
    this.#set({ goal, celebrating: true });
    this.#timer = this.#timers.setTimeout(() => this.#afterCelebration(), this.#celebrationMs);
  }

  #afterCelebration(): void {
    this.#timer = undefined;
    const celebrated = this.#view.goal;
    // What came in meanwhile is shown, up to the next completion; with nothing, the goal just reached.
    let goal: GoalProgress | undefined;
    while (this.#pending.length) {
      const next = this.#pending.shift()!;
      if (next.kind === 'completed') {
        this.#view = { goal, celebrating: false };
        this.#celebrate(next.payload);
        return;
      }
      goal = next.payload;
    }
    if (!goal && celebrated) {
      this.#reached = celebrated;
      if (this.#showReached) goal = celebrated;
    }
    this.#set({ goal, celebrating: false });
  }

  #set(view: GoalView): void {
    this.#view = view;
    this.#onChange(view);
  }
}

function isProgress(p: GoalProgress): boolean {
  return !!p && typeof p.goalId === 'string' && typeof p.title === 'string' && Number.isFinite(p.currentCents) && Number.isFinite(p.targetCents);
}

function clampCelebration(ms: number): number {
  return Number.isFinite(ms) ? Math.min(60_000, Math.max(500, ms)) : DEFAULT_CELEBRATION_MS;
}

/** Whether a goal is at (or past) its target. */
export function isReached(goal: Pick<GoalProgress, 'percentage' | 'currentCents' | 'targetCents'>): boolean {
  return fillPercent(goal) >= 100;
}

/** The bar's fill in percent, 0–100, from the payload's `percentage`. */
export function fillPercent(goal: Pick<GoalProgress, 'percentage' | 'currentCents' | 'targetCents'>): number {
  const pct = Number.isFinite(goal.percentage) ? goal.percentage : goal.targetCents > 0 ? (goal.currentCents / goal.targetCents) * 100 : 0;
  return Math.min(100, Math.max(0, pct));
}
