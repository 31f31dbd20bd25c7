import { defineEntity, p } from '@streaming-companion/sdk';

/** One highlight. The plugin's tables start with its id, so they never meet another plugin's. */
export const HighlightEntity = defineEntity({
  name: 'StarterKitHighlight',
  tableName: 'starter_kit_highlights',
  properties: {
    id: p.uuid().primary(),
    creatorId: p.uuid(),
    sessionId: p.uuid(),
    label: p.text(),
    /** The key it was marked under, if any: one key marks one highlight, however often it is retried. */
    idempotencyKey: p.text().nullable(),
    markedAt: p.datetime(),
  },
  indexes: [{ name: 'starter_kit_highlights_session_idx', properties: ['sessionId', 'markedAt'] }],
  uniques: [{ name: 'starter_kit_highlights_key_uq', properties: ['creatorId', 'idempotencyKey'] }],
});
