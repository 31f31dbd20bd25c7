import { coreServices, definePlugin, kernelEvents, optional, packageManifest } from '@streaming-companion/sdk';
import { goalEvents, goalsServiceRef } from '@streaming-companion/plugin-goals/contract';
import { menuEvents } from '@streaming-companion/plugin-menu/contract';
import { tipEvents, tipsServiceRef } from '@streaming-companion/plugin-tips/contract';
import { AnalyticsConfig } from './config.ts';
import { AnalyticsSessionEntity } from './entities/analytics-session.ts';
import { AnalyticsTipClaimEntity, AnalyticsTipEntity } from './entities/analytics-tip.ts';
import { GoalCompletionEntity, MenuSaleEntity, PeriodEntity, PeriodTipperEntity, TipBucketEntity, ViewerSampleEntity } from './entities/rollups.ts';
import { AnalyticsCreatorEntity, TipperEntity } from './entities/tippers.ts';
import { registerAnalyticsRoutes } from './http.ts';
import { analyticsMigrations } from './migrations.ts';
import { AnalyticsRecorder } from './recorder.ts';
import { Reports } from './reports.ts';

export const analyticsPlugin = definePlugin({
  ...packageManifest(new URL('../package.json', import.meta.url)),
  deps: {
    sessions: coreServices.sessions,
    clock: coreServices.clock,
    tips: tipsServiceRef,
    tipEvents,
    goals: optional(goalsServiceRef),
    goalEvents: optional(goalEvents),
    menuEvents: optional(menuEvents),
  },
  config: AnalyticsConfig,
  entities: [
    AnalyticsSessionEntity,
    AnalyticsCreatorEntity,
    TipperEntity,
    AnalyticsTipEntity,
    AnalyticsTipClaimEntity,
    PeriodEntity,
    PeriodTipperEntity,
    TipBucketEntity,
    ViewerSampleEntity,
    GoalCompletionEntity,
    MenuSaleEntity,
  ],
  migrations: analyticsMigrations,
  setup(ctx, { sessions, clock, tips, tipEvents, goals, goalEvents, menuEvents }) {
    const recorder = new AnalyticsRecorder({ sessions, tips, goals });
    registerAnalyticsRoutes(ctx.http, new Reports({ sessions, clock, config: ctx.config }));

    // Every subscriber is `once`: its rows and rollups are written once per event, however often it is delivered.
    const once = (name: string) => ({ name, once: true });
    const { domain } = kernelEvents;
    ctx.events.on(domain['streaming.session.started'], ({ payload }, job) => recorder.session(job.em, payload.creatorId, payload.sessionId), once('session-started'));
    ctx.events.on(domain['streaming.session.ended'], ({ payload }, job) => recorder.session(job.em, payload.creatorId, payload.sessionId), once('session-ended'));
    ctx.events.on(domain['streaming.session.viewers'], ({ payload }, job) => recorder.viewers(job.em, payload), once('viewers'));
    // Not `once`: a redelivered tip finds its fact and adds nothing.
    ctx.events.on(tipEvents.domain['streaming.tip.received'], ({ payload }, job) => recorder.tip(job.em, payload), { name: 'tip' });
    ctx.events.on(tipEvents.domain['streaming.tip.voided'], ({ payload }, job) => recorder.voidTip(job.em, payload), once('tip-voided'));
    if (goalEvents) {
      ctx.events.on(goalEvents.domain['streaming.goal.completed'], ({ payload, occurredAt }, job) => recorder.goalCompleted(job.em, payload, occurredAt), once('goal-completed'));
    }
    if (menuEvents) {
      ctx.events.on(menuEvents.domain['streaming.menu_item.purchased'], ({ payload, occurredAt }, job) => recorder.itemPurchased(job.em, payload, occurredAt), once('item-purchased'));
    }
  },
});
