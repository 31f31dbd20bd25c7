import { coreServices, definePlugin, packageManifest } from '@streaming-companion/sdk';
import { tipEvents, tipsServiceRef } from '@streaming-companion/plugin-tips/contract';
import { TipShareEntity } from './entities/tip-share.ts';
import { GoalsConfig } from './config.ts';
import { goalEvents, goalsServiceRef } from './contract.ts';
import { TipGoalEntity } from './entities/tip-goal.ts';
import { GoalProgressService } from './goal-progress.ts';
import { sessionHasOpenGoal } from './goal-store.ts';
import { registerGoalRoutes } from './http.ts';
import { goalsMigrations } from './migrations.ts';

export const goalsPlugin = definePlugin({
  ...packageManifest(new URL('../package.json', import.meta.url)),
  deps: { sessions: coreServices.sessions, clock: coreServices.clock, tips: tipEvents, tipRecords: tipsServiceRef },
  config: GoalsConfig,
  events: goalEvents,
  entities: [TipGoalEntity, TipShareEntity],
  migrations: goalsMigrations,
  async setup(ctx, { sessions, clock, tips, tipRecords }) {
    const goals = new GoalProgressService({ sessions, tips: tipRecords, clock, events: ctx.events, realtime: ctx.realtime, autoAdvance: ctx.config.autoAdvance });
    registerGoalRoutes(ctx.http, goals);
    // Once per tip, and in the order the tips were recorded, even when a crash or a retry delays
    // one tip's job past later ones: which goal a tip fills, and when each completes, follow it.
    ctx.events.on(
      tips.domain['streaming.tip.received'],
      ({ payload }, job) => goals.addToActiveGoal(job.em, payload.creatorId, payload.sessionId, payload.amountCents, { tipId: payload.tipId }),
      // A session with no open goal has nothing a tip could fill: skipped before any bookkeeping.
      { name: 'count-tip', inSessionOrder: true, when: sessionHasOpenGoal },
    );
    ctx.events.on(
      tips.domain['streaming.tip.voided'],
      ({ payload }, job) => goals.takeBackTip(job.em, payload.creatorId, payload.sessionId, payload.tipId),
      { name: 'take-back-tip', inSessionOrder: true },
    );

    // A freshly added or reloaded overlay shows the active goal at once, or the last one reached.
    ctx.realtime.onOverlayJoin(async ({ em, creatorId, sessionId, emit }) => {
      const shown = await goals.shownGoal(em, creatorId, sessionId);
      if (shown) emit(goalEvents.socket.goal_progress, shown);
    });

    ctx.provide(goalsServiceRef, goals);
  },
});
