import type { Clock, Database, EntityManager, Logger, Realtime, SecretsService } from '@streaming-companion/sdk';
import { readChaturbateEvent } from './chaturbate-events.ts';
import type { ChaturbateConfig } from './config.ts';
import { announceStatus, isFollowable, lockConnection, toStatus } from './connection-state.ts';
import type { Connection } from './entities/connection.ts';
import type { BatchTally, ConnectorEventEffects } from './event-effects.ts';
import { requestEvents, type PollOutcome } from './events-api.ts';
import { isOnConnection, tokenOf, withLongPoll } from './events-url.ts';
import type { EnqueuePoll, PollChain } from './poll-chain.ts';
import type { RoomViewers } from './room-viewers.ts';

export interface PollJob {
  creatorId: string;
  seq: number;
}

export interface EventsPollerDependencies {
  db: Database;
  secrets: SecretsService;
  realtime: Realtime;
  chain: PollChain;
  effects: ConnectorEventEffects;
  viewers: RoomViewers;
  clock: Clock;
  enqueuePoll: EnqueuePoll;
  config: Pick<ChaturbateConfig, 'pollTimeoutSeconds' | 'backoffBaseMs' | 'backoffMaxMs'>;
}

/** Reasons counted apart in `skipped`; past this many, the rest add up under `other`. */
const MAX_SKIP_REASONS = 40;

/** What a poll is going to ask for, opened from the sealed row. */
interface PollPlan {
  url: string;
  eventsUrl: string;
  token: string;
}

/**
 * One run of the poll job: one request to the Events API. The job numbered `seq` checks the
 * connection is still at that number and still has something to follow, asks, then, in ONE
 * transaction that holds the connection at `seq` (or backs out: another poller got there
 * first), acts on the batch, stores the new `nextUrl`, the counters and the state, and moves
 * `pollSeq` to `seq + 1`. Only after that commits is poll `seq + 1` enqueued, at once or after
 * a back-off delay. So however many instances run it, each batch takes effect exactly once, and
 * after a restart polling resumes at the stored `nextUrl`: no gap, no double.
 */
export class EventsPoller {
  readonly #d: EventsPollerDependencies;

  constructor(dependencies: EventsPollerDependencies) {
    this.#d = dependencies;
  }

  async poll({ creatorId, seq }: PollJob, log: Logger): Promise<void> {
    const plan = await this.#d.db.transaction((tx) => this.#plan(tx, creatorId, seq));
    if (!plan) return;
    const { pollTimeoutSeconds } = this.#d.config;
    const outcome = await requestEvents({ url: withLongPoll(plan.url, pollTimeoutSeconds), timeoutSeconds: pollTimeoutSeconds, secrets: [plan.token] });
    const next = await this.#d.db.transaction((tx) => this.#settle(tx, creatorId, seq, plan, outcome, log));
    if (next) await this.#d.enqueuePoll(creatorId, seq + 1, next.delayMs);
  }

