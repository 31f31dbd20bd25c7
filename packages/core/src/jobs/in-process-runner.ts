import { CronExpressionParser } from 'cron-parser';
import type { Backoff, ScheduleSpec } from '@streaming-companion/sdk';
import type { EnqueueOptions, JobDefinition, JobRunner } from './job-runner.ts';

/**
 * The job backend for single-process installs without Redis. It mirrors the BullMQ
 * runner's observable behaviour (attempt numbers, backoff, jobId dedupe, schedules,
 * drain) so code tested here behaves the same in production, with one honest
 * difference: nothing is durable. Work that is waiting, delayed or retrying when the
 * process stops is lost.
 *
 * Semantics shared with the BullMQ runner:
 * - `data` is copied through JSON at enqueue time (`undefined` becomes `{}`), as Redis
 *   would, so a handler never sees a Date or class instance that production would not.
 * - A `jobId` is remembered per job name while waiting, delayed, retrying or running,
 *   and for an hour after success (at most the last 10k); a job that failed for good
 *   is forgotten, so the same id may be enqueued again.
 * - Schedules are keyed per job name. `{ everyMs }` runs once right away, then every
 *   `everyMs`; `{ cron }` runs at each occurrence (cron-parser, local time zone,
 *   optional seconds field). A tick is skipped while the previous run is still
 *   queued, so a slow job never piles up runs. Schedule timers only run after
 *   `start()`, and never keep the process alive.
 * - `drain()` ignores schedules but waits for every run they already started.
 * - `stop()` discards queued, delayed and retrying work, waits for running jobs and
 *   clears every timer. What those running jobs enqueue meanwhile is accepted and
 *   dropped (BullMQ would keep it in Redis). Afterwards `drain()` resolves at once
 *   and `enqueue()` throws.
 */
export interface InProcessJobRunnerOptions {
  /** Called once per job that failed its last attempt; the job is then dropped. */
  onFailed?: (name: string, jobId: string, error: Error, attempt: number) => void;
}

/** Same window as the BullMQ runner's `removeOnComplete`, so dedupe behaves alike. */
const COMPLETED_MAX_COUNT = 10_000;
const COMPLETED_MAX_AGE_MS = 3_600_000;
/** setTimeout overflows above this (about 24.8 days); longer cron waits re-arm. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface QueuedJob {
  readonly id: string;
  /** Set for caller-chosen ids only: those are the ones dedupe has to track. */
  readonly dedupeKey: string | undefined;
  readonly data: unknown;
  attempt: number;
  started: boolean;
}

interface JobQueue {
  readonly definition: JobDefinition;
  readonly waiting: QueuedJob[];
  running: number;
  lastAutoId: number;
}

interface Schedule {
  readonly name: string;
  readonly key: string;
  readonly spec: ScheduleSpec;
  /** Kept as JSON so every run gets its own copy. */
  json: string;
  timer: NodeJS.Timeout | undefined;
  lastRun: QueuedJob | undefined;
}

type State = 'created' | 'started' | 'stopping' | 'stopped';

export class InProcessJobRunner implements JobRunner {
  readonly kind = 'in-process' as const;

  readonly #onFailed: InProcessJobRunnerOptions['onFailed'];
  readonly #queues = new Map<string, JobQueue>();
  /** Dedupe keys of jobs waiting, delayed, retrying or running. */
  readonly #pending = new Set<string>();
  /** Dedupe key -> completion time, oldest first (Map keeps insertion order). */
  readonly #completed = new Map<string, number>();
  /** Delay and retry timers: they count as outstanding work for `drain()`. */
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #schedules = new Map<string, Schedule>();
  readonly #running = new Set<Promise<void>>();
  #idleWaiters: Array<() => void> = [];
  #state: State = 'created';
  #stopping: Promise<void> | undefined;

  constructor(options: InProcessJobRunnerOptions = {}) {
    this.#onFailed = options.onFailed;
  }

