import type { EventSubscriber, TransactionEventArgs } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import type { DomainEvent, DomainEventName, DomainEvents, EventSubscriberOptions, JobContext } from '@streaming-companion/sdk';
import { OutboxEvent } from '../entities/outbox-event.ts';
import type { JobRunner } from '../jobs/job-runner.ts';
import type { PinoLogger } from '../logger.ts';

type Handler = (event: DomainEvent, ctx: JobContext) => Promise<void> | void;

interface Subscription {
  /** `<plugin>.<name>`: names the job queue, so it must not change between releases. */
  key: string;
  event: DomainEventName;
}

export interface DomainEventBusOptions {
  jobs: JobRunner;
  forkEm: () => EntityManager;
  /** Wraps a handler with an entity manager and logger, as for any job. */
  wrapJob: (name: string, handler: (data: unknown, ctx: JobContext) => Promise<void> | void) => (data: unknown, info: { jobId: string; attempt: number }) => Promise<void>;
  log: PinoLogger;
}

const BATCH = 200;

/**
 * Transactional outbox. `publish` adds a row to the caller's unit of work; after the
 * transaction commits, `dispatch` turns each pending row into one job per subscriber
 * (job id = event id + subscriber, so a redelivery enqueues nothing new), then marks the
 * row dispatched. A crash in between leaves the row pending, and the next pass (at boot,
 * on the next commit, or on the sweep timer) dispatches it again: at least once, never lost.
 */
export class DomainEventBus {
  readonly #o: DomainEventBusOptions;
  readonly #subscriptions: Subscription[] = [];
  #pending = false;
  #running: Promise<void> | undefined;
  #again = false;
  #sweep: NodeJS.Timeout | undefined;
  #lastCreatedAt = 0;
  readonly #awaiting = new Map<string, number>();
  #backlog = false;

  constructor(options: DomainEventBusOptions) {
    this.#o = options;
  }

  get #durable(): boolean {
    return this.#o.jobs.kind === 'bullmq';
  }

  subscribe(owner: string, event: DomainEventName, handler: Handler, options: EventSubscriberOptions = {}): void {
    const key = `${owner}.${options.name ?? event}`;
    if (this.#subscriptions.some((s) => s.key === key)) throw new Error(`${owner}: duplicate subscription "${key}"; give it a distinct name`);
    this.#subscriptions.push({ key, event });
    const attempts = options.attempts ?? 8;
    this.#o.jobs.define({
      name: jobName(key),
      handler: this.#o.wrapJob(jobName(key), async (data, ctx) => {
        const delivered = data as DomainEvent;
        try {
          await handler(delivered, ctx);
        } catch (error) {
          if (ctx.attempt >= attempts) await this.#settled(delivered.id);
          throw error;
        }
        await this.#settled(delivered.id);
      }),
      concurrency: 1,
      attempts,
      backoff: { type: 'exponential', delayMs: 500 },
    });
  }

  publish<N extends DomainEventName>(em: EntityManager, name: N, payload: DomainEvents[N]): void {
    // Rows dispatch in `createdAt` order, which has millisecond resolution: keep it strictly
    // increasing here so events published together (one transaction) are delivered in publish order.
    this.#lastCreatedAt = Math.max(Date.now(), this.#lastCreatedAt + 1);
    em.persist(em.create(OutboxEvent, { name, payload: { ...payload }, createdAt: new Date(this.#lastCreatedAt) }));
    this.#pending = true;
  }

  /** The ORM hook that runs a dispatch pass after each top-level commit that published something. */
  commitHook(): EventSubscriber {
    return {
      afterTransactionCommit: (args: TransactionEventArgs) => {
        if (args.transaction?.savepointName || !this.#pending) return;
        void this.dispatch();
      },
    };
  }

  /** Dispatch everything pending. Concurrent calls coalesce into one more pass. */
  dispatch(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      try {
        do {
          this.#again = false;
          this.#pending = false;
          while ((await this.#dispatchBatch()) === BATCH);
        } while (this.#again);
      } catch (error) {
        this.#o.log.error({ err: error }, 'outbox dispatch failed; the sweep will retry');
      } finally {
        this.#running = undefined;
      }
    })();
    return this.#running;
  }

  /** Catch rows another instance crashed on, or published without a commit hook firing. */
  startSweep(intervalMs: number): void {
    this.#sweep = setInterval(() => void this.dispatch(), intervalMs);
    this.#sweep.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#sweep);
    await this.#running;
  }

  /** Rows whose jobs are queued and not yet finished: a full batch of them must not make the pass spin. */
  async #dispatchBatch(): Promise<number> {
    const em = this.#o.forkEm();
    const rows = await em.find(OutboxEvent, { dispatchedAt: null }, { orderBy: { createdAt: 'asc' }, limit: BATCH });
    const fresh = rows.filter((row) => !this.#awaiting.has(row.id));
    this.#backlog = rows.length === BATCH;
    const done: string[] = [];
    for (const row of fresh) {
      const event: DomainEvent = {
        id: row.id,
        name: row.name as DomainEventName,
        payload: row.payload as DomainEvent['payload'],
        occurredAt: row.createdAt.toISOString(),
      };
      const subscribers = this.#subscriptions.filter((sub) => sub.event === row.name);
      if (this.#durable || subscribers.length === 0) done.push(row.id);
      else this.#awaiting.set(row.id, subscribers.length);
      for (const sub of subscribers) await this.#o.jobs.enqueue(jobName(sub.key), event, { jobId: `${row.id}.${sub.key}` });
    }
    await this.#markDispatched(em, done);
    return fresh.length ? rows.length : 0;
  }

  /**
   * A queued job on a durable runner (BullMQ) survives a crash, so its row is done once enqueued.
   * In-process jobs die with the process: the row stays pending until every subscriber has
   * finished (or given up), so a crash before then redelivers it at the next boot.
   */
  async #settled(eventId: string): Promise<void> {
    if (this.#durable) return;
    const left = (this.#awaiting.get(eventId) ?? 1) - 1;
    if (left > 0) {
      this.#awaiting.set(eventId, left);
      return;
    }
    this.#awaiting.delete(eventId);
    await this.#markDispatched(this.#o.forkEm(), [eventId]);
    if (this.#backlog) void this.dispatch();
  }

  async #markDispatched(em: EntityManager, ids: string[]): Promise<void> {
    if (ids.length) await em.nativeUpdate(OutboxEvent, { id: { $in: ids }, dispatchedAt: null }, { dispatchedAt: new Date() });
  }
}

const jobName = (key: string) => `events.${key}`;
