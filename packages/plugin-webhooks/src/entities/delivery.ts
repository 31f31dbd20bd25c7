import { defineEntity, p } from '@streaming-companion/sdk';
import { DELIVERY_STATUSES } from '../contract.ts';

/**
 * One event on its way to one endpoint (the delivery log's row). `attempts` counts every
 * attempt made; attempt number `attempts + 1` is the only one allowed to run next, so a job
 * run twice sends once. A redelivery starts a new round of retries at `roundFirstAttempt`.
 */
export const WebhookDeliveryEntity = defineEntity({
  name: 'WebhookDelivery',
  tableName: 'webhooks_deliveries',
  properties: {
    id: p.uuid().primary().onCreate(() => crypto.randomUUID()),
    endpointId: p.uuid(),
    creatorId: p.uuid(),
    eventType: p.text(),
    /** The domain event's id (the body's `id` and `webhook-id`); a test ping's own. */
    eventId: p.uuid(),
    /** The exact JSON POSTed, the same on every attempt. */
    body: p.text().lazy(),
    status: p.enum(DELIVERY_STATUSES),
    attempts: p.integer(),
    roundFirstAttempt: p.integer(),
    lastResponseStatus: p.integer().nullable(),
    lastError: p.text().nullable(),
    /** While pending: when the next attempt is due (during an attempt, when it is given up for lost). */
    nextAttemptAt: p.datetime().nullable(),
    deliveredAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
  uniques: [{ name: 'webhooks_deliveries_endpoint_event_key', properties: ['endpointId', 'eventId'] }],
  indexes: [
    { name: 'webhooks_deliveries_endpoint_created_idx', properties: ['endpointId', 'createdAt'] },
    { name: 'webhooks_deliveries_status_next_idx', properties: ['status', 'nextAttemptAt'] },
    { name: 'webhooks_deliveries_created_idx', properties: ['createdAt'] },
  ],
});
export type WebhookDelivery = InstanceType<typeof WebhookDeliveryEntity.class>;
