import type { AnimationType } from '@streaming-companion/sdk';
import type { AnimationSource } from './contract.ts';

/**
 * The limiter that keeps a burst of tips from stacking unbounded animations: pure functions
 * over one session's stage. An effect may start once the cooldown since the last one has
 * passed and fewer than `maxConcurrent` are still playing; a trigger that may not start joins
 * the session's waiting burst instead, which plays as one bigger effect when allowed.
 */

export interface Limits {
  /** Least time between two effects starting. */
  cooldownMs: number;
  /** Most effects playing at once. */
  maxConcurrent: number;
  /** How long an effect counts as playing. */
  effectMs: number;
}

export const MAX_INTENSITY = 10;
export const DEFAULT_INTENSITY = 3;

/** One trigger, as the limiter sees it. */
export interface Trigger {
  type: AnimationType;
  intensity: number;
  url?: string;
  source: AnimationSource;
  tipId?: string;
}

/** Triggers held back, to play as one effect. */
export interface Burst {
  type: AnimationType;
  /** The sum of the merged triggers' intensities, at most MAX_INTENSITY. */
  intensity: number;
  /** The intensity of the trigger whose type (and url) the burst took: the strongest so far. */
  strongest: number;
  url?: string;
  /** How many triggers it stands for. */
  merged: number;
  source: AnimationSource;
}

export interface Stage {
  lastStartedAt: Date | null;
  /** When each effect still counted as playing ends. */
  playingUntil: Date[];
  waiting: Burst | null;
}

export interface Effect {
  type: AnimationType;
  intensity: number;
  url?: string;
  merged: number;
  source: AnimationSource;
  tipId?: string;
}

/** The earliest time a new effect may start. */
export function allowedAt(stage: Stage, now: Date, limits: Limits): Date {
  const playing = stage.playingUntil.filter((end) => end > now).sort((a, b) => a.getTime() - b.getTime());
  const afterCooldown = stage.lastStartedAt ? stage.lastStartedAt.getTime() + limits.cooldownMs : 0;
  // At the cap, the next slot frees when the (cap-th from last) playing effect ends.
  const afterSlot = playing.length >= limits.maxConcurrent ? playing[playing.length - limits.maxConcurrent]!.getTime() : 0;
  return new Date(Math.max(now.getTime(), afterCooldown, afterSlot));
}

/**
 * A trigger arrives. It plays now when nothing waits and the limits allow; otherwise it joins
 * the waiting burst (which keeps its place in line). Answers the new stage, the effect to play
 * (if any), and when the waiting burst may play.
 */
export function arrive(stage: Stage, trigger: Trigger, now: Date, limits: Limits): { stage: Stage; play: Effect | null; dueAt: Date | null } {
  if (!stage.waiting && allowedAt(stage, now, limits) <= now) {
    const effect: Effect = { ...trigger, merged: 1 };
    return { stage: started(stage, now, limits), play: effect, dueAt: null };
  }
  const waiting = merge(stage.waiting, trigger);
  const next = { ...stage, waiting };
  return { stage: next, play: null, dueAt: allowedAt(next, now, limits) };
}

/** A trigger that plays now whatever the limits say (a creator pressing "play"); it still counts toward them. */
export function playNow(stage: Stage, trigger: Trigger, now: Date, limits: Limits): { stage: Stage; play: Effect; dueAt: Date | null } {
  const next = started(stage, now, limits);
  return { stage: next, play: { ...trigger, merged: 1 }, dueAt: next.waiting ? allowedAt(next, now, limits) : null };
}

/** The waiting burst plays if its time has come; answers the effect (or null) and the new stage. */
export function playWaiting(stage: Stage, now: Date, limits: Limits): { stage: Stage; play: Effect | null; dueAt: Date | null } {
  if (!stage.waiting) return { stage, play: null, dueAt: null };
  const due = allowedAt(stage, now, limits);
  if (due > now) return { stage, play: null, dueAt: due };
  const { type, intensity, url, merged, source } = stage.waiting;
  return { stage: { ...started(stage, now, limits), waiting: null }, play: { type, intensity, url, merged, source }, dueAt: null };
}

function started(stage: Stage, now: Date, limits: Limits): Stage {
  return {
    lastStartedAt: now,
    playingUntil: [...stage.playingUntil.filter((end) => end > now), new Date(now.getTime() + limits.effectMs)],
    waiting: stage.waiting,
  };
}

function merge(burst: Burst | null, trigger: Trigger): Burst {
  if (!burst) return { type: trigger.type, intensity: trigger.intensity, strongest: trigger.intensity, url: trigger.url, merged: 1, source: trigger.source };
  const takesOver = trigger.intensity > burst.strongest;
  return {
    type: takesOver ? trigger.type : burst.type,
    url: takesOver ? trigger.url : burst.url,
    strongest: Math.max(burst.strongest, trigger.intensity),
    intensity: Math.min(MAX_INTENSITY, burst.intensity + trigger.intensity),
    merged: burst.merged + 1,
    source: burst.source,
  };
}
