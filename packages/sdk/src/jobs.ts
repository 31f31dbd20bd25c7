import type { EntityManager } from '@mikro-orm/sql';
import type { z } from 'zod';
import type { Logger } from './context-types.ts';

/** What a job (or a subscriber, which runs as one) gets besides its data: an entity manager of its own, and which try this is. */
export interface JobContext {
  jobId: string;
  /** 1 on the first try. */
  attempt: number;
  em: EntityManager;
  log: Logger;
}

/** The wait before a retry: `delayMs` each time (`fixed`), or doubling from it (`exponential`). */
export interface Backoff {
  type: 'fixed' | 'exponential';
  delayMs: number;
}

/** How a job runs. */
export interface JobOptions {
  /** How many run at once in each server process. Default 1. */
  concurrency?: number;
  /** Total tries, including the first. Default 3. */
  attempts?: number;
  /** Default exponential from 1 s. */
  backoff?: Backoff;
}

/** How one run is enqueued. */
export interface EnqueueOptions {
  /** Enqueuing twice with one id runs the job once. */
  jobId?: string;
  /** Run it no sooner than this many milliseconds from now. */
  delayMs?: number;
}

/** When a scheduled job repeats: every `everyMs` milliseconds, or on a cron pattern. */
export type ScheduleSpec = { everyMs: number } | { cron: string };

/** A defined job, as `jobs.define` answers it: `enqueue` and `schedule` take it, typed by the job's data. */
export interface JobRef<T> {
  readonly name: string;
  /** Phantom, for inference only. */
  readonly __data?: T;
}

/** `ctx.jobs`: a plugin's background jobs, run at least once and retried with backoff (BullMQ with Redis, in-process otherwise). */
export interface JobRegistrar {
  /**
   * Define a job, named within the plugin: `handler` gets the data parsed by `schema`. Runs at
   * least once, so the handler must be idempotent.
   */
  define<S extends z.ZodType>(
    name: string,
    schema: S,
    handler: (data: z.output<S>, ctx: JobContext) => Promise<void> | void,
    options?: JobOptions,
  ): JobRef<z.input<S>>;
  /** Run the job; `data` is parsed by its schema first, so bad data throws here, not in the job. */
  enqueue<T>(job: JobRef<T>, data: T, options?: EnqueueOptions): Promise<void>;
  /** Run a job on a repeat; the key makes scheduling idempotent across restarts and instances. */
  schedule<T>(job: JobRef<T>, key: string, spec: ScheduleSpec, data: T): Promise<void>;
}

