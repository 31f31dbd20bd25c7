import { defineEntity, p } from '@mikro-orm/core';

/**
 * How far an in-session-order subscription has come through a session's events of its name:
 * every event numbered up to `seq` has been handled, or tried and left to its own retries.
 * The row is also the lock that keeps that subscription's handling of the session one at a time.
 */
export const SubscriberCursor = defineEntity({
  name: 'SubscriberCursor',
  tableName: 'core_subscriber_cursors',
  properties: {
    subscription: p.text().primary(),
    sessionId: p.uuid().primary(),
    seq: p.bigint('number'),
  },
});
export type SubscriberCursor = InstanceType<typeof SubscriberCursor.class>;