  /** What to ask for, or null when this poll has nothing to do. Deciding to stop is itself a step of the chain. */
  async #plan(tx: EntityManager, creatorId: string, seq: number): Promise<PollPlan | null> {
    const connection = await lockConnection(tx, creatorId, seq);
    if (!connection || !isFollowable(connection)) return null;
    const before = toStatus(connection);
    if (!(await this.#d.chain.shouldPoll(tx, connection))) {
      Object.assign(connection, { state: 'idle', consecutiveFailures: 0, pollSeq: seq + 1 });
      await this.#d.viewers.forgetOthers(tx, creatorId, null);
      await announceStatus(tx, this.#d.realtime, connection, before);
      return null;
    }
    if (connection.state === 'idle') {
      connection.state = 'polling';
      await announceStatus(tx, this.#d.realtime, connection, before);
    }
    try {
      const eventsUrl = this.#d.secrets.open(connection.eventsUrl!);
      return { url: connection.nextUrl ? this.#d.secrets.open(connection.nextUrl) : eventsUrl, eventsUrl, token: tokenOf(eventsUrl) };
    } catch {
      // Sealed under another key (SECRETS_KEY changed) or tampered with: only saving it again helps.
      Object.assign(connection, { state: 'broken', brokenReason: 'the saved Events URL can no longer be read (was SECRETS_KEY changed?); save it again', pollSeq: seq + 1 });
      await announceStatus(tx, this.#d.realtime, connection, before);
      return null;
    }
  }

  /** Record what the request came to; answers when to poll next, or null to stop (or when overtaken). */
  async #settle(tx: EntityManager, creatorId: string, seq: number, plan: PollPlan, outcome: PollOutcome, log: Logger): Promise<{ delayMs: number } | null> {
    const connection = await lockConnection(tx, creatorId, seq);
    if (!connection) {
      log.debug({ creatorId, seq }, 'chaturbate poll overtaken; its answer is dropped');
      return null;
    }
    const before = toStatus(connection);
    connection.pollSeq = seq + 1;
    const nextUrl = outcome.kind === 'events' || outcome.kind === 'resume' ? outcome.nextUrl : null;
    let next: { delayMs: number } | null = { delayMs: 0 };
    if (nextUrl !== null && !isOnConnection(nextUrl, plan.eventsUrl)) {
      next = this.#failed(connection, 'the Events API answered a nextUrl outside this connection', undefined, log);
    } else if (outcome.kind === 'resume' && this.#samePosition(outcome.nextUrl, plan.url)) {
      // Resuming where it already was would ask again at once, and again: wait like after a failure.
      next = this.#failed(connection, 'the Events API asked to resume where it already was', undefined, log);
    } else if (outcome.kind === 'events') {
      const items = outcome.events.map(readChaturbateEvent);
      const tally = await this.#d.effects.apply(tx, connection, items);
      this.#count(connection, tally);
      // Skipped events count: the position moves past them too.
      const lastEventId = items.findLast((item) => item.id !== undefined)?.id ?? connection.lastEventId;
      Object.assign(connection, { nextUrl: this.#d.secrets.seal(outcome.nextUrl), lastEventId, state: 'polling', consecutiveFailures: 0 });
      if (items.length) log.debug({ creatorId, events: items.length, tips: tally.tipsRecorded, skipped: tally.skipped }, 'chaturbate events');
    } else if (outcome.kind === 'resume') {
      // Not a failure: the API dropped the old position and says where to carry on.
      Object.assign(connection, { nextUrl: this.#d.secrets.seal(outcome.nextUrl), state: 'polling', consecutiveFailures: 0 });
      log.info({ creatorId }, 'chaturbate events API asked to resume at a new position');
    } else if (outcome.kind === 'refused') {
      Object.assign(connection, {
        state: 'broken',
        brokenReason: `the Events API refused the token (HTTP ${outcome.status}); save a new Events URL`,
        lastError: `HTTP ${outcome.status}`,
        errors: connection.errors + 1,
      });
      log.warn({ creatorId, status: outcome.status }, 'chaturbate events API refused the token; polling stopped');
      next = null;
    } else {
      next = this.#failed(connection, outcome.error, outcome.retryAfterMs, log);
    }
    await announceStatus(tx, this.#d.realtime, connection, before);
    return next;
  }

  #samePosition(a: string, b: string): boolean {
    const { pollTimeoutSeconds } = this.#d.config;
    return withLongPoll(a, pollTimeoutSeconds) === withLongPoll(b, pollTimeoutSeconds);
  }

  /** A transient failure: count it, and wait twice as long as last time (at most `backoffMaxMs`, at least what `Retry-After` asked). */
  #failed(connection: Connection, error: string, retryAfterMs: number | undefined, log: Logger): { delayMs: number } {
    const { backoffBaseMs, backoffMaxMs } = this.#d.config;
    const failures = connection.consecutiveFailures + 1;
    const delayMs = Math.min(backoffMaxMs, Math.max(backoffBaseMs * 2 ** Math.min(failures - 1, 30), retryAfterMs ?? 0));
    Object.assign(connection, { state: 'backing_off', consecutiveFailures: failures, errors: connection.errors + 1, lastError: error });
    log.warn({ creatorId: connection.creatorId, error, failures, delayMs }, 'chaturbate poll failed; backing off');
    return { delayMs };
  }

  #count(connection: Connection, tally: BatchTally): void {
    const skipped = { ...connection.skipped };
    for (const [reason, count] of Object.entries(tally.skipped)) {
      const key = reason in skipped || Object.keys(skipped).length < MAX_SKIP_REASONS ? reason : 'other';
      skipped[key] = (skipped[key] ?? 0) + count;
    }
    Object.assign(connection, {
      eventsSeen: connection.eventsSeen + tally.eventsSeen,
      tipsRecorded: connection.tipsRecorded + tally.tipsRecorded,
      skipped,
      lastEventAt: tally.eventsSeen ? this.#d.clock.now() : connection.lastEventAt,
    });
  }
}
