import type { Backoff, ScheduleSpec } from '@streaming-companion/sdk';

/**
 * The one interface both job backends implement: BullMQ when Redis is configured,
 * the in-process runner otherwise. The kernel wraps plugin handlers (entity manager,
 * logger) before they get here, so a runner only moves data and counts attempts.
 */
export interface JobDefinition {
  /** Fully qualified, e.g. `goals.recompute`. */
  name: string;
  handler: (data: unknown, info: { jobId: string; attempt: number }) => Promise<void>;
  concurrency: number;
  /** Total tries including the first. */
  attempts: number;
  backoff: Backoff;
}

export interface EnqueueOptions {
  /** Enqueuing the same id twice runs the job once. */
  jobId?: string;
  delayMs?: number;
}

export interface JobRunner {
  readonly kind: 'in-process' | 'bullmq';
  /** Register a job; only before `start()`. */
  define(definition: JobDefinition): void;
  enqueue(name: string, data: unknown, options?: EnqueueOptions): Promise<void>;
  /** Repeat a job; the same key replaces rather than duplicates the schedule. */
  schedule(name: string, key: string, spec: ScheduleSpec, data: unknown): Promise<void>;
  /** Start processing. Instances in the `api` role never call it: they only enqueue. */
  start(): Promise<void>;
  /** Resolves once nothing is waiting, delayed, retrying or running (schedules excepted). */
  drain(): Promise<void>;
  /** Stop taking jobs, let running ones finish, release connections. */
  stop(): Promise<void>;
}
