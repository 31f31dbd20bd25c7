import { defineEntity, p } from '@mikro-orm/core';

/** An event a `once` subscriber has handled: its redelivery finds the row and is skipped. */
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
