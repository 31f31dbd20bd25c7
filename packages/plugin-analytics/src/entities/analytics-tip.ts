import { defineEntity, p, STREAM_PLATFORMS, TIP_SOURCES } from '@streaming-companion/sdk';

/** One tip, as the reports need it: what the part-days at a range's ends are read from, and what the export lists. */
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
    /** The tipper's number (see TipperEntity); null for an anonymous tip. */
    tipperNo: p.integer().nullable(),
    /** As written on this tip. */
    tipperName: p.text().nullable(),
    source: p.enum(TIP_SOURCES),
  },
  indexes: [
    { name: 'analytics_tips_creator_time_idx', properties: ['creatorId', 'occurredAt'] },
    { name: 'analytics_tips_session_time_idx', properties: ['sessionId', 'occurredAt'] },
  ],
});
export type AnalyticsTip = InstanceType<typeof AnalyticsTipEntity.class>;

/**
 * A tip its count or its void came to first, whichever that was; the other then does nothing
 * (a void after a count takes the fact back out). Kept for every tip, as facts are.
 */
export const AnalyticsTipClaimEntity = defineEntity({
  name: 'AnalyticsTipClaim',
  tableName: 'analytics_tip_claims',
  properties: { tipId: p.uuid().primary() },
});
