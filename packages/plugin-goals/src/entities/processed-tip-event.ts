import { defineEntity, p } from '@streaming-companion/sdk';

/** One row per `streaming.tip.received` already counted: a redelivery inserts nothing. */
export const ProcessedTipEventEntity = defineEntity({
  name: 'GoalsProcessedTipEvent',
  tableName: 'goals_processed_events',
  properties: {
    eventId: p.uuid().primary(),
    processedAt: p.datetime().defaultRaw('now()'),
  },
  indexes: [{ name: 'goals_processed_events_processed_at_idx', properties: ['processedAt'] }],
});
