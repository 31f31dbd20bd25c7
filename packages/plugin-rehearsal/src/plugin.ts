import { coreServices, definePlugin, kernelEvents, optional, packageManifest } from '@streaming-companion/sdk';
import { goalsServiceRef } from '@streaming-companion/plugin-goals/contract';
import { tipsServiceRef } from '@streaming-companion/plugin-tips/contract';
import { RehearsalConfig } from './config.ts';
import { RecordedEventEntity } from './entities/recorded-event.ts';
import { RehearsalCueEntity } from './entities/rehearsal-cue.ts';
import { RehearsalEntity } from './entities/rehearsal.ts';
import { registerRehearsalRoutes } from './http.ts';
import { definePlaybackJobs } from './jobs.ts';
import { rehearsalMigrations } from './migrations.ts';
import { RehearsalPlayback } from './playback.ts';
import { SessionRecorder } from './recording.ts';
import { Rehearsals } from './rehearsals.ts';

export const rehearsalPlugin = definePlugin({
  ...packageManifest(new URL('../package.json', import.meta.url)),
  deps: { sessions: coreServices.sessions, clock: coreServices.clock, tips: tipsServiceRef, goals: optional(goalsServiceRef) },
  config: RehearsalConfig,
  entities: [RehearsalEntity, RehearsalCueEntity, RecordedEventEntity],
  migrations: rehearsalMigrations,
  async setup(ctx, { sessions, clock, tips, goals }) {
    // The jobs' handlers only run once the kernel starts its workers, after setup has made the playback.
    const queue = await definePlaybackJobs(ctx.jobs, {
      playCue: (job, rehearsalId, index) => playback.playCue(job.em, rehearsalId, index),
      finish: (job, rehearsalId) => playback.finish(job.em, rehearsalId),
      resume: (job) => playback.resume(job.em),
    });
    const playback = new RehearsalPlayback({ sessions, tips, clock, queue, log: ctx.log });
    registerRehearsalRoutes(ctx.http, new Rehearsals({ sessions, tips, goals, playback, config: ctx.config }));

    // Not `once`: a recorded event is keyed by its id, so a redelivery keeps nothing twice.
    const recorder = new SessionRecorder(sessions);
    ctx.events.on(kernelEvents.domain['streaming.chat.message'], (event, job) => recorder.recordChat(job.em, event), { name: 'record-chat' });
    ctx.events.on(kernelEvents.domain['streaming.session.viewers'], (event, job) => recorder.recordViewers(job.em, event), { name: 'record-viewers' });

    ctx.events.on(
      kernelEvents.domain['streaming.session.ended'],
      async ({ payload }, job) => {
        if (payload.rehearsal) await playback.sessionEnded(job.em, payload.sessionId);
      },
      { name: 'session-ended' },
    );
  },
});
