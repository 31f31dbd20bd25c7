import { defineEntity, p } from '@streaming-companion/sdk';

/**
 * Rollups per session, kept up to date in the same transaction as each tip's fact, so a
 * summary over many sessions reads a few rows per session instead of every tip.
 */

/** How many tips of each amount a session had: the median without reading the tips. */
export const SessionAmountEntity = defineEntity({
  name: 'AnalyticsSessionAmount',
  tableName: 'analytics_session_amounts',
  properties: {
    sessionId: p.uuid().primary(),
    amountCents: p.integer().primary(),
    creatorId: p.uuid(),
    tipCount: p.integer(),
  },
});

/** What each named tipper gave in a session: unique tippers and the leaderboard. */
export const SessionTipperEntity = defineEntity({
  name: 'AnalyticsSessionTipper',
  tableName: 'analytics_session_tippers',
  properties: {
    sessionId: p.uuid().primary(),
    tipperKey: p.text().primary(),
    creatorId: p.uuid(),
    /** As they last wrote it. */
    tipperName: p.text(),
    tipCount: p.integer(),
    totalCents: p.bigint('number'),
    lastTipAt: p.datetime(),
  },
  indexes: [{ name: 'analytics_session_tippers_creator_idx', properties: ['creatorId', 'tipperKey'] }],
});

/** A session's tips and viewers per quarter hour (every time zone's hours and days are made of them): the curves. */
export const TipBucketEntity = defineEntity({
  name: 'AnalyticsTipBucket',
  tableName: 'analytics_buckets',
  properties: {
    sessionId: p.uuid().primary(),
    bucketStart: p.datetime().primary(),
    creatorId: p.uuid(),
    tipCount: p.integer(),
    totalCents: p.bigint('number'),
    peakViewers: p.integer().nullable(),
  },
  indexes: [{ name: 'analytics_buckets_creator_start_idx', properties: ['creatorId', 'bucketStart'] }],
});

/** A viewer count, as the kernel samples them (at most one a minute per session). */
export const ViewerSampleEntity = defineEntity({
  name: 'AnalyticsViewerSample',
  tableName: 'analytics_viewer_samples',
  properties: {
    sessionId: p.uuid().primary(),
    sampledAt: p.datetime().primary(),
    creatorId: p.uuid(),
    viewerCount: p.integer(),
  },
});

/** A goal reached: when, in which session. */
export const GoalCompletionEntity = defineEntity({
  name: 'AnalyticsGoalCompletion',
  tableName: 'analytics_goal_completions',
  properties: {
    goalId: p.uuid().primary(),
    creatorId: p.uuid(),
    sessionId: p.uuid(),
    title: p.text().nullable(),
    targetCents: p.bigint('number'),
    completedAt: p.datetime(),
  },
  indexes: [{ name: 'analytics_goal_completions_creator_idx', properties: ['creatorId', 'completedAt'] }],
});

/** A tip that bought a menu item. */
export const MenuSaleEntity = defineEntity({
  name: 'AnalyticsMenuSale',
  tableName: 'analytics_menu_sales',
  properties: {
    tipId: p.uuid().primary(),
    creatorId: p.uuid(),
    sessionId: p.uuid(),
    itemId: p.uuid(),
    title: p.text(),
    amountCents: p.integer(),
    occurredAt: p.datetime(),
  },
  indexes: [{ name: 'analytics_menu_sales_creator_time_idx', properties: ['creatorId', 'occurredAt'] }],
});
