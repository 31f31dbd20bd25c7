import { LockMode, type Clock, type EntityManager, type Realtime } from '@streaming-companion/sdk';
import { arrive, DEFAULT_INTENSITY, playNow, playWaiting, type Effect, type Limits, type Stage } from './burst-limiter.ts';
import type { AnimationsConfig } from './config.ts';
import { animationEvents, type AnimationOutcome, type AnimationRequest, type AnimationsService } from './contract.ts';
import { AnimationSettingsEntity } from './entities/animation-settings.ts';
import { AnimationStageEntity, type AnimationStage } from './entities/animation-stage.ts';

export interface AnimationPlayerDependencies {
  realtime: Realtime;
  clock: Clock;
  defaults: AnimationsConfig;
}

/** How many waiting bursts one tick plays at most (the rest, on the next). */
const DUE_BATCH = 100;

/**
 * Plays animations on a session's overlays through its stage: every trigger locks the
 * session's stage row, asks the burst limiter what to do, publishes what plays (through the
 * outbox, in the caller's transaction) and saves the stage. `playDue` plays waiting bursts
 * whose time has come; a scheduled job calls it.
 */
export class AnimationPlayer implements AnimationsService {
  readonly #d: AnimationPlayerDependencies;

  constructor(dependencies: AnimationPlayerDependencies) {
    this.#d = dependencies;
  }

  async play(em: EntityManager, creatorId: string, request: AnimationRequest): Promise<AnimationOutcome> {
    const trigger = { type: request.type, intensity: request.intensity ?? DEFAULT_INTENSITY, url: request.url, source: request.source, tipId: request.tipId };
    const played = await this.#onStage(em, creatorId, request.sessionId, (stage, now, limits) =>
      request.source === 'manual' ? playNow(stage, trigger, now, limits) : arrive(stage, trigger, now, limits),
    );
    return played ? 'played' : 'merged';
  }

  /** Play every waiting burst that is due; answers how many played. */
  async playDue(em: EntityManager): Promise<number> {
    const due = await em.find(AnimationStageEntity, { waitingDueAt: { $lte: this.#d.clock.now() } }, { fields: ['sessionId', 'creatorId'], limit: DUE_BATCH });
    let played = 0;
    for (const { sessionId, creatorId } of due) {
      if (await this.#onStage(em.fork(), creatorId, sessionId, (stage, now, limits) => playWaiting(stage, now, limits))) played++;
    }
    return played;
  }

  /** The creator's limits: their own settings, or the configured defaults. */
  async limits(em: EntityManager, creatorId: string): Promise<Limits> {
    const own = await em.findOne(AnimationSettingsEntity, { creatorId });
    return own ? { cooldownMs: own.cooldownMs, maxConcurrent: own.maxConcurrent, effectMs: own.effectMs } : { ...this.#d.defaults };
  }

  /** In a transaction holding the session's stage row: let `step` decide, publish what plays, save the stage. Answers whether something played. */
  async #onStage(
    em: EntityManager,
    creatorId: string,
    sessionId: string,
    step: (stage: Stage, now: Date, limits: Limits) => { stage: Stage; play: Effect | null; dueAt: Date | null },
  ): Promise<boolean> {
    return em.transactional(async (tx) => {
      await tx.createQueryBuilder(AnimationStageEntity).insert({ sessionId, creatorId, playingUntil: [] }).onConflict('sessionId').ignore().execute('run');
      const row = await tx.findOneOrFail(AnimationStageEntity, { sessionId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      const now = this.#d.clock.now();
      const { stage, play, dueAt } = step(toStage(row), now, await this.limits(tx, creatorId));
      row.lastStartedAt = stage.lastStartedAt;
      row.playingUntil = stage.playingUntil.map((end) => end.toISOString());
      row.waiting = stage.waiting;
      row.waitingDueAt = stage.waiting ? dueAt : null;
      if (!play) return false;
      const { type, intensity, url, merged, source, tipId } = play;
      await this.#d.realtime.toSession(sessionId).publish(tx, animationEvents.socket.animation_trigger, {
        sessionId,
        type,
        metadata: { intensity, source, ...(url ? { url } : {}), ...(merged > 1 ? { merged } : {}), ...(tipId ? { tipId } : {}) },
      });
      return true;
    });
  }
}

function toStage(row: AnimationStage): Stage {
  return { lastStartedAt: row.lastStartedAt ?? null, playingUntil: row.playingUntil.map((end) => new Date(end)), waiting: row.waiting ?? null };
}
