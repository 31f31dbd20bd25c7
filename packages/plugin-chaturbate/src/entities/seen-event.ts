import { defineEntity, p } from '@streaming-companion/sdk';

/** An Events API event already acted on: a redelivered one (same id) is skipped. Kept a couple of days. */
export const SeenEventEntity = defineEntity({
  name: 'ChaturbateSeenEvent',
  tableName: 'chaturbate_seen_events',
  properties: {
    creatorId: p.uuid().primary(),
    eventId: p.text().primary(),
    seenAt: p.datetime(),
  },
  indexes: [{ name: 'chaturbate_seen_events_seen_at_idx', properties: ['seenAt'] }],
});
