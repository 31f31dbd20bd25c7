import { randomUUID } from 'node:crypto';
import { conflict, LockMode, notFound, Problem, type Clock, type DomainEvent, type EntityManager, type SessionsService } from '@streaming-companion/sdk';
import type { WebhooksConfig } from './config.ts';
import { WEBHOOK_TEST_EVENT, type DeliveryStatus, type WebhookBody, type WebhookDeliveryDto, type WebhookDeliveryPage } from './contract.ts';
import { WebhookDeliveryEntity, type WebhookDelivery } from './entities/delivery.ts';
import { WebhookEndpointEntity, type WebhookEndpoint } from './entities/endpoint.ts';
import type { WebhookEndpoints } from './webhook-endpoints.ts';

/**
 * Queue attempt number `attempt` of a delivery, in `delayMs`. Its job id is
 * `<deliveryId>:<attempt>`, so queuing it twice (the subscriber redelivered, the sweep) runs it once.
 */
export type QueueAttempt = (deliveryId: string, attempt: number, delayMs?: number) => Promise<void>;

export interface WebhookDeliveriesDependencies {
  endpoints: WebhookEndpoints;
  sessions: SessionsService;
  clock: Clock;
  queueAttempt: QueueAttempt;
  config: Pick<WebhooksConfig, 'keepDeliveriesDays'>;
}

/** The most deliveries one sweep queues again; the next sweep takes the rest. */
const SWEEP_BATCH = 1_000;

/** Whether an active endpoint of the creator takes events of this name: asked for every event offered (most creators have none), with the other plugins' conditions. */
export const endpointTakesEvent = {
  sql: 'exists (select 1 from webhooks_endpoints where creator_id = ? and active and events @> jsonb_build_array(?::text))',
  params: (event: DomainEvent) => [(event.payload as { creatorId: string }).creatorId, event.name],
};

/**
 * The delivery log: a row per event per endpoint, written when the event comes, then worked
 * through by `DeliveryAttempts`. Every attempt is queued only after the row it sends is committed.
 */
export class WebhookDeliveries {
  readonly #d: WebhookDeliveriesDependencies;

  constructor(dependencies: WebhookDeliveriesDependencies) {
    this.#d = dependencies;
  }

