import { coreServices, definePlugin, kernelEvents, packageManifest } from '@streaming-companion/sdk';
import { tipsServiceRef } from '@streaming-companion/plugin-tips/contract';
import { z } from 'zod';
import { ChaturbateConfig } from './config.ts';
import { ConnectionSettings } from './connection-settings.ts';
import { chaturbateEvents } from './contract.ts';
import { ConnectionEntity } from './entities/connection.ts';
import { RoomViewerEntity } from './entities/room-viewer.ts';
import { SeenEventEntity } from './entities/seen-event.ts';
import { ConnectorEventEffects } from './event-effects.ts';
import { registerConnectorRoutes } from './http.ts';
import { chaturbateMigrations } from './migrations.ts';
import { PollChain, type EnqueuePoll } from './poll-chain.ts';
import { EventsPoller } from './poller.ts';
import { RoomViewers } from './room-viewers.ts';
import { SeenEvents } from './seen-events.ts';

export const chaturbatePlugin = definePlugin({
  ...packageManifest(new URL('../package.json', import.meta.url)),
  deps: { sessions: coreServices.sessions, secrets: coreServices.secrets, clock: coreServices.clock, tips: tipsServiceRef },
  config: ChaturbateConfig,
  events: chaturbateEvents,
  entities: [ConnectionEntity, RoomViewerEntity, SeenEventEntity],
  migrations: chaturbateMigrations,
  async setup(ctx, { sessions, secrets, clock, tips }) {
    const { config, realtime, db } = ctx;
    const pollJob = ctx.jobs.define('poll', z.object({ creatorId: z.uuid(), seq: z.int().min(0) }), (data, job) => poller.poll(data, job.log), {
      concurrency: config.pollConcurrency,
    });
    const enqueuePoll: EnqueuePoll = (creatorId, seq, delayMs) => ctx.jobs.enqueue(pollJob, { creatorId, seq }, { jobId: `poll:${creatorId}:${seq}`, delayMs });

    const viewers = new RoomViewers();
    const seen = new SeenEvents();
    const chain = new PollChain({ db, sessions, seen, clock, enqueuePoll });
    const effects = new ConnectorEventEffects({ platform: 'chaturbate', sessionTitle: 'Live on Chaturbate', idempotencyPrefix: 'chaturbate', tips, sessions, viewers, seen, clock });
    const poller = new EventsPoller({ db, secrets, realtime, chain, effects, viewers, clock, enqueuePoll, config });
    const settings = new ConnectionSettings({ secrets, realtime, chain, viewers, enqueuePoll, defaultCentsPerToken: config.centsPerToken });
    registerConnectorRoutes(ctx.http, { settings, config });

    // A Chaturbate session starting is the moment to follow its events; a rehearsal has none.
    ctx.events.on(
      kernelEvents.domain['streaming.session.started'],
      async ({ payload }) => {
        if (payload.platform === 'chaturbate' && !payload.rehearsal) await chain.follow(payload.creatorId);
      },
      { name: 'follow-session' },
    );

    const watchdog = ctx.jobs.define('watchdog', z.object({}), (_data, job) => chain.watchdog(job.em, job.log));
    await ctx.jobs.schedule(watchdog, 'watchdog', { everyMs: config.watchdogEveryMs }, {});
  },
});
