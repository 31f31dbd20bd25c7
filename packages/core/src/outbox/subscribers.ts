import type { EntityManager } from '@mikro-orm/sql';
import type { DomainEvent, EventSubscriberOptions, JobContext } from '@streaming-companion/sdk';
import { HandledEvent } from '../entities/handled-event.ts';
import type { JobRunner } from '../jobs/job-runner.ts';
import { inSessionOrder, once, type QueuedHandler, type SessionPlace } from './in-session-order.ts';
import type { OutboxRow } from './outbox.ts';

type Handler = (event: DomainEvent, ctx: JobContext) => Promise<void> | void;

/** A job's data: the event, and its place in its session for subscribers that keep to it. */
type QueuedEvent = DomainEvent & { place?: SessionPlace };

interface Subscription {
  /** `<plugin>.<name>`: names the job queue, so it must not change between releases. */
  key: string;
  event: string;
  /** Records each event it handles (a `once` or in-session-order subscriber), in its handler's transaction. */
  once: boolean;
}

export interface DomainSubscribersOptions {
  jobs: JobRunner;
  /** With durable (BullMQ) jobs, where each subscriber's finishing is recorded. */
  forkEm: () => EntityManager;
  /** Wraps a handler with an entity manager and logger, as for any job. */
  wrapJob: (name: string, handler: (data: unknown, ctx: JobContext) => Promise<void> | void) => (data: unknown, info: { jobId: string; attempt: number }) => Promise<void>;
}

/**
 * Domain-event subscriptions, each a job queue: delivering an outbox row enqueues one job per
 * subscriber (job id = event id + subscriber, so a redelivery enqueues nothing new). The row
 * stays pending until every subscriber has finished with the event (or given up on it), so a
 * job that never ran — the process died (in-process jobs), Redis lost its data (a restart
 * without persistence) — is enqueued again by the next delivery pass.
 */
export class DomainSubscribers {
  readonly #o: DomainSubscribersOptions;
  readonly #subscriptions: Subscription[] = [];
  /** In-process only: rows whose subscribers have not all finished, by event id → how many are left. */
  readonly #awaiting = new Map<string, number>();
  #onSettled: (eventId: string) => Promise<void> = async () => {};

  constructor(options: DomainSubscribersOptions) {
    this.#o = options;
  }

  get #durable(): boolean {
    return this.#o.jobs.kind === 'bullmq';
  }

  /** Called when an in-process row's last subscriber has finished (or given up). */
  onSettled(fn: (eventId: string) => Promise<void>): void {
    this.#onSettled = fn;
  }

  subscribe(owner: string, event: string, handler: Handler, options: EventSubscriberOptions = {}): void {
    const key = `${owner}.${options.name ?? event}`;
    if (this.#subscriptions.some((s) => s.key === key)) throw new Error(`${owner}: duplicate subscription "${key}"; give it a distinct name`);
    this.#subscriptions.push({ key, event, once: Boolean(options.once || options.inSessionOrder) });
    const attempts = options.attempts ?? 8;
    const run: QueuedHandler = options.inSessionOrder ? inSessionOrder(key, handler) : options.once ? once(key, handler) : async (e, ctx) => handler(e, ctx);
    this.#o.jobs.define({
      name: jobName(key),
      handler: this.#o.wrapJob(jobName(key), async (data, ctx) => {
        const { place, ...delivered } = data as QueuedEvent;
        try {
          await run(delivered, ctx, place);
        } catch (error) {
          if (ctx.attempt >= attempts) await this.#settled(delivered, key);
          throw error;
        }
        await this.#settled(delivered, key);
      }),
      concurrency: 1,
      attempts,
      backoff: { type: 'exponential', delayMs: 500 },
    });
  }

  /**
   * Enqueue the row's event for each subscriber; answers whether the row is done with (only when
   * nobody subscribes). Otherwise the row stays pending until its subscribers have all finished:
   * in-process jobs die with the process, and a queued BullMQ job is only as durable as Redis (a
   * Redis restarted without persistence has lost it). Until then each delivery pass that claims
   * the row enqueues it again, which adds nothing while its jobs are still queued (same job ids).
   */
  async deliver(row: OutboxRow): Promise<boolean> {
    if (this.#awaiting.has(row.id)) return false;
    const subscribers = this.#subscriptions.filter((sub) => sub.event === row.name);
    if (!subscribers.length) return true;
    const event: QueuedEvent = { id: row.id, name: row.name, payload: row.payload, occurredAt: row.createdAt.toISOString() };
    if (row.sessionId && row.seq !== null) event.place = { sessionId: row.sessionId, seq: row.seq };
    if (!this.#durable) this.#awaiting.set(row.id, subscribers.length);
    for (const sub of subscribers) await this.#o.jobs.enqueue(jobName(sub.key), event, { jobId: `${row.id}.${sub.key}` });
    return false;
  }

  async #settled(event: DomainEvent, subscription: string): Promise<void> {
    if (this.#durable) return this.#settledDurably(event, subscription);
    const eventId = event.id;
    const left = (this.#awaiting.get(eventId) ?? 1) - 1;
    if (left > 0) {
      this.#awaiting.set(eventId, left);
      return;
    }
    this.#awaiting.delete(eventId);
    await this.#onSettled(eventId);
  }

  /**
   * BullMQ: the subscribers of one event finish in any worker process, so their finishing is
   * recorded in the database (as a handled event: a `once` subscriber has written that row
   * already, in its own transaction), and whichever finishes last marks the outbox row
   * dispatched; the other subscribers' marks are then dropped. The row lock makes subscribers
   * finishing together count one after the other.
   */
  async #settledDurably(event: DomainEvent, subscription: string): Promise<void> {
    const subscribers = this.#subscriptions.filter((sub) => sub.event === event.name);
    const keys = (list: Subscription[]) => JSON.stringify(list.map((sub) => sub.key));
    await this.#o.forkEm().transactional(async (tx) => {
      const em = tx as unknown as EntityManager;
      const pending = await em.execute(`select id from core_outbox_events where id = ? and dispatched_at is null for update`, [event.id]);
      if (!pending.length) return;
      await em.createQueryBuilder(HandledEvent).insert({ subscription, eventId: event.id }).onConflict().ignore().execute('run');
      const marked = await em.execute<{ affectedRows: number }>(
        `update core_outbox_events set dispatched_at = now(), claimed_until = null
         where id = ? and (select count(*) from core_handled_events where event_id = ? and subscription in (select jsonb_array_elements_text(?::jsonb))) >= ?`,
        [event.id, event.id, keys(subscribers), subscribers.length],
        'run',
      );
      const others = subscribers.filter((sub) => !sub.once);
      if (marked.affectedRows && others.length) {
        await em.execute(`delete from core_handled_events where event_id = ? and subscription in (select jsonb_array_elements_text(?::jsonb))`, [event.id, keys(others)], 'run');
      }
    });
  }
}

const jobName = (key: string) => `events.${key}`;

/** Forget handled events older than this many days (their redelivery is long over). */
export async function pruneHandledEvents(em: EntityManager, olderThanDays: number): Promise<number> {
  return em.nativeDelete(HandledEvent, { handledAt: { $lt: new Date(Date.now() - olderThanDays * 86_400_000) } });
}
