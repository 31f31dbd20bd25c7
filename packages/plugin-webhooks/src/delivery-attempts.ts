import { LockMode, type Clock, type Database, type EntityManager, type Logger, type Realtime } from '@streaming-companion/sdk';
import { signWebhook } from '@streaming-companion/sdk/webhooks';
import type { WebhooksConfig } from './config.ts';
import { WEBHOOK_TEST_EVENT, webhookEvents } from './contract.ts';
import { WebhookDeliveryEntity, type WebhookDelivery } from './entities/delivery.ts';
import { WebhookEndpointEntity } from './entities/endpoint.ts';
import { postWebhook, type PostOutcome } from './post-webhook.ts';
import { TargetRefused, type TargetGuard } from './target-guard.ts';
import { toDeliveryDto, type QueueAttempt } from './webhook-deliveries.ts';
import type { WebhookEndpoints } from './webhook-endpoints.ts';

export interface DeliveryAttemptsDependencies {
  db: Database;
  endpoints: WebhookEndpoints;
  guard: TargetGuard;
  realtime: Realtime;
  clock: Clock;
  queueAttempt: QueueAttempt;
  /** Sent as `user-agent: StreamingCompanion-Webhooks/<version>`. */
  version: string;
  config: Pick<WebhooksConfig, 'retryDelaysMs' | 'retryJitter' | 'timeoutMs' | 'disableAfterFailures'>;
}

/** What an attempt sends, read from the rows when it is claimed. */
interface AttemptPlan {
  url: string;
  secrets: string[];
  eventId: string;
  body: string;
}

/** How long past its timeouts (the lookup's and the request's) an attempt under way is given before the sweep takes it for lost (its process died). */
const LOST_ATTEMPT_GRACE_MS = 60_000;

/**
 * One attempt of one delivery (one job run): claim it (the delivery is still pending and this is
 * its next attempt number, which the claim takes), check the URL again and POST it signed, then
 * record the outcome and queue the next attempt after a back-off, or settle the delivery as
 * delivered or failed. A job run twice, or an attempt overtaken by a redelivery, sends nothing
 * more and records nothing.
 */
export class DeliveryAttempts {
  readonly #d: DeliveryAttemptsDependencies;

  constructor(dependencies: DeliveryAttemptsDependencies) {
    this.#d = dependencies;
  }

