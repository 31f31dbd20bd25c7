import type { EntityManager } from '@mikro-orm/sql';
import type { DomainEvent, EventSubscriberOptions, JobContext } from '@streaming-companion/sdk';
import { HandledEvent } from '../entities/handled-event.ts';
import { InProcessJobRunner } from '../jobs/in-process-runner.ts';
import type { JobDefinition, JobRunner } from '../jobs/job-runner.ts';
import type { PinoLogger } from '../logger.ts';
import { allHold, holds, isSql, type Condition } from './conditions.ts';
import { inSessionOrder, once, type QueuedHandler, type SessionPlace } from './in-session-order.ts';
import type { OutboxRow } from './outbox.ts';

type Handler = (event: DomainEvent, ctx: JobContext) => Promise<void> | void;

/** A job's data: the event, its place in its session for subscribers that keep to it, and how often it was tried before this job. */
type QueuedEvent = DomainEvent & { place?: SessionPlace; tried?: number };
/** A first try's: `checked` when the subscriber's SQL `when` was asked already, with the other subscribers'. */
type Try = QueuedEvent & { checked?: boolean };

interface Subscription {
  /** `<plugin>.<name>`: names the subscription's retry queue, so it must not change between releases. */
  key: string;
  event: string;
  /** Records each event it handles (a `once` or in-session-order subscriber), in its handler's transaction. */
  once: boolean;
  attempts: number;
  when: Condition | undefined;
  /** One try of the handler, with an entity manager and logger of its own, as any job gets. */
  run: (event: Try, info: { jobId: string; attempt: number }) => Promise<void>;
}

export interface DomainSubscribersOptions {
  jobs: JobRunner;
  /** With durable (BullMQ) jobs, where each subscriber's finishing is recorded. */
  forkEm: () => EntityManager;
  /** Wraps a handler with an entity manager and logger, as for any job. */
  wrapJob: (name: string, handler: (data: unknown, ctx: JobContext) => Promise<void> | void) => (data: unknown, info: { jobId: string; attempt: number }) => Promise<void>;
  log: PinoLogger;
}

/** The job that hands one event to each of its subscribers in turn. */
const DISPATCH_JOB = 'events.dispatch';
/** Names, in logs, the asking of an event's subscribers' SQL conditions. */
const CONDITIONS = 'events.conditions';
/**
 * Events dispatched at once by each process; in-session-order subscribers keep their own order
 * whatever this is. One in-process: the embedded database has one connection, and events queued
 * for it would only stand between a request and its turn.
 */
const dispatchConcurrency = (jobs: JobRunner) => (jobs.kind === 'bullmq' ? 4 : 1);
/** Tries of a dispatch itself (its subscribers' failures are theirs): only a database or Redis failure makes one throw. */
const DISPATCH_ATTEMPTS = 8;
/** Subscribers' tries back off exponentially from this. */
const BACKOFF_MS = 500;

/**
 * Domain-event subscriptions. Delivering an outbox row enqueues one job (job id = event id, so a
 * redelivery enqueues nothing new) that runs every subscriber of the event in turn: a job and a
 * settlement per event rather than per subscriber, which is most of what a tip costs the server.
 * A subscriber that throws there is retried on its own, in its subscription's queue, so one
 * failing plugin never re-runs the others. The row stays pending until every subscriber has
 * finished with the event (or given up on it), so an event whose jobs never ran (the process
 * died with in-process jobs, Redis lost its data in a restart without persistence) is enqueued
 * again by the next delivery pass.
 *
 * With BullMQ, a process that runs jobs queues its own commits' events in memory rather than in
 * Redis: the outbox row is already the event's durable record, so a BullMQ job for it only added
 * round trips (four scripts a tip). Should the process die first, the row's claim runs out and a
 * delivery pass hands it over again. An `api` process, which runs no jobs, still enqueues in
 * BullMQ for the workers, and retries always go there.
 */
export class DomainSubscribers {
  readonly #o: DomainSubscribersOptions;
  readonly #subscriptions: Subscription[] = [];
  /** With BullMQ: this process's own queue of events to dispatch, used once it runs jobs. */
  readonly #here: InProcessJobRunner | undefined;
  #dispatchingHere = false;
  #stopping: Promise<void> | undefined;
  /**
   * Rows queued or dispatching in this process, by event id → how many jobs are left (in-process
   * jobs count their retries too), so a delivery pass meanwhile queues nothing new.
   */
  readonly #awaiting = new Map<string, number>();
  #onSettled: (eventId: string) => void = () => {};

