import { kernelEvents, type EventBus, type JobRegistrar } from '@streaming-companion/sdk';
import { z } from 'zod';
import type { Highlights } from './highlights.ts';

/** Marks the start of every stream with a highlight: a subscriber to the kernel's event hands the work to a job. */
export function markStreamStarts(ctx: { events: EventBus; jobs: JobRegistrar }, highlights: Highlights, label: string): void {
  // Retried with backoff on failure: BullMQ when the server has Redis, in-process otherwise.
  const markStreamStart = ctx.jobs.define('mark-stream-start', z.object({ creatorId: z.uuid(), sessionId: z.uuid() }), async ({ creatorId, sessionId }, job) => {
    // Jobs run at least once: under this key a second run answers with the first highlight.
    await highlights.mark(job.em, creatorId, { sessionId, label, idempotencyKey: `stream-start:${sessionId}` });
  });

  // Delivered at least once, after the session's start commits. It only enqueues, so the work is
  // retried on its own, and anything else (a route, a schedule) can enqueue it too.
  ctx.events.on(kernelEvents.domain['streaming.session.started'], async ({ payload }) => {
    const { creatorId, sessionId } = payload;
    await ctx.jobs.enqueue(markStreamStart, { creatorId, sessionId }, { jobId: `mark-stream-start-${sessionId}` });
  });
}
