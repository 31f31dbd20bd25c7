import { defineEntity, p, STREAM_PLATFORMS, TIP_SOURCES } from '@streaming-companion/sdk';

/** One tip, as the reports need it: the facts the rollups are made from, and what the export lists. */
export const AnalyticsTipEntity = defineEntity({
  name: 'AnalyticsTip',
  tableName: 'analytics_tips',
  properties: {
    tipId: p.uuid().primary(),
    creatorId: p.uuid(),
    sessionId: p.uuid(),
    platform: p.enum(STREAM_PLATFORMS),
    occurredAt: p.datetime(),
    amountCents: p.integer(),
    tokens: p.integer().nullable(),
    centsPerToken: p.integer().nullable(),
    /** The tipper's name lowercased, the same person however they capitalise it; null for an anonymous tip. */
    tipperKey: p.text().nullable(),
    tipperName: p.text().nullable(),
    source: p.enum(TIP_SOURCES),
  },
  indexes: [
    { name: 'analytics_tips_creator_time_idx', properties: ['creatorId', 'occurredAt'] },
    { name: 'analytics_tips_session_time_idx', properties: ['sessionId', 'occurredAt'] },
  ],
});
export type AnalyticsTip = InstanceType<typeof AnalyticsTipEntity.class>;