  constructor(options: DomainSubscribersOptions) {
    this.#o = options;
    const dispatch: JobDefinition = {
      name: DISPATCH_JOB,
      handler: async (data, info) => {
        try {
          await this.#dispatch(data as QueuedEvent);
        } catch (error) {
          // Given up: the next delivery pass that claims the row may queue it again.
          if (info.attempt >= DISPATCH_ATTEMPTS) this.#awaiting.delete((data as QueuedEvent).id);
          throw error;
        }
      },
      concurrency: dispatchConcurrency(options.jobs),
      attempts: DISPATCH_ATTEMPTS,
      backoff: { type: 'exponential', delayMs: BACKOFF_MS },
    };
    options.jobs.define(dispatch);
    if (options.jobs.kind === 'bullmq') {
      this.#here = new InProcessJobRunner({ onFailed: (name, jobId, err, attempt) => options.log.error({ err, job: name, jobId, attempt }, 'job failed for good') });
      this.#here.define(dispatch);
    }
  }

  /** This process runs jobs: from now on it dispatches the events it delivers itself. */
  async start(): Promise<void> {
    await this.#here?.start();
    this.#dispatchingHere = Boolean(this.#here);
  }

  /** Resolves once nothing is queued or dispatching in this process (the job runner's drain covers the rest). */
  async drain(): Promise<void> {
    await this.#here?.drain();
  }

  /**
   * Lets running dispatches finish and drops what is still queued here, releasing those rows'
   * claims so that the next delivery pass of any instance takes them at once rather than once
   * the claims run out.
   */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    this.#dispatchingHere = false;
    if (!this.#here) return;
    await this.#here.stop();
    const dropped = [...this.#awaiting.keys()];
    if (dropped.length) await this.#o.forkEm().execute(RELEASE_CLAIMS, [JSON.stringify(dropped)], 'run');
  }

  get #durable(): boolean {
    return this.#o.jobs.kind === 'bullmq';
  }

  /** Called when a row's last subscriber has finished (or given up); the outbox marks it in its own time. */
  onSettled(fn: (eventId: string) => void): void {
    this.#onSettled = fn;
  }

