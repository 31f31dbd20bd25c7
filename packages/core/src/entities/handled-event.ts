import { defineEntity, p } from '@mikro-orm/core';

/**
 * An event a subscriber is done with. A `once` subscriber writes it in the transaction of its
 * handler, so a redelivery finds the row and is skipped. With BullMQ jobs every subscriber's
 * finishing (or giving up after its last attempt) is written too: the outbox row is dispatched
 * once all of its subscribers have one.
 */
export const HandledEvent = defineEntity({
  name: 'HandledEvent',
  tableName: 'core_handled_events',
  properties: {
    subscription: p.text().primary(),
    eventId: p.uuid().primary(),
    handledAt: p.datetime().defaultRaw('now()'),
  },
  indexes: [{ name: 'core_handled_events_handled_at_idx', properties: ['handledAt'] }],
});