  define(definition: JobDefinition): void {
    if (this.#state !== 'created') throw new Error(`Cannot define job "${definition.name}" after start()`);
    if (this.#queues.has(definition.name)) throw new Error(`Job "${definition.name}" is already defined`);
    assertDefinition(definition);
    this.#queues.set(definition.name, { definition, waiting: [], running: 0, lastAutoId: 0 });
  }

  async enqueue(name: string, data: unknown, options: EnqueueOptions = {}): Promise<void> {
    const queue = this.#queue(name);
    this.#assertNotStopped();
    const json = toJson(data);
    // A job running during stop() may still enqueue follow-ups; they would be
    // discarded a moment later anyway, and must not leave timers behind.
    if (this.#state === 'stopping') return;
    this.#add(queue, json, options.jobId, options.delayMs);
  }

  async schedule(name: string, key: string, spec: ScheduleSpec, data: unknown): Promise<void> {
    this.#queue(name);
    this.#assertNotStopped();
    assertSpec(spec);
    const json = JSON.stringify(data === undefined ? {} : data);
    const id = `${name}\u0000${key}`;
    const existing = this.#schedules.get(id);
    if (existing && sameSpec(existing.spec, spec)) {
      // Like a BullMQ upsert with an unchanged interval: new data, same rhythm.
      existing.json = json;
      return;
    }
    if (existing) clearTimeout(existing.timer);
    const schedule: Schedule = { name, key, spec, json, timer: undefined, lastRun: undefined };
    this.#schedules.set(id, schedule);
    if (this.#state === 'started') this.#arm(schedule);
  }

  async start(): Promise<void> {
    if (this.#state === 'started') return;
    if (this.#state !== 'created') throw new Error('A stopped InProcessJobRunner cannot be restarted');
    this.#state = 'started';
    for (const schedule of this.#schedules.values()) this.#arm(schedule);
    for (const queue of this.#queues.values()) this.#pump(queue);
  }

  drain(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    this.#state = 'stopping';
    for (const schedule of this.#schedules.values()) clearTimeout(schedule.timer);
    this.#schedules.clear();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    for (const queue of this.#queues.values()) queue.waiting.length = 0;
    // Jobs finishing meanwhile neither retry (#settle) nor enqueue (enqueue()).
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
    this.#pending.clear();
    this.#state = 'stopped';
    this.#notifyIfIdle();
  }

  #queue(name: string): JobQueue {
    const queue = this.#queues.get(name);
    if (!queue) throw new Error(`Unknown job "${name}": define() it first`);
    return queue;
  }

  #assertNotStopped(): void {
    if (this.#state === 'stopped') throw new Error('InProcessJobRunner is stopped');
  }

  /** Returns the queued job, or undefined when dedupe swallowed it. */
  #add(queue: JobQueue, data: unknown, jobId: string | undefined, delayMs: number | undefined): QueuedJob | undefined {
    let dedupeKey: string | undefined;
    if (jobId !== undefined) {
      dedupeKey = `${queue.definition.name}\u0000${jobId}`;
      if (this.#pending.has(dedupeKey) || this.#recentlyCompleted(dedupeKey)) return undefined;
      this.#pending.add(dedupeKey);
    }
    const job: QueuedJob = { id: jobId ?? String(++queue.lastAutoId), dedupeKey, data, attempt: 1, started: false };
    if (delayMs !== undefined && delayMs > 0) this.#later(delayMs, () => this.#push(queue, job));
    else this.#push(queue, job);
    return job;
  }

  #push(queue: JobQueue, job: QueuedJob): void {
    queue.waiting.push(job);
    this.#pump(queue);
  }

  #later(delayMs: number, fn: () => void): void {
    // Deliberately ref'd: a script awaiting drain() must not exit with a retry pending.
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      fn();
    }, delayMs);
    this.#timers.add(timer);
  }

  #pump(queue: JobQueue): void {
    if (this.#state !== 'started') return;
    while (queue.running < queue.definition.concurrency && queue.waiting.length > 0) {
      this.#run(queue, queue.waiting.shift()!);
    }
  }

  #run(queue: JobQueue, job: QueuedJob): void {
    queue.running++;
    job.started = true;
    const info = { jobId: job.id, attempt: job.attempt };
    // Started on a microtask so a handler that throws synchronously, or enqueues
    // into its own queue, cannot re-enter #pump halfway through its loop.
    const run: Promise<void> = Promise.resolve()
      .then(() => queue.definition.handler(job.data, info))
      .then(
        () => this.#settle(queue, job, undefined),
        (error: unknown) => this.#settle(queue, job, toError(error)),
      )
      .finally(() => this.#running.delete(run));
    this.#running.add(run);
  }

  #settle(queue: JobQueue, job: QueuedJob, error: Error | undefined): void {
    queue.running--;
    const { definition } = queue;
    if (!error) {
      this.#forget(job);
      if (job.dedupeKey !== undefined) this.#rememberCompleted(job.dedupeKey);
    } else if (job.attempt < definition.attempts) {
      if (this.#state === 'started') {
        const delayMs = backoffDelay(definition.backoff, job.attempt);
        job.attempt++;
        if (delayMs > 0) this.#later(delayMs, () => this.#push(queue, job));
        else queue.waiting.push(job);
      } else {
        this.#forget(job);
      }
    } else {
      this.#forget(job);
      try {
        this.#onFailed?.(definition.name, job.id, error, job.attempt);
      } catch {
        // A throwing failure callback must not take the runner (or the process) down.
      }
    }
    this.#pump(queue);
    this.#notifyIfIdle();
  }

  #forget(job: QueuedJob): void {
    if (job.dedupeKey !== undefined) this.#pending.delete(job.dedupeKey);
  }

  #rememberCompleted(key: string): void {
    this.#completed.delete(key);
    this.#completed.set(key, Date.now());
    if (this.#completed.size > COMPLETED_MAX_COUNT) {
      this.#completed.delete(this.#completed.keys().next().value!);
    }
  }

  #recentlyCompleted(key: string): boolean {
    const at = this.#completed.get(key);
    if (at === undefined) return false;
    if (Date.now() - at <= COMPLETED_MAX_AGE_MS) return true;
    this.#completed.delete(key);
    return false;
  }

