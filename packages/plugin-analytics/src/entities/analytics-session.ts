import { defineEntity, p, STREAM_PLATFORMS } from '@streaming-companion/sdk';

/** A session, with its tip figures rolled up: what a summary reads for a session its range holds whole. */
export const AnalyticsSessionEntity = defineEntity({
  name: 'AnalyticsSession',
  tableName: 'analytics_sessions',
  properties: {
    sessionId: p.uuid().primary(),
    creatorId: p.uuid(),
    platform: p.enum(STREAM_PLATFORMS),
    title: p.text().nullable(),
    startedAt: p.datetime(),
    endedAt: p.datetime().nullable(),
    /** When its first and last tips came: a range holds the session whole when it holds both. */
    firstTipAt: p.datetime().nullable(),
    lastTipAt: p.datetime().nullable(),
    tipCount: p.integer(),
    totalCents: p.bigint('number'),
    biggestCents: p.integer(),
    anonymousCount: p.integer(),
    anonymousCents: p.bigint('number'),
    anonymousLastAt: p.datetime().nullable(),
  },
  indexes: [{ name: 'analytics_sessions_creator_started_idx', properties: ['creatorId', 'startedAt'] }],
});
export type AnalyticsSession = InstanceType<typeof AnalyticsSessionEntity.class>;
