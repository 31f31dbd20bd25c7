import { coreServices, definePlugin, packageManifest } from '@streaming-companion/sdk';
import { tipEvents } from '@streaming-companion/plugin-tips/contract';
import { z } from 'zod';
import { GoalsConfig } from './config.ts';
import { goalEvents, goalsServiceRef } from './contract.ts';
import { ProcessedTipEventEntity } from './entities/processed-tip-event.ts';
import { TipGoalEntity } from './entities/tip-goal.ts';
import { GoalProgressService } from './goal-progress.ts';
import { registerGoalRoutes } from './http.ts';
import { goalsMigrations } from './migrations.ts';

/** How long a handled tip event's id is kept to recognise a redelivery. */
const PROCESSED_EVENT_RETENTION_DAYS = 30;

export const goalsPlugin = definePlugin({
  ...packageManifest(new URL('../package.json', import.meta.url)),
  deps: { sessions: coreServices.sessions, tips: tipEvents },
  config: GoalsConfig,
  events: goalEvents,
  entities: [TipGoalEntity, ProcessedTipEventEntity],
  migrations: goalsMigrations,
  async setup(ctx, { sessions, tips }) {
    const goals = new GoalProgressService({ sessions, events: ctx.events, realtime: ctx.realtime, autoAdvance: ctx.config.autoAdvance });
    registerGoalRoutes(ctx.http, goals);
    ctx.events.on(tips.domain['streaming.tip.received'], (event, job) => goals.recordTip(job.em, event), { name: 'count-tip' });

    const prune = ctx.jobs.define('prune-processed-events', z.object({}), async (_data, job) => {
      const removed = await goals.pruneProcessedEvents(job.em, PROCESSED_EVENT_RETENTION_DAYS);
      if (removed) job.log.info({ removed }, 'pruned handled tip event ids');
    });
    await ctx.jobs.schedule(prune, 'prune-processed-events', { cron: '17 4 * * *' }, {});

    // A freshly added or reloaded overlay shows the active goal at once.
    ctx.realtime.onOverlayJoin(async ({ em, creatorId, sessionId, emit }) => {
      const active = await goals.activeGoal(em, creatorId, sessionId);
      if (active) emit(goalEvents.socket.goal_progress, active);
    });

    ctx.provide(goalsServiceRef, {
      activeGoal: (em, creatorId, sessionId) => goals.activeGoal(em, creatorId, sessionId),
      list: (em, creatorId, sessionId) => goals.list(em, creatorId, sessionId),
    });
  },
});
