import { defineEntity, p } from '@streaming-companion/sdk';
import type { WebhookEventType } from '../contract.ts';

/**
 * A creator's webhook endpoint. The signing secret is kept sealed (`coreServices.secrets`);
 * after a rotation the previous one keeps signing beside it for a while, so a receiver can
 * switch without dropping deliveries.
 */
export const WebhookEndpointEntity = defineEntity({
  name: 'WebhookEndpoint',
  tableName: 'webhooks_endpoints',
  properties: {
    id: p.uuid().primary().onCreate(() => crypto.randomUUID()),
    creatorId: p.uuid(),
    url: p.text(),
    description: p.text().nullable(),
    events: p.json<WebhookEventType[]>(),
    active: p.boolean(),
    /** Sealed `whsec_…`. */
    secret: p.text(),
    secretHint: p.text(),
    /** Sealed; signs beside `secret` until `previousSecretUntil`. */
    previousSecret: p.text().nullable(),
    previousSecretUntil: p.datetime().nullable(),
    disabledReason: p.text().nullable(),
    consecutiveFailures: p.integer(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
  indexes: [{ name: 'webhooks_endpoints_creator_idx', properties: ['creatorId'] }],
});
export type WebhookEndpoint = InstanceType<typeof WebhookEndpointEntity.class>;