  #isIdle(): boolean {
    if (this.#timers.size > 0) return false;
    for (const queue of this.#queues.values()) {
      if (queue.running > 0 || queue.waiting.length > 0) return false;
    }
    return true;
  }

  #notifyIfIdle(): void {
    if (this.#idleWaiters.length === 0 || !this.#isIdle()) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  #arm(schedule: Schedule): void {
    const { spec } = schedule;
    if ('everyMs' in spec) {
      // BullMQ's `every` also runs the first iteration immediately.
      this.#tick(schedule, Date.now());
      schedule.timer = setInterval(() => this.#tick(schedule, Date.now()), spec.everyMs).unref();
    } else {
      this.#armCron(schedule, spec.cron, Date.now());
    }
  }

  /** `from` is the previous occurrence, not Date.now(): timers may fire a little early. */
  #armCron(schedule: Schedule, cron: string, from: number): void {
    const next = CronExpressionParser.parse(cron, { currentDate: new Date(from) }).next().getTime();
    const wait = next - Date.now();
    schedule.timer =
      wait > MAX_TIMER_MS
        ? setTimeout(() => this.#armCron(schedule, cron, from), MAX_TIMER_MS).unref()
        : setTimeout(() => {
            this.#tick(schedule, next);
            this.#armCron(schedule, cron, next);
          }, Math.max(0, wait)).unref();
  }

  #tick(schedule: Schedule, slot: number): void {
    if (this.#state !== 'started') return;
    if (schedule.lastRun && !schedule.lastRun.started) return;
    const queue = this.#queue(schedule.name);
    // Same id shape as BullMQ's scheduler jobs.
    const job = this.#add(queue, JSON.parse(schedule.json), `repeat:${schedule.key}:${slot}`, undefined);
    if (job) schedule.lastRun = job;
  }
}

/** `attempt` is the attempt that just failed (1-based), as in BullMQ's `attemptsMade`. */
export function backoffDelay(backoff: Backoff, attempt: number): number {
  if (backoff.type === 'exponential') return Math.round(2 ** (attempt - 1) * backoff.delayMs);
  return backoff.delayMs;
}

function assertDefinition(definition: JobDefinition): void {
  const { name, concurrency, attempts, backoff } = definition;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`Job "${name}": concurrency must be an integer >= 1`);
  if (!Number.isInteger(attempts) || attempts < 1) throw new Error(`Job "${name}": attempts must be an integer >= 1`);
  if (!(backoff.delayMs >= 0)) throw new Error(`Job "${name}": backoff.delayMs must be >= 0`);
}

function assertSpec(spec: ScheduleSpec): void {
  if ('everyMs' in spec) {
    if (!(spec.everyMs > 0) || !Number.isFinite(spec.everyMs)) throw new Error('Schedule everyMs must be a positive number');
    return;
  }
  // Fail at schedule() time, not silently inside a timer later.
  CronExpressionParser.parse(spec.cron);
}

function sameSpec(a: ScheduleSpec, b: ScheduleSpec): boolean {
  if ('everyMs' in a) return 'everyMs' in b && a.everyMs === b.everyMs;
  return 'cron' in b && a.cron === b.cron;
}

/** What a Redis round trip does to job data. */
function toJson(data: unknown): unknown {
  return JSON.parse(JSON.stringify(data === undefined ? {} : data));
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
