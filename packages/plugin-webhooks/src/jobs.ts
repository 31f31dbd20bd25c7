import type { JobContext, JobRegistrar } from '@streaming-companion/sdk';
import { z } from 'zod';
import type { WebhooksConfig } from './config.ts';
import type { QueueAttempt } from './webhook-deliveries.ts';

export interface DeliveryJobHandlers {
  attempt(job: JobContext, deliveryId: string, attempt: number): Promise<void>;
  sweep(job: JobContext): Promise<void>;
}

/**
 * The delivery jobs: one per attempt, under `<deliveryId>:<attempt>` (queued twice, sent once),
 * and a periodic sweep that queues again what is due but was lost and prunes the log. With
 * Redis they are BullMQ jobs and outlive a restart; without, the sweep picks up after one.
 * Answers how attempts are queued.
 */
export async function defineDeliveryJobs(jobs: JobRegistrar, handlers: DeliveryJobHandlers, config: Pick<WebhooksConfig, 'concurrency' | 'sweepEveryMs'>): Promise<QueueAttempt> {
  const attempt = jobs.define('attempt', z.object({ deliveryId: z.uuid(), attempt: z.int().min(1) }), (data, job) => handlers.attempt(job, data.deliveryId, data.attempt), {
    concurrency: config.concurrency,
    // A failed POST is not a failed job (the attempt records it and queues the next); this retries only the database going away.
    attempts: 3,
    backoff: { type: 'exponential', delayMs: 1_000 },
  });
  const sweep = jobs.define('sweep', z.object({}), (_data, job) => handlers.sweep(job));
  await jobs.schedule(sweep, 'sweep', { everyMs: config.sweepEveryMs }, {});
  return (deliveryId, number, delayMs) => jobs.enqueue(attempt, { deliveryId, attempt: number }, { jobId: `${deliveryId}:${number}`, delayMs });
}
