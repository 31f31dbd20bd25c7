import { setTimeout as sleep } from 'node:timers/promises';
import { Queue, Worker, type Job, type JobsOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import type { ScheduleSpec } from '@streaming-companion/sdk';
import type { EnqueueOptions, JobDefinition, JobRunner } from './job-runner.ts';

/**
 * The Redis-backed job backend. Behaves like the in-process runner (see there for
 * the shared semantics); the differences are durability and scope: jobs survive
 * restarts, dedupe and schedules are shared by every instance on the same Redis and
 * prefix, and `concurrency` is per worker process.
 *
 * Mapping onto BullMQ 6:
 * - One Queue per job name, created by `define()` (so `api` instances can enqueue),
 *   and one Worker per name, created by `start()`.
 * - BullMQ forbids `:` in queue names and, in custom job ids, both `:` and pure
 *   integers. Names are escaped (`%` -> `%25`, `:` -> `%3A`, so `goals.recompute`
 *   stays as is); job ids and schedule keys are escaped and prefixed with `x.`. The
 *   mapping is injective and handlers see the original id again.
 * - Completed jobs are kept an hour (at most 10k per queue) so a re-enqueued jobId
 *   stays deduped; jobs that failed for good are removed at once, so the id can be
 *   enqueued again, exactly as in-process.
 */
export type BullMqConnection = RedisOptions & { url?: string };

export interface BullMqJobRunnerOptions {
  /** `{ url: 'redis://…' }`, ioredis options, or both (the url wins where they overlap). */
  connection: BullMqConnection;
  /** Redis key prefix for every queue; separates deployments (and test runs) on one Redis. Default `sc`. */
  prefix?: string;
  /** Called once per job that failed its last attempt (in the process that ran it). */
  onFailed?: (name: string, jobId: string, error: Error, attempt: number) => void;
  /** Connection and worker errors; BullMQ prints them to the console when this is not set. */
  onError?: (error: Error) => void;
  /** Each time the runner's Redis connection is ready, at first and after an outage. */
  onReady?: () => void;
}

const KEEP_COMPLETED = { age: 3600, count: 10_000 };
const LOCK_MS = 8_000;
const CUSTOM_ID_PREFIX = 'x.';
/** drain() polls Redis: the condition spans every instance, so there is no local event to wait on. */
const DRAIN_POLL_MS = 25;
// BullMQ 6 has no separate 'paused' state any more: a paused queue's jobs count as 'waiting'.
const BUSY_STATES = ['waiting', 'active', 'prioritized'] as const;

export class BullMqJobRunner implements JobRunner {
  readonly kind = 'bullmq' as const;

  readonly #prefix: string;
  readonly #onFailed: BullMqJobRunnerOptions['onFailed'];
  readonly #onError: BullMqJobRunnerOptions['onError'];
  /** One client shared by all queues; each Worker duplicates it for its own (blocking) connections. */
  readonly #client: Redis;
  readonly #definitions = new Map<string, JobDefinition>();
  readonly #queues = new Map<string, Queue>();
  readonly #workers: Worker[] = [];
  #started = false;
  /** Set when stop() begins: drain() gives up, define()/start() refuse. */
  #stopped = false;
  /** Set once the workers are closed: from then on enqueue()/schedule() throw. */
  #queuesClosed = false;
  #stopping: Promise<void> | undefined;

  constructor(options: BullMqJobRunnerOptions) {
    this.#prefix = options.prefix ?? 'sc';
    this.#onFailed = options.onFailed;
    this.#onError = options.onError;
    const { url, ...redisOptions } = options.connection;
    // BullMQ workers refuse connections that give up on commands after N retries.
    const clientOptions: RedisOptions = { ...redisOptions, maxRetriesPerRequest: null };
    this.#client = url === undefined ? new Redis(clientOptions) : new Redis(url, clientOptions);
    if (this.#onError) this.#client.on('error', this.#onError);
    if (options.onReady) this.#client.on('ready', options.onReady);
  }

  define(definition: JobDefinition): void {
    if (this.#started || this.#stopped) throw new Error(`Cannot define job "${definition.name}" after start()`);
    if (this.#definitions.has(definition.name)) throw new Error(`Job "${definition.name}" is already defined`);
    const queue = new Queue(bullMqQueueName(definition.name), { connection: this.#client, prefix: this.#prefix });
    if (this.#onError) queue.on('error', this.#onError);
    this.#definitions.set(definition.name, definition);
    this.#queues.set(definition.name, queue);
  }

  async enqueue(name: string, data: unknown, options: EnqueueOptions = {}): Promise<void> {
    const { definition, queue } = this.#lookup(name);
    const opts: JobsOptions = this.#jobOptions(definition);
    if (options.jobId !== undefined) opts.jobId = encodeCustomId(options.jobId);
    if (options.delayMs !== undefined && options.delayMs > 0) opts.delay = options.delayMs;
    // An existing id makes add() return the existing job without adding one: that is the dedupe.
    await queue.add(name, data, opts);
  }

  async schedule(name: string, key: string, spec: ScheduleSpec, data: unknown): Promise<void> {
    const { definition, queue } = this.#lookup(name);
    const repeat = 'everyMs' in spec ? { every: spec.everyMs } : { pattern: spec.cron };
    await queue.upsertJobScheduler(encodeCustomId(key), repeat, { name, data, opts: this.#jobOptions(definition) });
  }

  async start(): Promise<void> {
    if (this.#stopped) throw new Error('A stopped BullMqJobRunner cannot be restarted');
    if (this.#started) return;
    this.#started = true;
    for (const definition of this.#definitions.values()) {
      const worker = new Worker(bullMqQueueName(definition.name), (job: Job) => this.#process(definition, job), {
        connection: this.#client,
        prefix: this.#prefix,
        concurrency: definition.concurrency,
        // A job whose process died (kill -9) is held until its lock expires and a stalled check
        // finds it: BullMQ's 30 s and 30 s meant up to a minute without, say, goal progress.
        // Locks are renewed every half duration, so only an event loop blocked for 8 s loses one.
        lockDuration: LOCK_MS,
        stalledInterval: LOCK_MS / 2,
      });
      worker.on('failed', (job, error) => this.#failed(definition, job, error));
      // Without a listener BullMQ logs worker errors to the console itself.
      if (this.#onError) worker.on('error', this.#onError);
      this.#workers.push(worker);
    }
    await Promise.all(this.#workers.map((worker) => worker.waitUntilReady()));
  }

  async drain(): Promise<void> {
    // Twice in a row: a job can sit between states (e.g. moving from active to a
    // follow-up's enqueue) in the instant one round of counts is taken.
    let idleRounds = 0;
    while (!this.#stopped) {
      let idle: boolean;
      try {
        idle = await this.#isIdle();
      } catch (error) {
        if (this.#stopped) return;
        throw error;
      }
      idleRounds = idle ? idleRounds + 1 : 0;
      if (idleRounds >= 2) return;
      await sleep(DRAIN_POLL_MS);
    }
  }

  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    this.#stopped = true;
    // Workers first: close() lets active jobs finish, and those may still enqueue
    // follow-ups, which Redis keeps for the next start.
    await Promise.all(this.#workers.map((worker) => worker.close()));
    this.#queuesClosed = true;
    await Promise.all([...this.#queues.values()].map((queue) => queue.close()));
    try {
      await this.#client.quit();
    } catch {
      // Already disconnected: nothing left to release.
    }
  }

  #lookup(name: string): { definition: JobDefinition; queue: Queue } {
    const definition = this.#definitions.get(name);
    const queue = this.#queues.get(name);
    if (!definition || !queue) throw new Error(`Unknown job "${name}": define() it first`);
    if (this.#queuesClosed) throw new Error('BullMqJobRunner is stopped');
    return { definition, queue };
  }

  #jobOptions(definition: JobDefinition): JobsOptions {
    return {
      attempts: definition.attempts,
      backoff: { type: definition.backoff.type, delay: definition.backoff.delayMs },
      removeOnComplete: KEEP_COMPLETED,
      removeOnFail: true,
    };
  }

  async #process(definition: JobDefinition, job: Job): Promise<void> {
    try {
      await definition.handler(job.data, { jobId: decodeJobId(job.id), attempt: job.attemptsMade + 1 });
    } catch (error) {
      // BullMQ reads `.message`/`.stack` off whatever is thrown.
      throw error instanceof Error ? error : new Error(String(error));
    }
  }

  #failed(definition: JobDefinition, job: Job | undefined, error: Error): void {
    // `job` is undefined when a stalled job is failed by the stalled checker: no id to report.
    if (!job || !this.#onFailed) return;
    const final = Boolean(job.finishedOn) || job.attemptsMade >= (job.opts.attempts ?? 1);
    if (!final) return;
    try {
      this.#onFailed(definition.name, decodeJobId(job.id), error, job.attemptsMade);
    } catch {
      // A throwing failure callback must not break the worker's event loop.
    }
  }

  async #isIdle(): Promise<boolean> {
    const verdicts = await Promise.all([...this.#queues.values()].map((queue) => queueIsIdle(queue)));
    return verdicts.every(Boolean);
  }
}

/** The BullMQ queue that holds a job name's jobs (`:` is not allowed in queue names). */
export function bullMqQueueName(jobName: string): string {
  return escapeColons(jobName);
}

async function queueIsIdle(queue: Queue): Promise<boolean> {
  const counts = await queue.getJobCounts(...BUSY_STATES, 'delayed');
  if (BUSY_STATES.some((state) => counts[state] > 0)) return false;
  if (!counts.delayed) return true;
  // Each job scheduler always parks its next iteration in `delayed`; those do not
  // count. A retrying scheduled job is also delayed, but under an older timestamp.
  const schedulers = await queue.getJobSchedulers(0, -1);
  if (counts.delayed > schedulers.length) return false;
  const parked = new Set(schedulers.map((scheduler) => `repeat:${scheduler.key}:${scheduler.next}`));
  const delayed = await queue.getRanges(['delayed'], 0, -1);
  return delayed.every((id) => parked.has(id));
}

function escapeColons(value: string): string {
  return value.replaceAll('%', '%25').replaceAll(':', '%3A');
}

function unescapeColons(value: string): string {
  return value.replace(/%(25|3A)/g, (escape) => (escape === '%25' ? '%' : ':'));
}

function encodeCustomId(id: string): string {
  return CUSTOM_ID_PREFIX + escapeColons(id);
}

/** Caller ids come back as given; scheduler runs as `repeat:<key>:<millis>`, like in-process. */
function decodeJobId(id: string | undefined): string {
  if (id === undefined) return '';
  if (id.startsWith(CUSTOM_ID_PREFIX)) return unescapeColons(id.slice(CUSTOM_ID_PREFIX.length));
  const scheduled = /^repeat:(.*):(\d+)$/.exec(id);
  if (scheduled?.[1]?.startsWith(CUSTOM_ID_PREFIX)) {
    return `repeat:${unescapeColons(scheduled[1].slice(CUSTOM_ID_PREFIX.length))}:${scheduled[2]}`;
  }
  return id;
}
