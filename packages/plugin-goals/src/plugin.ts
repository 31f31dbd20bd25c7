import { coreServiceRefs, definePlugin } from '@streaming-companion/sdk';
import { z } from 'zod';
import { GoalsConfig } from './config.ts';
import { GoalProgressService } from './goal-progress.ts';
import { goalsServiceRef } from './goals-service.ts';
import { registerGoalRoutes } from './http.ts';
import { goalsMigrations } from './migrations.ts';

/** How long a handled tip event's id is kept to recognise a redelivery. */
const PROCESSED_EVENT_RETENTION_DAYS = 30;

export const goalsPlugin = definePlugin({
  id: 'goals',
  version: '0.1.0',
  engine: '^0.1.0',
  dependencies: ['tips'],
  config: GoalsConfig,
  migrations: goalsMigrations,
  async setup(ctx) {
    const goals = new GoalProgressService({
      sessions: ctx.use(coreServiceRefs.sessions),
      events: ctx.events,
      realtime: ctx.realtime,
      autoAdvance: ctx.config.autoAdvance,
    });
    registerGoalRoutes(ctx.http, goals);
    ctx.events.on('streaming.tip.received', (event, job) => goals.recordTip(job.em, event), { name: 'count-tip' });

    const prune = ctx.jobs.define('prune-processed-events', z.object({}), async (_data, job) => {
      const removed = await goals.pruneProcessedEvents(job.em, PROCESSED_EVENT_RETENTION_DAYS);
      if (removed) job.log.info({ removed }, 'pruned handled tip event ids');
    });
    await ctx.jobs.schedule(prune, 'prune-processed-events', { cron: '17 4 * * *' }, {});

    // A freshly added or reloaded overlay shows the active goal at once.
    ctx.realtime.onOverlayJoin(async ({ em, creatorId, sessionId, emit }) => {
      const active = await goals.activeGoal(em, creatorId, sessionId);
      if (active) emit('goal_progress', active);
    });

    ctx.provide(goalsServiceRef, {
      activeGoal: (em, creatorId, sessionId) => goals.activeGoal(em, creatorId, sessionId),
      list: (em, creatorId, sessionId) => goals.list(em, creatorId, sessionId),
    });
  },
});
