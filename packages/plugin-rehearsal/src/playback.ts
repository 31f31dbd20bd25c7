import { LockMode, Problem, type Clock, type EntityManager, type Logger, type SessionsService } from '@streaming-companion/sdk';
import type { TipsService } from '@streaming-companion/plugin-tips/contract';
import { RehearsalCueEntity, type RehearsalCue } from './entities/rehearsal-cue.ts';
import { RehearsalEntity, type Rehearsal } from './entities/rehearsal.ts';

/** Where playback puts its work: jobs, so it runs on any instance and outlives a restart. */
export interface PlaybackQueue {
  /** Play one cue in `delayMs`; asked again for the same cue while that is pending, it runs once. */
  playCue(rehearsalId: string, index: number, delayMs: number): Promise<void>;
  /** End the rehearsal in `delayMs`. */
  finish(rehearsalId: string, delayMs: number): Promise<void>;
}

export interface PlaybackDependencies {
  sessions: SessionsService;
  tips: TipsService;
  clock: Clock;
  queue: PlaybackQueue;
  log: Logger;
}

/**
 * Plays rehearsals: each cue's tip recorded into the rehearsal's session through the tips
 * plugin, as a live tip would be (so alerts, goals, animations and the menu react as live),
 * then the session ended. Every step locks the rehearsal's row, so its steps and a stop happen
 * one at a time, and marks what it did in the same transaction: a step run twice, or after a
 * stop, does nothing.
 */
export class RehearsalPlayback {
  readonly #d: PlaybackDependencies;

  constructor(dependencies: PlaybackDependencies) {
    this.#d = dependencies;
  }

  /** Queue the cues not played yet, each at its time (at once if overdue), and the end. */
  async schedule(rehearsal: Rehearsal, cues: Array<Pick<RehearsalCue, 'index' | 'offsetMs'>>): Promise<void> {
    const { queue, clock } = this.#d;
    const now = clock.now().getTime();
    const start = rehearsal.startedAt.getTime();
    await Promise.all(cues.map((cue) => queue.playCue(rehearsal.id, cue.index, Math.max(0, Math.round(start + cue.offsetMs / rehearsal.speed - now)))));
    await queue.finish(rehearsal.id, Math.max(0, rehearsal.endsAt.getTime() - now));
  }

  /**
   * Queue again what every playing rehearsal has left. Its jobs are lost when the process dies
   * between the commit that starts it and their enqueueing, or, without Redis, when it
   * restarts; a rehearsal left without them would keep its session open and the creator off air.
   */
  async resume(em: EntityManager): Promise<void> {
    for (const rehearsal of await em.find(RehearsalEntity, { status: 'playing' })) {
      await this.schedule(rehearsal, await em.find(RehearsalCueEntity, { rehearsalId: rehearsal.id, playedAt: null }));
    }
  }

  async playCue(em: EntityManager, rehearsalId: string, index: number): Promise<void> {
    await em.transactional(async (tx) => {
      const rehearsal = await this.#lockPlaying(tx, rehearsalId);
      const cue = rehearsal && (await tx.findOne(RehearsalCueEntity, { rehearsalId, index, playedAt: null }));
      if (cue) await this.#play(tx, rehearsal, cue);
    });
  }

  /** Plays what is still unplayed (a late or lost job's cue), then ends the session. */
  async finish(em: EntityManager, rehearsalId: string): Promise<void> {
    await em.transactional(async (tx) => {
      const rehearsal = await this.#lockPlaying(tx, rehearsalId);
      if (!rehearsal) return;
      for (const cue of await tx.find(RehearsalCueEntity, { rehearsalId, playedAt: null }, { orderBy: { index: 'asc' } })) {
        if (rehearsal.status === 'playing') await this.#play(tx, rehearsal, cue);
      }
      if (rehearsal.status !== 'playing') return;
      await this.#d.sessions.end(tx, rehearsal.creatorId, rehearsal.sessionId);
      rehearsal.status = 'finished';
    });
  }

  /** A rehearsal's session ended from elsewhere (the dashboard's end button): it stops there. */
  async sessionEnded(em: EntityManager, sessionId: string): Promise<void> {
    await em.nativeUpdate(RehearsalEntity, { sessionId, status: 'playing' }, { status: 'stopped' });
  }

  async #lockPlaying(tx: EntityManager, rehearsalId: string): Promise<Rehearsal | null> {
    const rehearsal = await tx.findOne(RehearsalEntity, { id: rehearsalId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    return rehearsal?.status === 'playing' ? rehearsal : null;
  }

  async #play(tx: EntityManager, rehearsal: Rehearsal, cue: RehearsalCue): Promise<void> {
    try {
      await this.#d.tips.record(
        tx,
        rehearsal.creatorId,
        {
          sessionId: rehearsal.sessionId,
          amountCents: cue.amountCents,
          tokens: cue.tokens ?? undefined,
          centsPerToken: cue.centsPerToken ?? undefined,
          tipperName: cue.tipperName,
          message: cue.message,
          isAnonymous: cue.isAnonymous,
          source: 'manual',
        },
        { idempotencyKey: `rehearsal:${rehearsal.id}:${cue.index}` },
      );
      rehearsal.played++;
    } catch (error) {
      if (!(error instanceof Problem) || error.status >= 500) throw error;
      if (error.code === 'session_ended') {
        rehearsal.status = 'stopped';
        return;
      }
      // Refused by the tips plugin (say, above its largest amount): it would be every time, so it is skipped.
      this.#d.log.warn({ rehearsalId: rehearsal.id, cue: cue.index, code: error.code }, 'a rehearsal tip was refused and skipped');
    }
    cue.playedAt = this.#d.clock.now();
  }
}
