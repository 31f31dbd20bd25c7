import { defineEvents } from '@streaming-companion/sdk/contracts';
import { z } from 'zod';

/**
 * Signed webhooks: a creator registers endpoints (URLs) for chosen domain events; each event is
 * POSTed to them as JSON, signed the Standard Webhooks way (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature`), retried with backoff, and listed in a delivery log.
 */

/** The domain events a creator may pick, when the plugin that owns each is loaded (`GET /api/webhooks/event-types`). */
export const WEBHOOK_EVENT_TYPES = [
  'streaming.tip.received',
  'streaming.tip.voided',
  'streaming.goal.completed',
  'streaming.menu_item.purchased',
  'streaming.session.started',
  'streaming.session.ended',
  'streaming.session.viewers',
  'streaming.chat.message',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The type of the ping `POST /api/webhooks/:id/test` sends; never picked, always allowed. */
export const WEBHOOK_TEST_EVENT = 'webhook.test';

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** The most endpoints one creator may keep (the server's `maxEndpointsPerCreator` may be lower). */
export const MAX_ENDPOINTS_PER_CREATOR = 50;

/** An event type the server offers, with what it means. */
export const WebhookEventTypeDto = z.object({ type: z.enum(WEBHOOK_EVENT_TYPES), description: z.string() }).meta({ id: 'WebhookEventType' });
export type WebhookEventTypeDto = z.output<typeof WebhookEventTypeDto>;

/** An endpoint as its creator sees it: the signing secret only by its last characters. */
export const WebhookEndpointDto = z
  .object({
    id: z.uuid(),
    url: z.string(),
    description: z.string().nullable(),
    events: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
    /** Inactive endpoints get nothing (not even test pings). */
    active: z.boolean(),
    /** `whsec_…` and the secret's last 4 characters, to tell secrets apart. */
    secretHint: z.string(),
    /** Why the server switched it off (too many failed deliveries in a row); null otherwise. Setting `active` again clears it. */
    disabledReason: z.string().nullable(),
    /** Deliveries that failed for good in a row (a delivered one resets it). */
    consecutiveFailures: z.int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'WebhookEndpoint' });
export type WebhookEndpointDto = z.output<typeof WebhookEndpointDto>;

/** What creating an endpoint or rotating its secret answers: the signing secret, shown this once. */
export const WebhookEndpointWithSecret = WebhookEndpointDto.extend({
  /** `whsec_<base64>`: give it to the receiver (e.g. `verifyWebhook` from `@streaming-companion/sdk/webhooks`). Never shown again. */
  secret: z.string(),
}).meta({ id: 'WebhookEndpointWithSecret' });
export type WebhookEndpointWithSecret = z.output<typeof WebhookEndpointWithSecret>;

/** An endpoint's URL as sent; whether its host may be reached is checked by the server (a 422 naming `url`). */
export const WebhookUrl = z
  .string()
  .trim()
  .min(1)
  .max(2_000)
  .refine((value) => URL.canParse(value), 'must be a URL like https://example.com/hooks')
  .meta({ format: 'uri', description: 'Where deliveries are POSTed: https (plain http only when the server allows private networks)' });

const EventTypes = z
  .array(z.enum(WEBHOOK_EVENT_TYPES))
  .min(1, 'pick at least one event')
  .max(WEBHOOK_EVENT_TYPES.length)
  .refine((list) => new Set(list).size === list.length, 'lists an event twice');
const Description = z.string().trim().max(200);

/** `POST /api/webhooks`. */
export const CreateWebhookEndpoint = z.object({ url: WebhookUrl, events: EventTypes, description: Description.nullable().optional() }).strict().meta({ id: 'CreateWebhookEndpoint' });
export type WebhookEndpointInput = z.input<typeof CreateWebhookEndpoint>;

/** `PATCH /api/webhooks/:id`: any of these; `description` null (or blank) clears it. */
export const UpdateWebhookEndpoint = z
  .object({ url: WebhookUrl.optional(), events: EventTypes.optional(), active: z.boolean().optional(), description: Description.nullable().optional() })
  .strict()
  .meta({ id: 'UpdateWebhookEndpoint' });
export type WebhookEndpointPatch = z.input<typeof UpdateWebhookEndpoint>;

/** One event on its way to one endpoint, and how its attempts went. */
export const WebhookDeliveryDto = z
  .object({
    id: z.uuid(),
    endpointId: z.uuid(),
    /** One of the event types, or `webhook.test`. */
    eventType: z.string(),
    /** The body's `id` and the `webhook-id` header: the domain event's id, the same on every attempt and redelivery. */
    eventId: z.uuid(),
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.int(),
    /** The HTTP status the last attempt was answered with; null when it got no answer (or none yet). */
    lastResponseStatus: z.int().nullable(),
    /** Why the last attempt failed, in short; null after a success. */
    lastError: z.string().nullable(),
    /** When it is tried next while `pending` (an attempt under way: the latest it is given up and tried again); null once settled. */
    nextAttemptAt: z.iso.datetime().nullable(),
    deliveredAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'WebhookDelivery' });
export type WebhookDeliveryDto = z.output<typeof WebhookDeliveryDto>;

export const WebhookDeliveryPage = z
  .object({ items: z.array(WebhookDeliveryDto), total: z.int(), page: z.int(), pageSize: z.int() })
  .meta({ id: 'WebhookDeliveryPage' });
export type WebhookDeliveryPage = z.output<typeof WebhookDeliveryPage>;

/** `GET /api/webhooks/:id/deliveries`, newest first. */
export const DeliveryQuery = z.object({
  status: z.enum(DELIVERY_STATUSES).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
});
export interface DeliveryQuery {
  status?: DeliveryStatus;
  /** 1-based. */
  page?: number;
  /** 1-100, 25 unless given. */
  pageSize?: number;
}

/** The JSON body every delivery POSTs. */
export interface WebhookBody<T = unknown> {
  /** The event type, e.g. `streaming.tip.received` (or `webhook.test`). */
  type: string;
  /** The domain event's id: stable across retries and redeliveries, so a receiver can drop duplicates. */
  id: string;
  /** When the event happened (ISO 8601). */
  timestamp: string;
  /** The event's payload, as the plugin that owns it defines it. */
  data: T;
}

/** The webhooks plugin's socket event: a delivery's attempt settled, to every socket of its creator (the dashboard's log follows it). */
export const webhookEvents = defineEvents('webhooks', {
  socket: { webhook_delivery: WebhookDeliveryDto },
});
