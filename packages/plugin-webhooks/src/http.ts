import type { HttpRegistrar } from '@streaming-companion/sdk';
import { z } from 'zod';
import {
  CreateWebhookEndpoint,
  DeliveryQuery,
  UpdateWebhookEndpoint,
  WebhookDeliveryDto,
  WebhookDeliveryPage,
  WebhookEndpointDto,
  WebhookEndpointWithSecret,
  WebhookEventTypeDto,
} from './contract.ts';
import type { WebhookDeliveries } from './webhook-deliveries.ts';
import type { WebhookEndpoints } from './webhook-endpoints.ts';

const tags = ['webhooks'];
const EndpointList = z.object({ items: z.array(WebhookEndpointDto) }).meta({ id: 'WebhookEndpointList' });
const EventTypeList = z.object({ items: z.array(WebhookEventTypeDto) }).meta({ id: 'WebhookEventTypeList' });
const EndpointParams = z.object({ id: z.uuid() });
const DeliveryParams = z.object({ id: z.uuid(), deliveryId: z.uuid() });
/** Sends a creator may ask for by hand (test pings, redeliveries) per minute from one address. */
const SENDS_PER_MINUTE = 30;

export interface WebhookRouteDependencies {
  endpoints: WebhookEndpoints;
  deliveries: WebhookDeliveries;
  eventTypes: WebhookEventTypeDto[];
  allowPrivateNetworks: boolean;
}

/** `/api/webhooks`: thin adapters over the endpoints and the delivery log. A secret is answered only when made. */
export function registerWebhookRoutes(http: HttpRegistrar, { endpoints, deliveries, eventTypes, allowPrivateNetworks }: WebhookRouteDependencies): void {
  const urlRule = allowPrivateNetworks
    ? 'This server allows plain http and private addresses (for local testing).'
    : 'It must be https, and its host must not be or resolve to a loopback, private, link-local or reserved address: otherwise a 422 naming `url`, with why.';

  http.get('/api/webhooks/event-types', { auth: 'creator', tags, summary: 'The event types you may send to your endpoints', response: EventTypeList }, () => ({ items: eventTypes }));
  http.get('/api/webhooks', { auth: 'creator', tags, summary: 'Your webhook endpoints, oldest first', response: EndpointList }, async (req) => ({
    items: await endpoints.list(req.em, req.creator.id),
  }));
  http.post(
    '/api/webhooks',
    {
      auth: 'creator',
      tags,
      summary: 'Add a webhook endpoint: answers its signing secret, this once',
      description: `Each event picked is POSTed to \`url\`, signed (Standard Webhooks headers). ${urlRule} An event type the server does not offer is a 422 naming it. Past your limit of endpoints, a 409 \`endpoint_limit\`.`,
      body: CreateWebhookEndpoint,
      status: 201,
      response: WebhookEndpointWithSecret,
    },
    (req) => endpoints.create(req.em, req.creator.id, req.body),
  );
  http.get('/api/webhooks/:id', { auth: 'creator', tags, summary: 'One of your webhook endpoints', params: EndpointParams, response: WebhookEndpointDto }, (req) =>
    endpoints.get(req.em, req.creator.id, req.params.id),
  );
  http.patch(
    '/api/webhooks/:id',
    {
      auth: 'creator',
      tags,
      summary: 'Change an endpoint: its URL, events, description, or switch it on or off',
      description: `${urlRule} Switching it on again clears \`disabledReason\`.`,
      params: EndpointParams,
      body: UpdateWebhookEndpoint,
      response: WebhookEndpointDto,
    },
    (req) => endpoints.update(req.em, req.creator.id, req.params.id, req.body),
  );
  http.delete('/api/webhooks/:id', { auth: 'creator', tags, summary: 'Delete an endpoint and its delivery log', params: EndpointParams, status: 204 }, (req) =>
    endpoints.remove(req.em, req.creator.id, req.params.id),
  );
  http.post(
    '/api/webhooks/:id/rotate-secret',
    {
      auth: 'creator',
      tags,
      summary: 'A new signing secret, answered this once',
      description: 'For a day the old secret signs too (a second `v1,` signature), so the receiver can switch without losing deliveries.',
      params: EndpointParams,
      response: WebhookEndpointWithSecret,
    },
    (req) => endpoints.rotateSecret(req.em, req.creator.id, req.params.id),
  );
  http.post(
    '/api/webhooks/:id/test',
    {
      auth: 'creator',
      tags,
      summary: 'Send a `webhook.test` ping to an endpoint',
      description: 'Through the usual delivery: signed, retried, logged. Answers the delivery, pending. A switched-off endpoint is a 409 `endpoint_inactive`.',
      params: EndpointParams,
      status: 202,
      response: WebhookDeliveryDto,
      rateLimit: { requests: SENDS_PER_MINUTE, windowSeconds: 60 },
    },
    (req) => deliveries.ping(req.em, req.creator.id, req.params.id),
  );
  http.get(
    '/api/webhooks/:id/deliveries',
    { auth: 'creator', tags, summary: "An endpoint's delivery log, newest first", params: EndpointParams, query: DeliveryQuery, response: WebhookDeliveryPage },
    (req) => deliveries.list(req.em, req.creator.id, req.params.id, req.query),
  );
  http.post(
    '/api/webhooks/:id/deliveries/:deliveryId/redeliver',
    {
      auth: 'creator',
      tags,
      summary: 'Send a delivery again',
      description: 'Same event id and body, a new round of retries. One still pending is answered as it is.',
      params: DeliveryParams,
      status: 202,
      response: WebhookDeliveryDto,
      rateLimit: { requests: SENDS_PER_MINUTE, windowSeconds: 60 },
    },
    (req) => deliveries.redeliver(req.em, req.creator.id, req.params.id, req.params.deliveryId),
  );
}