  subscribe(owner: string, event: string, handler: Handler, options: EventSubscriberOptions = {}): void {
    const key = `${owner}.${options.name ?? event}`;
    if (this.#subscriptions.some((s) => s.key === key)) throw new Error(`${owner}: duplicate subscription "${key}"; give it a distinct name`);
    const when = options.when as Condition | undefined;
    const queued: QueuedHandler = options.inSessionOrder ? inSessionOrder(key, handler, when) : options.once ? once(key, handler) : async (e, ctx) => handler(e, ctx);
    const run = this.#o.wrapJob(jobName(key), async (data, ctx) => {
      const { place, tried: _tried, checked, ...delivered } = data as Try;
      if (when && !checked && !(await holds(when, delivered, ctx))) return;
      await queued(delivered, ctx, place);
    });
    const subscription: Subscription = { key, event, once: Boolean(options.once || options.inSessionOrder), attempts: options.attempts ?? 8, when, run };
    this.#subscriptions.push(subscription);
    // The first try happens in the dispatch job, so this queue holds the rest; its backoff picks up where that try left off.
    const retries = Math.max(1, subscription.attempts - 1);
    this.#o.jobs.define({
      name: jobName(key),
      handler: async (data, info) => {
        const retried = data as QueuedEvent;
        try {
          await run(retried, { jobId: info.jobId, attempt: info.attempt + (retried.tried ?? 0) });
        } catch (error) {
          if (info.attempt >= retries) await this.#settled(retried, key);
          throw error;
        }
        await this.#settled(retried, key);
      },
      concurrency: 1,
      attempts: retries,
      backoff: { type: 'exponential', delayMs: 2 * BACKOFF_MS },
    });
  }

  /**
   * Enqueue the row's event for its subscribers; answers whether the row is done with (only when
   * nobody subscribes). Otherwise the row stays pending until its subscribers have all finished:
   * in-process jobs die with the process, and a queued BullMQ job is only as durable as Redis (a
   * Redis restarted without persistence has lost it). Until then each delivery pass that claims
   * the row enqueues it again, which adds nothing while its job is still queued (same job id, or
   * in this process the row's entry in `#awaiting`). An in-process queue gets no job id: it would
   * remember a finished one for an hour and swallow the redelivery of a row whose marking failed.
   */
  async deliver(row: OutboxRow): Promise<boolean> {
    if (this.#awaiting.has(row.id)) return false;
    if (!this.#subscriptions.some((sub) => sub.event === row.name)) return true;
    const event: QueuedEvent = { id: row.id, name: row.name, payload: row.payload, occurredAt: row.createdAt.toISOString() };
    if (row.sessionId && row.seq !== null) event.place = { sessionId: row.sessionId, seq: row.seq };
    const runner = this.#dispatchingHere ? this.#here! : this.#o.jobs;
    if (runner.kind === 'in-process') {
      this.#awaiting.set(row.id, 1);
      await runner.enqueue(DISPATCH_JOB, event);
    } else {
      await runner.enqueue(DISPATCH_JOB, event, { jobId: row.id });
    }
    return false;
  }

  /** Each subscriber's first try; those that throw go to their own queue for the rest. */
  async #dispatch(event: QueuedEvent): Promise<void> {
    const finished: Subscription[] = [];
    const failed: Subscription[] = [];
    const subscribers = this.#subscriptions.filter((sub) => sub.event === event.name);
    // Asked when the first subscriber with one comes up: those before it need not wait for the answers.
    let held: Map<Subscription, boolean> | undefined;
    for (const sub of subscribers) {
      if (sub.when && isSql(sub.when)) held ??= await this.#askTogether(subscribers, event);
      const concerned = held?.get(sub);
      if (concerned === false) {
        finished.push(sub);
        continue;
      }
      const jobId = `${event.id}.${sub.key}`;
      try {
        await sub.run(concerned ? { ...event, checked: true } : event, { jobId, attempt: 1 });
        finished.push(sub);
      } catch (err) {
        if (sub.attempts > 1) {
          this.#o.log.warn({ err, job: jobName(sub.key), jobId, attempt: 1 }, 'subscriber failed; it is retried');
          failed.push(sub);
        } else {
          this.#o.log.error({ err, job: jobName(sub.key), jobId, attempt: 1 }, 'job failed for good');
          finished.push(sub);
        }
      }
    }
    if (!failed.length) {
      this.#awaiting.delete(event.id);
      return this.#onSettled(event.id);
    }
    // Recorded before the retries exist, so whichever of them finishes last finds the others counted.
    if (this.#durable) await this.#recordFinished(event.id, finished);
    else this.#awaiting.set(event.id, failed.length);
    for (const sub of failed) await this.#o.jobs.enqueue(jobName(sub.key), { ...event, tried: 1 }, { jobId: `${event.id}.${sub.key}`, delayMs: BACKOFF_MS });
    // Durable retries settle through the database, whichever process runs them.
    if (this.#durable) this.#awaiting.delete(event.id);
  }

  /**
   * The SQL `when`s of the event's subscribers, in one statement (after stepping aside for
   * requests, as each subscriber's try does). Should that fail, say because one plugin's SQL is
   * broken, each subscriber asks its own in its try, and the failure stays that plugin's.
   */
  async #askTogether(subscribers: Subscription[], event: QueuedEvent): Promise<Map<Subscription, boolean>> {
    const asked = subscribers.flatMap((sub) => (sub.when && isSql(sub.when) ? [{ sub, condition: sub.when }] : []));
    let answers: boolean[] = [];
    const { place: _place, tried: _tried, ...delivered } = event;
    const ask = this.#o.wrapJob(CONDITIONS, async (_data, ctx) => {
      answers = await allHold(ctx.em as unknown as EntityManager, asked.map((a) => a.condition), delivered);
    });
    try {
      await ask(delivered, { jobId: event.id, attempt: 1 });
    } catch (err) {
      this.#o.log.warn({ err, event: event.name, eventId: event.id }, 'the subscribers’ SQL conditions failed together; each asks its own');
      return new Map();
    }
    return new Map(asked.map((a, i) => [a.sub, answers[i]!]));
  }

  async #recordFinished(eventId: string, finished: Subscription[]): Promise<void> {
    if (!finished.length) return;
    const rows = finished.map((sub) => ({ subscription: sub.key, eventId }));
    await this.#o.forkEm().createQueryBuilder(HandledEvent).insert(rows).onConflict().ignore().execute('run');
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
    this.#onSettled(eventId);
  }

  /**
   * BullMQ: the retried subscribers of one event finish in any worker process, so their finishing
   * is recorded in the database (as a handled event: a `once` subscriber has written that row
   * already, in its own transaction, and the dispatch job wrote the rows of those that finished
   * there), and whichever finishes last marks the outbox row dispatched; the other subscribers'
   * marks are then dropped. The row lock makes subscribers finishing together count one after
   * the other.
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

const RELEASE_CLAIMS = `
  update core_outbox_events set claimed_until = null
  where id = any(array(select jsonb_array_elements_text(?::jsonb)::uuid)) and dispatched_at is null`;

/** Forget handled events older than this many days (their redelivery is long over). */
export async function pruneHandledEvents(em: EntityManager, olderThanDays: number): Promise<number> {
  return em.nativeDelete(HandledEvent, { handledAt: { $lt: new Date(Date.now() - olderThanDays * 86_400_000) } });
}
