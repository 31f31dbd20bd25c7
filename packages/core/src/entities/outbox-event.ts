import { defineEntity, p } from '@mikro-orm/core';

/** Where a broadcast goes: a session's rooms, a creator's, or both. */
export interface BroadcastTarget {
  sessionId?: string;
  creatorId?: string;
}

/**
 * A domain event or a realtime broadcast, written in the transaction of the change that
 * caused it and delivered after commit by whichever instance claims it first.
 */
export const OutboxEvent = defineEntity({
  name: 'OutboxEvent',
  tableName: 'core_outbox_events',
  properties: {
    id: p.uuid().primary().onCreate(() => crypto.randomUUID()),
    kind: p.enum(['domain', 'realtime'] as const).default('domain'),
    name: p.text(),
    payload: p.json<Record<string, unknown>>(),
    target: p.json<BroadcastTarget>().nullable(),
    /** Set on session broadcasts, with `seq`, their place among the session's broadcasts. */
    sessionId: p.uuid().nullable(),
    seq: p.bigint('number').nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    /** Until then, the instance that claimed the row is delivering it; afterwards anyone may. */
    claimedUntil: p.datetime().nullable(),
    dispatchedAt: p.datetime().nullable(),
  },
  indexes: [{ name: 'core_outbox_events_pending_idx', properties: ['createdAt'], where: 'dispatched_at is null' }],
});
export type OutboxEvent = InstanceType<typeof OutboxEvent.class>;
