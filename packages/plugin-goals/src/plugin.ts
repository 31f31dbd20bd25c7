import { coreServices, definePlugin, packageManifest } from '@streaming-companion/sdk';
import { tipEvents } from '@streaming-companion/plugin-tips/contract';
import { GoalsConfig } from './config.ts';
import { goalEvents, goalsServiceRef } from './contract.ts';
import { TipGoalEntity } from './entities/tip-goal.ts';
import { GoalProgressService } from './goal-progress.ts';
import { registerGoalRoutes } from './http.ts';
import { goalsMigrations } from './migrations.ts';

export const goalsPlugin = definePlugin({
  ...packageManifest(new URL('../package.json', import.meta.url)),
  deps: { sessions: coreServices.sessions, clock: coreServices.clock, tips: tipEvents },
  config: GoalsConfig,
  events: goalEvents,
  entities: [TipGoalEntity],
  migrations: goalsMigrations,
  async setup(ctx, { sessions, clock, tips }) {
    const goals = new GoalProgressService({ sessions, clock, events: ctx.events, realtime: ctx.realtime, autoAdvance: ctx.config.autoAdvance });
    registerGoalRoutes(ctx.http, goals);
    // Once per tip: a redelivered event is skipped, so a tip never counts twice.
    ctx.events.on(
      tips.domain['streaming.tip.received'],
      ({ payload }, job) => goals.addToActiveGoal(job.em, payload.creatorId, payload.sessionId, payload.amountCents),
      { name: 'count-tip', once: true },
    );

    // A freshly added or reloaded overlay shows the active goal at once.
    ctx.realtime.onOverlayJoin(async ({ em, creatorId, sessionId, emit }) => {
      const active = await goals.activeGoal(em, creatorId, sessionId);
      if (active) emit(goalEvents.socket.goal_progress, active);
    });

    ctx.provide(goalsServiceRef, goals);
  },
});
