import type { EntityManager } from '@mikro-orm/sql';
import type { z } from 'zod';
import type { Logger } from './context-types.ts';

export interface JobContext {
  jobId: string;
  /** 1 on the first try. */
  attempt: number;
  em: EntityManager;
  log: Logger;
}

export interface Backoff {
  type: 'fixed' | 'exponential';
  delayMs: number;
}

export interface JobOptions {
  concurrency?: number;
  /** Total tries, including the first. Default 3. */
  attempts?: number;
  backoff?: Backoff;
}

export interface EnqueueOptions {
  /** Enqueuing twice with one id runs the job once. */
  jobId?: string;
  delayMs?: number;
}

export type ScheduleSpec = { everyMs: number } | { cron: string };

export interface JobRef<T> {
  readonly name: string;
  /** Phantom, for inference only. */
  readonly __data?: T;
}

export interface JobRegistrar {
  define<S extends z.ZodType>(
    name: string,
    schema: S,
    handler: (data: z.output<S>, ctx: JobContext) => Promise<void> | void,
    options?: JobOptions,
  ): JobRef<z.input<S>>;
  enqueue<T>(job: JobRef<T>, data: T, options?: EnqueueOptions): Promise<void>;
  /** Run a job on a repeat; the key makes scheduling idempotent across restarts and instances. */
  schedule<T>(job: JobRef<T>, key: string, spec: ScheduleSpec, data: T): Promise<void>;
}