  /**
   * A domain event came: one delivery per active endpoint of its creator that picked it, then
   * their first attempts. A redelivered event adds no row (one per endpoint and event id), and
   * queues again only first attempts not yet made, which the job ids make no-ops if still queued.
   * A rehearsal's events are not sent: a receiver's real integrations would announce its tips.
   */
  async recordEvent(em: EntityManager, event: DomainEvent): Promise<void> {
    const { creatorId } = event.payload as { creatorId: string };
    const endpoints = (await em.find(WebhookEndpointEntity, { creatorId, active: true })).filter((endpoint) => (endpoint.events as string[]).includes(event.name));
    if (!endpoints.length || (await this.#ofRehearsal(em, event))) return;
    const body = webhookBody(event.name, event.id, event.occurredAt, event.payload);
    const now = this.#d.clock.now();
    await em
      .createQueryBuilder(WebhookDeliveryEntity)
      .insert(endpoints.map((endpoint) => newDelivery(endpoint, event.name, event.id, body, now)))
      .onConflict(['endpointId', 'eventId'])
      .ignore()
      .execute('run');
    const unsent = await em.find(WebhookDeliveryEntity, { eventId: event.id, endpointId: { $in: endpoints.map((e) => e.id) }, status: 'pending', attempts: 0 });
    for (const delivery of unsent) await this.#d.queueAttempt(delivery.id, 1);
  }

  /**
   * Whether the event happened in a rehearsal session. Every offered event names its session;
   * the session events say it themselves, the others are looked up (only once an endpoint wants them).
   */
  async #ofRehearsal(em: EntityManager, event: DomainEvent): Promise<boolean> {
    const { creatorId, sessionId, rehearsal } = event.payload as { creatorId: string; sessionId?: string; rehearsal?: boolean };
    if (rehearsal !== undefined || !sessionId) return rehearsal ?? false;
    const session = await this.#d.sessions.get(em, creatorId, sessionId).catch((error: unknown) => {
      if (error instanceof Problem && error.status === 404) return null;
      throw error;
    });
    // A session gone (with its creator's account) has nobody left to tell.
    return session?.rehearsal ?? true;
  }

  /** A `webhook.test` ping to one endpoint, through the same delivery path as any event. */
  async ping(em: EntityManager, creatorId: string, endpointId: string): Promise<WebhookDeliveryDto> {
    const endpoint = await this.#d.endpoints.require(em, creatorId, endpointId);
    if (!endpoint.active) throw conflict('endpoint_inactive', 'the endpoint is switched off: set it active to send to it');
    const now = this.#d.clock.now();
    const eventId = randomUUID();
    const body = webhookBody(WEBHOOK_TEST_EVENT, eventId, now.toISOString(), {
      creatorId,
      endpointId,
      message: 'A test delivery from Streaming Companion: your endpoint is reached and can verify the signature.',
    });
    const delivery = em.create(WebhookDeliveryEntity, newDelivery(endpoint, WEBHOOK_TEST_EVENT, eventId, body, now));
    await em.flush();
    await this.#d.queueAttempt(delivery.id, 1);
    return toDeliveryDto(delivery);
  }

  async list(em: EntityManager, creatorId: string, endpointId: string, query: { status?: DeliveryStatus; page: number; pageSize: number }): Promise<WebhookDeliveryPage> {
    await this.#d.endpoints.require(em, creatorId, endpointId);
    const { status, page, pageSize } = query;
    const [rows, total] = await em.findAndCount(
      WebhookDeliveryEntity,
      { endpointId, creatorId, ...(status ? { status } : {}) },
      { orderBy: { createdAt: 'desc', id: 'desc' }, limit: pageSize, offset: (page - 1) * pageSize },
    );
    return { items: rows.map(toDeliveryDto), total, page, pageSize };
  }

  /**
   * Send a delivery again, with the same event id and a new round of retries. One still pending
   * is answered as it is (a retried request queues nothing more).
   */
  async redeliver(em: EntityManager, creatorId: string, endpointId: string, deliveryId: string): Promise<WebhookDeliveryDto> {
    const { delivery, queued } = await em.transactional(async (tx) => {
      const endpoint = await this.#d.endpoints.require(tx, creatorId, endpointId);
      const delivery = await tx.findOne(WebhookDeliveryEntity, { id: deliveryId, endpointId, creatorId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!delivery) throw notFound('webhook delivery');
      if (delivery.status === 'pending') return { delivery, queued: false };
      if (!endpoint.active) throw conflict('endpoint_inactive', 'the endpoint is switched off: set it active to send to it');
      Object.assign(delivery, { status: 'pending', roundFirstAttempt: delivery.attempts + 1, nextAttemptAt: this.#d.clock.now(), deliveredAt: null });
      return { delivery, queued: true };
    });
    if (queued) await this.#d.queueAttempt(delivery.id, delivery.attempts + 1);
    return toDeliveryDto(delivery);
  }

  /**
   * Queue again every pending delivery that is due: its queued attempt was lost (no Redis and a
   * restart, or a process that died between a commit and its enqueue, or mid-attempt). And
   * prune the log: settled deliveries older than `keepDeliveriesDays` leave it.
   */
  async sweep(em: EntityManager): Promise<{ queued: number; pruned: number }> {
    const now = this.#d.clock.now();
    const due = await em.find(
      WebhookDeliveryEntity,
      { status: 'pending', nextAttemptAt: { $lte: now } },
      { orderBy: { nextAttemptAt: 'asc' }, limit: SWEEP_BATCH, fields: ['id', 'attempts'] },
    );
    for (const delivery of due) await this.#d.queueAttempt(delivery.id, delivery.attempts + 1);
    const keptSince = new Date(now.getTime() - this.#d.config.keepDeliveriesDays * 86_400_000);
    const pruned = await em.nativeDelete(WebhookDeliveryEntity, { createdAt: { $lt: keptSince }, status: { $ne: 'pending' } });
    return { queued: due.length, pruned };
  }
}

/** The exact JSON a delivery POSTs, written once and sent as is on every attempt. */
function webhookBody(type: string, id: string, timestamp: string, data: unknown): string {
  return JSON.stringify({ type, id, timestamp, data } satisfies WebhookBody);
}

function newDelivery(endpoint: WebhookEndpoint, eventType: string, eventId: string, body: string, now: Date) {
  return {
    id: randomUUID(),
    endpointId: endpoint.id,
    creatorId: endpoint.creatorId,
    eventType,
    eventId,
    body,
    status: 'pending' as const,
    attempts: 0,
    roundFirstAttempt: 1,
    lastResponseStatus: null,
    lastError: null,
    nextAttemptAt: now,
    deliveredAt: null,
    createdAt: now,
    updatedAt: now,
  };
}

export function toDeliveryDto(delivery: WebhookDelivery): WebhookDeliveryDto {
  return {
    id: delivery.id,
    endpointId: delivery.endpointId,
    eventType: delivery.eventType,
    eventId: delivery.eventId,
    status: delivery.status,
    attempts: delivery.attempts,
    lastResponseStatus: delivery.lastResponseStatus ?? null,
    lastError: delivery.lastError ?? null,
    nextAttemptAt: delivery.nextAttemptAt?.toISOString() ?? null,
    deliveredAt: delivery.deliveredAt?.toISOString() ?? null,
    createdAt: delivery.createdAt.toISOString(),
    updatedAt: delivery.updatedAt.toISOString(),
  };
}
