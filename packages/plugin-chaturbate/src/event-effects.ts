import { Problem, type Clock, type EntityManager, type SessionsService, type StreamPlatform, type StreamSessionDto } from '@streaming-companion/sdk';
import type { TipsService } from '@streaming-companion/plugin-tips/contract';
import type { Skipped } from './chaturbate-events.ts';
import type { ConnectorEvent } from './contract.ts';
import { followedSession } from './followed-session.ts';
import type { RoomViewers } from './room-viewers.ts';
import type { SeenEvents } from './seen-events.ts';

/** What acting on a batch came to, for the connection's counters. */
export interface BatchTally {
  eventsSeen: number;
  tipsRecorded: number;
  skipped: Record<string, number>;
}

type SkipReason = 'duplicate' | 'noSession' | 'refused';

/** The settings of the connection a batch came through. */
export interface BatchSource {
  creatorId: string;
  autoSession: boolean;
  centsPerToken: number;
}

export interface EventEffectsDependencies {
  platform: StreamPlatform;
  /** The title of a session a broadcast start opens. */
  sessionTitle: string;
  /** Prefixes the platform's event ids in tip idempotency keys. */
  idempotencyPrefix: string;
  tips: TipsService;
  sessions: SessionsService;
  viewers: RoomViewers;
  seen: SeenEvents;
  clock: Clock;
}

/**
 * Acts on a batch of connector events, inside the caller's transaction (the one that also moves
 * the poll cursor on, so a batch takes effect once or not at all). Only a live, non-rehearsal
 * session on this platform takes the events; each effect is safe to repeat: a seen event id is
 * skipped, tips carry the event id as their idempotency key, the room is a set.
 */
export class ConnectorEventEffects {
  readonly #d: EventEffectsDependencies;

  constructor(dependencies: EventEffectsDependencies) {
    this.#d = dependencies;
  }

  async apply(tx: EntityManager, source: BatchSource, items: Array<ConnectorEvent | Skipped>): Promise<BatchTally> {
    const { creatorId } = source;
    const tally: BatchTally = { eventsSeen: items.length, tipsRecorded: 0, skipped: {} };
    if (!items.length) return tally;
    const skip = (reason: string) => (tally.skipped[reason] = (tally.skipped[reason] ?? 0) + 1);
    const events = items.filter((item): item is ConnectorEvent => 'kind' in item);
    for (const item of items) if ('skip' in item) skip(item.skip);

    const fresh = await this.#d.seen.firstSeen(
      tx,
      creatorId,
      events.map((e) => e.id),
      this.#d.clock.now(),
    );
    let session = await followedSession(this.#d.sessions, tx, creatorId, this.#d.platform);
    let roomChanged = false;
    for (const event of events) {
      // Also catches an id repeated within the batch.
      if (!fresh.delete(event.id)) {
        skip('duplicate');
        continue;
      }
      if (event.kind === 'broadcast_start' || event.kind === 'broadcast_stop') {
        if (!source.autoSession) skip('autoSessionOff');
        else session = event.kind === 'broadcast_start' ? await this.#start(tx, creatorId, session) : await this.#end(tx, creatorId, session);
        continue;
      }
      if (!session) {
        skip('noSession');
        continue;
      }
      // A refusal (an ended session, a tip over the maximum) skips the event, not the batch.
      const outcome = await this.#act(tx, source, session.id, event).catch((error: unknown): SkipReason => {
        if (!(error instanceof Problem)) throw error;
        return error.code === 'session_ended' ? 'noSession' : 'refused';
      });
      if (outcome === 'tip') tally.tipsRecorded++;
      else if (outcome === 'room') roomChanged = true;
      else if (outcome) skip(outcome);
    }
    if (roomChanged && session) await this.#reportRoom(tx, creatorId, session.id);
    return tally;
  }

  /** Answers what it did: a new tip, a room change, nothing to count (null), or why it skipped. */
  async #act(tx: EntityManager, source: BatchSource, sessionId: string, event: ConnectorEvent): Promise<'tip' | 'room' | SkipReason | null> {
    const { creatorId } = source;
    switch (event.kind) {
      case 'tip': {
        const name = event.anonymous ? null : (event.viewer?.name ?? null);
        const { replayed } = await this.#d.tips.record(
          tx,
          creatorId,
          {
            sessionId,
            tokens: event.tokens,
            centsPerToken: source.centsPerToken,
            tipperName: name,
            message: event.message,
            isAnonymous: event.anonymous,
            source: 'platform_api',
            externalEventId: event.id,
            ...(name && event.viewer ? { tipperStanding: event.viewer.standing } : {}),
          },
          { idempotencyKey: `${this.#d.idempotencyPrefix}:${event.id}` },
        );
        return replayed ? 'duplicate' : 'tip';
      }
      case 'chat':
        await this.#d.sessions.chatMessage(tx, creatorId, sessionId, {
          senderName: event.viewer.name,
          message: event.message,
          standing: event.viewer.standing,
          externalEventId: event.id,
        });
        return null;
      case 'viewer_enter':
        await this.#d.viewers.enter(tx, creatorId, sessionId, event.viewer.name);
        return 'room';
      case 'viewer_leave':
        await this.#d.viewers.leave(tx, sessionId, event.viewer.name);
        return 'room';
      default:
        return null;
    }
  }

  /** A broadcast start opens a session, unless one is live already (whatever its platform: that one is the creator's choice). */
  async #start(tx: EntityManager, creatorId: string, current: StreamSessionDto | null): Promise<StreamSessionDto | null> {
    if (current) return current;
    try {
      return await this.#d.sessions.start(tx, creatorId, { platform: this.#d.platform, title: this.#d.sessionTitle });
    } catch (error) {
      if (error instanceof Problem && error.code === 'session_already_active') return null;
      throw error;
    }
  }

  async #end(tx: EntityManager, creatorId: string, current: StreamSessionDto | null): Promise<null> {
    if (current) {
      await this.#d.sessions.end(tx, creatorId, current.id);
      await this.#d.viewers.forgetOthers(tx, creatorId, null);
    }
    return null;
  }

  /** One viewer report per batch, however many came and went in it. */
  async #reportRoom(tx: EntityManager, creatorId: string, sessionId: string): Promise<void> {
    await this.#d.viewers.forgetOthers(tx, creatorId, sessionId);
    const count = await this.#d.viewers.count(tx, sessionId);
    await this.#d.sessions.updateViewers(tx, creatorId, sessionId, count).catch((error: unknown) => {
      if (!(error instanceof Problem && error.code === 'session_ended')) throw error;
    });
  }
}
