import { defineEntity, p, STREAM_PLATFORMS } from '@streaming-companion/sdk';
import { GRAINS } from '../periods.ts';

/**
 * Rollups per creator, platform and calendar period (UTC day, month and year), written in the
 * transaction of each tip's fact, so a report over any range reads a few rows per period.
 */

/**
 * A period's totals; which tippers tipped in it (bit n of `tipperBits` is tipper number n); and
 * how many tips of each amount it had, for the median without reading the tips: `{ "500": 12 }`.
 * The amounts are few (tips cluster on round token counts), and one row per period keeps a
 * range's histogram a few reads, where a row per amount would be spread over the whole table.
 */
export const PeriodEntity = defineEntity({
  name: 'AnalyticsPeriod',
  tableName: 'analytics_periods',
  properties: {
    creatorId: p.uuid().primary(),
    grain: p.enum(GRAINS).primary(),
    periodStart: p.datetime().primary(),
    platform: p.enum(STREAM_PLATFORMS).primary(),
    tipCount: p.integer(),
    totalCents: p.bigint('number'),
    biggestCents: p.integer(),
    anonymousCount: p.integer(),
    anonymousCents: p.bigint('number'),
    anonymousLastAt: p.datetime().nullable(),
    tipperCount: p.integer(),
    tipperBits: p.blob(),
    amounts: p.json<Record<string, number>>(),
  },
});

/** What each named tipper gave in a period, ranked by the index for the leaderboard. */
export const PeriodTipperEntity = defineEntity({
  name: 'AnalyticsPeriodTipper',
  tableName: 'analytics_period_tippers',
  properties: {
    creatorId: p.uuid().primary(),
    grain: p.enum(GRAINS).primary(),
    periodStart: p.datetime().primary(),
    platform: p.enum(STREAM_PLATFORMS).primary(),
    tipperNo: p.integer().primary(),
    tipCount: p.integer(),
    totalCents: p.bigint('number'),
    lastTipAt: p.datetime(),
  },
  indexes: [{ name: 'analytics_period_tippers_rank_idx', properties: ['creatorId', 'grain', 'periodStart', 'platform', 'totalCents'] }],
});

/** Tips and viewers per quarter hour (every time zone's hours and days are made of them): the curves. */
export const TipBucketEntity = defineEntity({
  name: 'AnalyticsTipBucket',
  tableName: 'analytics_buckets',
  properties: {
    creatorId: p.uuid().primary(),
    bucketStart: p.datetime().primary(),
    platform: p.enum(STREAM_PLATFORMS).primary(),
    tipCount: p.integer(),
    totalCents: p.bigint('number'),
    peakViewers: p.integer().nullable(),
  },
});

/** A viewer count, as the kernel samples them (at most one a minute per session). */
export const ViewerSampleEntity = defineEntity({
  name: 'AnalyticsViewerSample',
  tableName: 'analytics_viewer_samples',
  properties: {
    sessionId: p.uuid().primary(),
    sampledAt: p.datetime().primary(),
    creatorId: p.uuid(),
    platform: p.enum(STREAM_PLATFORMS),
    viewerCount: p.integer(),
  },
  indexes: [{ name: 'analytics_viewer_samples_creator_idx', properties: ['creatorId', 'sampledAt'] }],
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
