import { defineEntity, p, TIP_SOURCES, type ViewerStanding } from '@streaming-companion/sdk';

/** One tip (the spec's StreamTipEntity). Money in cents; token tips keep their tokens and rate. */
export const StreamTipEntity = defineEntity({
  name: 'StreamTip',
  tableName: 'tips_tips',
  properties: {
    id: p.uuid().primary().onCreate(() => crypto.randomUUID()),
    creatorId: p.uuid(),
    sessionId: p.uuid(),
    amountCents: p.integer(),
    tokens: p.integer().nullable(),
    centsPerToken: p.integer().nullable(),
    tipperName: p.text().nullable(),
    message: p.text().nullable(),
    isAnonymous: p.boolean(),
    source: p.enum(TIP_SOURCES),
    externalEventId: p.text().nullable(),
    /** What the platform said of the tipper when they tipped (moderator, fan club, recent tips), for chat levels. */
    tipperStanding: p.json<ViewerStanding>().nullable(),
    /** Unique per creator: a retry under one key can never insert twice, however the retries race. */
    idempotencyKey: p.text().nullable(),
    /** Tells a retry (same tip) from a reused key (another tip). */
    requestHash: p.text().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    /** Set when the creator voided it: kept in history, left out of every total. */
    voidedAt: p.datetime().nullable(),
    voidReason: p.text().nullable(),
  },
  uniques: [{ name: 'tips_tips_idempotency_uq', properties: ['creatorId', 'idempotencyKey'] }],
  indexes: [
    { name: 'tips_tips_session_idx', columns: [{ name: 'creator_id' }, { name: 'session_id' }, { name: 'created_at', sort: 'desc' }] },
    { name: 'tips_tips_creator_created_idx', columns: [{ name: 'creator_id' }, { name: 'created_at', sort: 'desc' }] },
  ],
  checks: [{ name: 'tips_tips_amount_cents_check', expression: 'amount_cents > 0' }],
});
export type StreamTip = InstanceType<typeof StreamTipEntity.class>;