  async run(deliveryId: string, attempt: number, log: Logger): Promise<void> {
    const { db, queueAttempt } = this.#d;
    const plan = await db.transaction((tx) => this.#claim(tx, deliveryId, attempt));
    if (!plan) return;
    const outcome = await this.#send(plan);
    const retryInMs = await db.transaction((tx) => this.#settle(tx, deliveryId, attempt, outcome, log));
    if (retryInMs !== null) await queueAttempt(deliveryId, attempt + 1, retryInMs);
  }

  async #claim(tx: EntityManager, deliveryId: string, attempt: number): Promise<AttemptPlan | null> {
    const delivery = await tx.findOne(WebhookDeliveryEntity, { id: deliveryId }, { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['body'] });
    if (!delivery || delivery.status !== 'pending' || delivery.attempts !== attempt - 1) return null;
    const endpoint = await tx.findOne(WebhookEndpointEntity, { id: delivery.endpointId });
    if (!endpoint?.active) {
      await this.#giveUp(tx, delivery, 'not sent: the endpoint is switched off');
      return null;
    }
    let secrets: string[];
    try {
      secrets = this.#d.endpoints.signingSecrets(endpoint);
    } catch {
      // Sealed under another key (SECRETS_KEY changed) or tampered with: only a new secret helps.
      await this.#giveUp(tx, delivery, 'not sent: the signing secret can no longer be read (was SECRETS_KEY changed?); rotate it');
      return null;
    }
    Object.assign(delivery, { attempts: attempt, nextAttemptAt: new Date(this.#d.clock.now().getTime() + 2 * this.#d.config.timeoutMs + LOST_ATTEMPT_GRACE_MS) });
    return { url: endpoint.url, secrets, eventId: delivery.eventId, body: delivery.body! };
  }

  /** The POST, after the URL's host is checked again (DNS may point elsewhere by now). Never throws. */
  async #send({ url, secrets, eventId, body }: AttemptPlan): Promise<PostOutcome> {
    const { guard, clock, version, config } = this.#d;
    let target;
    try {
      target = await guard.check(url);
    } catch (error) {
      if (error instanceof TargetRefused) return { status: null, error: `not sent: the URL ${error.message}` };
      throw error;
    }
    const timestamp = Math.floor(clock.now().getTime() / 1_000);
    const headers = {
      'content-type': 'application/json',
      'user-agent': `StreamingCompanion-Webhooks/${version}`,
      'webhook-id': eventId,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': secrets.map((secret) => signWebhook({ secret, id: eventId, timestamp, body })).join(' '),
    };
    return postWebhook({ target, headers, body, timeoutMs: config.timeoutMs });
  }

  /** Record the outcome; answers the delay before the next attempt, or null when the delivery is settled (or the attempt was overtaken). */
  async #settle(tx: EntityManager, deliveryId: string, attempt: number, outcome: PostOutcome, log: Logger): Promise<number | null> {
    const delivery = await tx.findOne(WebhookDeliveryEntity, { id: deliveryId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!delivery || delivery.status !== 'pending' || delivery.attempts !== attempt) {
      log.debug({ deliveryId, attempt }, 'webhook attempt overtaken; its outcome is dropped');
      return null;
    }
    const now = this.#d.clock.now();
    Object.assign(delivery, { lastResponseStatus: outcome.status, lastError: outcome.error });
    const fields = { deliveryId, endpointId: delivery.endpointId, eventType: delivery.eventType, attempt, status: outcome.status };
    let retryInMs: number | null = null;
    if (!outcome.error) {
      Object.assign(delivery, { status: 'delivered', deliveredAt: now, nextAttemptAt: null });
      await this.#countFailure(tx, delivery, false);
      log.debug(fields, 'webhook delivered');
    } else if (attempt - delivery.roundFirstAttempt < this.#d.config.retryDelaysMs.length) {
      retryInMs = this.#retryDelay(attempt - delivery.roundFirstAttempt);
      delivery.nextAttemptAt = new Date(now.getTime() + retryInMs);
      log.info({ ...fields, error: outcome.error, retryInMs }, 'webhook attempt failed; retrying');
    } else {
      Object.assign(delivery, { status: 'failed', nextAttemptAt: null });
      await this.#countFailure(tx, delivery, true);
      log.warn({ ...fields, error: outcome.error }, 'webhook delivery failed for good');
    }
    await this.#announce(tx, delivery);
    return retryInMs;
  }

  /** The delivery fails without an attempt (the endpoint is off, its secret unreadable). */
  async #giveUp(tx: EntityManager, delivery: WebhookDelivery, reason: string): Promise<void> {
    Object.assign(delivery, { status: 'failed', lastResponseStatus: null, lastError: reason, nextAttemptAt: null });
    await this.#announce(tx, delivery);
  }

  /**
   * Count deliveries failed for good in a row on the endpoint (test pings aside: a creator tries
   * those while fixing the receiver), and switch it off at `disableAfterFailures`.
   */
  async #countFailure(tx: EntityManager, delivery: WebhookDelivery, failed: boolean): Promise<void> {
    if (delivery.eventType === WEBHOOK_TEST_EVENT) return;
    const endpoint = await tx.findOne(WebhookEndpointEntity, { id: delivery.endpointId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!endpoint) return;
    if (!failed) {
      endpoint.consecutiveFailures = 0;
      return;
    }
    endpoint.consecutiveFailures++;
    const { disableAfterFailures } = this.#d.config;
    if (disableAfterFailures > 0 && endpoint.active && endpoint.consecutiveFailures >= disableAfterFailures) {
      Object.assign(endpoint, { active: false, disabledReason: `switched off after ${endpoint.consecutiveFailures} failed deliveries in a row` });
    }
  }

  /** The creator's dashboard follows the log live (`webhook_delivery`, after commit). */
  async #announce(tx: EntityManager, delivery: WebhookDelivery): Promise<void> {
    await tx.flush();
    await this.#d.realtime.toCreator(delivery.creatorId).publish(tx, webhookEvents.socket.webhook_delivery, toDeliveryDto(delivery));
  }

  /** The configured wait before retry number `retry` (0-based), spread by the jitter. */
  #retryDelay(retry: number): number {
    const { retryDelaysMs, retryJitter } = this.#d.config;
    const spread = 1 + retryJitter * (2 * Math.random() - 1);
    return Math.max(1, Math.round(retryDelaysMs[retry]! * spread));
  }
}
