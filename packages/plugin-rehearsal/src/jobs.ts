import type { JobContext, JobRegistrar } from '@streaming-companion/sdk';
import { z } from 'zod';
import type { PlaybackQueue } from './playback.ts';

/** How often playing rehearsals are checked for lost jobs (and once at start). */
const RESUME_EVERY_MS = 60_000;

export interface PlaybackHandlers {
  playCue(job: JobContext, rehearsalId: string, index: number): Promise<void>;
  finish(job: JobContext, rehearsalId: string): Promise<void>;
  resume(job: JobContext): Promise<void>;
}

/**
 * The playback's jobs: one per cue and one to finish, under ids made of the rehearsal and the
 * cue (so enqueueing one twice runs it once), and a periodic resume. Answers the queue playback uses.
 */
export async function definePlaybackJobs(jobs: JobRegistrar, handlers: PlaybackHandlers): Promise<PlaybackQueue> {
  const playCue = jobs.define('play-cue', z.object({ rehearsalId: z.uuid(), index: z.int().min(0) }), (data, job) => handlers.playCue(job, data.rehearsalId, data.index), {
    concurrency: 4,
  });
  const finish = jobs.define('finish', z.object({ rehearsalId: z.uuid() }), (data, job) => handlers.finish(job, data.rehearsalId));
  const resume = jobs.define('resume', z.object({}), (_data, job) => handlers.resume(job));
  await jobs.schedule(resume, 'resume', { everyMs: RESUME_EVERY_MS }, {});
  return {
    playCue: (rehearsalId, index, delayMs) => jobs.enqueue(playCue, { rehearsalId, index }, { jobId: `${rehearsalId}:${index}`, delayMs }),
    finish: (rehearsalId, delayMs) => jobs.enqueue(finish, { rehearsalId }, { jobId: `${rehearsalId}:finish`, delayMs }),
  };
}
