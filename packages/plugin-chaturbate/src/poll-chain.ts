import type { Clock, Database, EntityManager, Logger, SessionsService } from '@streaming-companion/sdk';
import { isFollowable, lockConnection } from './connection-state.ts';
import { ConnectionEntity, type Connection } from './entities/connection.ts';
import { followedSession } from './followed-session.ts';
import type { SeenEvents } from './seen-events.ts';

/**
 * Enqueue the poll job numbered `seq` for a creator. Its job id is `poll:<creatorId>:<seq>`, so
 * enqueuing it twice (from two instances, the watchdog, a session start) runs it once.
 */
export type EnqueuePoll = (creatorId: string, seq: number, delayMs?: number) => Promise<void>;

export interface PollChainDependencies {
  db: Database;
  sessions: SessionsService;
  seen: SeenEvents;
  clock: Clock;
  enqueuePoll: EnqueuePoll;
}

/** How long seen event ids are kept: far longer than the Events API holds events back. */
const SEEN_EVENTS_KEPT_MS = 48 * 3_600_000;

/**
 * Each connection is followed by a chain of poll jobs, each run enqueuing the next. This keeps
 * the chain going: it says which connections should be polled, restarts a chain when a
 * Chaturbate session starts, and (the watchdog) re-enqueues every chain that should be running,
 * so a process dying between a poll's commit and its enqueue never stalls one for long.
 * Every poll job that completes either moves `pollSeq` on or finds it already moved, so the
 * current number's job has never run, and enqueuing it is never swallowed by the dedupe.
 */
export class PollChain {
  readonly #d: PollChainDependencies;

  constructor(dependencies: PollChainDependencies) {
    this.#d = dependencies;
  }

  /** Whether the connection has something to follow now: always with `autoSession`, otherwise while a Chaturbate session is live. */
  async shouldPoll(em: EntityManager, connection: Connection): Promise<boolean> {
    return connection.autoSession || (await followedSession(this.#d.sessions, em, connection.creatorId, 'chaturbate')) !== null;
  }

  /**
   * A Chaturbate session has started: poll now. Locked, so a poll deciding at this very moment
   * that there was nothing to follow has either committed its stop (and we enqueue the next
   * number) or has not looked yet (and will see the session).
   */
  async follow(creatorId: string): Promise<void> {
    const seq = await this.#d.db.transaction(async (tx) => {
      const connection = await lockConnection(tx, creatorId);
      return connection && isFollowable(connection) ? connection.pollSeq : null;
    });
    if (seq !== null) await this.#d.enqueuePoll(creatorId, seq);
  }

  /** Enqueue the current poll of every connection that should be polling (what is already queued stays as it is), and prune old event ids. */
  async watchdog(em: EntityManager, log: Logger): Promise<void> {
    const connections = await em.find(ConnectionEntity, { eventsUrl: { $ne: null }, state: { $in: ['idle', 'polling', 'backing_off'] } });
    let enqueued = 0;
    for (const connection of connections) {
      // A chain that is running stops itself when it should; an idle one is started only when it should run.
      if (connection.state === 'idle' && !(await this.shouldPoll(em, connection))) continue;
      await this.#d.enqueuePoll(connection.creatorId, connection.pollSeq);
      enqueued++;
    }
    const pruned = await this.#d.seen.prune(em, new Date(this.#d.clock.now().getTime() - SEEN_EVENTS_KEPT_MS));
    log.debug({ connections: connections.length, enqueued, pruned }, 'chaturbate watchdog');
  }
}
