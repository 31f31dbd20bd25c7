import { LockMode, Problem, type Clock, type EntityManager, type Logger, type SessionsService } from '@streaming-companion/sdk';
import type { TipsService } from '@streaming-companion/plugin-tips/contract';
import { cueOf } from './cue-rows.ts';
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
 * Plays rehearsals into their sessions, each cue as it came live: a tip recorded through the
 * tips plugin (so alerts, goals, animations and the menu react as live), a chat line through
 * the kernel as a connector reports it (so the chatbot answers), a viewer count through the
 * kernel's sessions; then the session ended. Every step locks the rehearsal's row, so its
 * steps and a stop happen one at a time, and plays what is due in order, marking it played in
 * the same transaction: a step run twice, early, or after a stop plays nothing twice.
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

  /** Plays the cue, after any earlier one still unplayed (its job late): cues keep their order. */
  async playCue(em: EntityManager, rehearsalId: string, index: number): Promise<void> {
    await em.transactional(async (tx) => {
      const rehearsal = await this.#lockPlaying(tx, rehearsalId);
      if (rehearsal) await this.#playUnplayed(tx, rehearsal, index);
    });
  }

  /** Plays what is still unplayed (a late or lost job's cue), then ends the session. */
  async finish(em: EntityManager, rehearsalId: string): Promise<void> {
    await em.transactional(async (tx) => {
      const rehearsal = await this.#lockPlaying(tx, rehearsalId);
      if (!rehearsal) return;
      await this.#playUnplayed(tx, rehearsal);
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

  /** In order, the unplayed cues up to `index` (all without it), until one finds the session ended. */
  async #playUnplayed(tx: EntityManager, rehearsal: Rehearsal, index?: number): Promise<void> {
    const due = await tx.find(
      RehearsalCueEntity,
      { rehearsalId: rehearsal.id, playedAt: null, ...(index === undefined ? {} : { index: { $lte: index } }) },
      { orderBy: { index: 'asc' } },
    );
    for (const cue of due) {
      if (rehearsal.status === 'playing') await this.#play(tx, rehearsal, cue);
    }
  }

  async #play(tx: EntityManager, rehearsal: Rehearsal, row: RehearsalCue): Promise<void> {
    const { creatorId, sessionId } = rehearsal;
    const cue = cueOf(row);
    try {
      switch (cue.kind) {
        case 'tip':
          await this.#d.tips.record(
            tx,
            creatorId,
            {
              sessionId,
              amountCents: cue.amountCents,
              tokens: cue.tokens ?? undefined,
              centsPerToken: cue.centsPerToken ?? undefined,
              tipperName: cue.tipperName,
              message: cue.message,
              isAnonymous: cue.isAnonymous,
              source: 'manual',
            },
            { idempotencyKey: `rehearsal:${rehearsal.id}:${row.index}` },
          );
          rehearsal.played++;
          break;
        case 'chat':
          await this.#d.sessions.chatMessage(tx, creatorId, sessionId, { senderName: cue.senderName, message: cue.message, standing: cue.standing });
          break;
        case 'viewers':
          await this.#d.sessions.updateViewers(tx, creatorId, sessionId, cue.viewerCount);
          break;
      }
    } catch (error) {
      if (!(error instanceof Problem) || error.status >= 500) throw error;
      if (error.code === 'session_ended') {
        rehearsal.status = 'stopped';
        return;
      }
      // Refused (say, a tip above the tips plugin's largest amount): it would be every time, so it is skipped.
      this.#d.log.warn({ rehearsalId: rehearsal.id, cue: row.index, kind: cue.kind, code: error.code }, 'a rehearsal cue was refused and skipped');
    }
    row.playedAt = this.#d.clock.now();
  }
}
