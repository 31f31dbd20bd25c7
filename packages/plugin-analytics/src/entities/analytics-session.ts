import { defineEntity, p, STREAM_PLATFORMS } from '@streaming-companion/sdk';

/** A session as the reports name and count it (its tips are in the facts and the period rollups). */
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
  },
  indexes: [{ name: 'analytics_sessions_creator_started_idx', properties: ['creatorId', 'startedAt'] }],
});
export type AnalyticsSession = InstanceType<typeof AnalyticsSessionEntity.class>;
