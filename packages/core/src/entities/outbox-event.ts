import { defineEntity, p } from '@mikro-orm/core';

/** A domain event written with the change that caused it; dispatched after commit. */
export const OutboxEvent = defineEntity({
  name: 'OutboxEvent',
  tableName: 'core_outbox_events',
  properties: {
    id: p.uuid().primary().onCreate(() => crypto.randomUUID()),
    name: p.string(),
    payload: p.json<Record<string, unknown>>(),
    createdAt: p.datetime().onCreate(() => new Date()),
    dispatchedAt: p.datetime().nullable(),
  },
});
export type OutboxEvent = InstanceType<typeof OutboxEvent.class>;
