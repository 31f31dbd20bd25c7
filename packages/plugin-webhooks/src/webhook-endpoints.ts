import { conflict, LockMode, notFound, Problem, type Clock, type EntityManager, type SecretsService } from '@streaming-companion/sdk';
import { createWebhookSecret } from '@streaming-companion/sdk/webhooks';
import type { WebhooksConfig } from './config.ts';
import type { WebhookEndpointDto, WebhookEndpointWithSecret, WebhookEventType } from './contract.ts';
import { WebhookDeliveryEntity } from './entities/delivery.ts';
import { WebhookEndpointEntity, type WebhookEndpoint } from './entities/endpoint.ts';
import { TargetRefused, type TargetGuard } from './target-guard.ts';

/** How long a rotated-out secret keeps signing beside the new one, for the receiver to switch over. */
const PREVIOUS_SECRET_KEPT_MS = 24 * 3_600_000;

export interface EndpointInput {
  url: string;
  events: WebhookEventType[];
  description?: string | null;
}

export interface EndpointPatch {
  url?: string;
  events?: WebhookEventType[];
  active?: boolean;
  description?: string | null;
}

export interface WebhookEndpointsDependencies {
  secrets: SecretsService;
  guard: TargetGuard;
  clock: Clock;
  /** The event types this server offers (the others' plugins are not loaded). */
  offered: ReadonlySet<WebhookEventType>;
  config: Pick<WebhooksConfig, 'maxEndpointsPerCreator'>;
}

/** A creator's endpoints: made, changed and removed only by their creator; the secret is shown once and kept sealed. */
export class WebhookEndpoints {
  readonly #d: WebhookEndpointsDependencies;

  constructor(dependencies: WebhookEndpointsDependencies) {
    this.#d = dependencies;
  }

  async list(em: EntityManager, creatorId: string): Promise<WebhookEndpointDto[]> {
    const rows = await em.find(WebhookEndpointEntity, { creatorId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
    return rows.map(toEndpointDto);
  }

  async get(em: EntityManager, creatorId: string, id: string): Promise<WebhookEndpointDto> {
    return toEndpointDto(await this.require(em, creatorId, id));
  }

  /** The creator's endpoint, or a 404 as for an id of no one's. */
  async require(em: EntityManager, creatorId: string, id: string, lock = false): Promise<WebhookEndpoint> {
    const endpoint = await em.findOne(WebhookEndpointEntity, { id, creatorId }, lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {});
    if (!endpoint) throw notFound('webhook endpoint');
    return endpoint;
  }

  async create(em: EntityManager, creatorId: string, input: EndpointInput): Promise<WebhookEndpointWithSecret> {
    this.#requireOffered(input.events);
    await this.#requireReachable(input.url);
    const { maxEndpointsPerCreator } = this.#d.config;
    const secret = createWebhookSecret();
    const endpoint = await em.transactional(async (tx) => {
      // One creator's creations go one at a time, so two cannot pass the count together.
      await tx.execute(`select pg_advisory_xact_lock(hashtext(?))`, [`webhooks:${creatorId}`]);
      const count = await tx.count(WebhookEndpointEntity, { creatorId });
      if (count >= maxEndpointsPerCreator) {
        throw conflict('endpoint_limit', `you have ${count} webhook endpoints, the most kept: delete one first`, { limit: maxEndpointsPerCreator });
      }
      return tx.create(WebhookEndpointEntity, {
        creatorId,
        url: input.url,
        description: blankToNull(input.description),
        events: input.events,
        active: true,
        secret: this.#d.secrets.seal(secret),
        secretHint: secretHint(secret),
        previousSecret: null,
        previousSecretUntil: null,
        disabledReason: null,
        consecutiveFailures: 0,
      });
    });
    return { ...toEndpointDto(endpoint), secret };
  }

  async update(em: EntityManager, creatorId: string, id: string, patch: EndpointPatch): Promise<WebhookEndpointDto> {
    if (patch.events) this.#requireOffered(patch.events);
    if (patch.url !== undefined) await this.#requireReachable(patch.url);
    const endpoint = await em.transactional(async (tx) => {
      const endpoint = await this.require(tx, creatorId, id, true);
      if (patch.url !== undefined) endpoint.url = patch.url;
      if (patch.events) endpoint.events = patch.events;
      if (patch.description !== undefined) endpoint.description = blankToNull(patch.description);
      if (patch.active !== undefined) {
        // Switched on again by hand: what switched it off is forgiven.
        if (patch.active && !endpoint.active) Object.assign(endpoint, { disabledReason: null, consecutiveFailures: 0 });
        endpoint.active = patch.active;
      }
      return endpoint;
    });
    return toEndpointDto(endpoint);
  }

  /** The endpoint and its delivery log; its queued attempts then find nothing to send. */
  async remove(em: EntityManager, creatorId: string, id: string): Promise<void> {
    await em.transactional(async (tx) => {
      const endpoint = await this.require(tx, creatorId, id, true);
      await tx.nativeDelete(WebhookDeliveryEntity, { endpointId: endpoint.id });
      tx.remove(endpoint);
    });
  }

  /** A new secret, shown this once; the one it replaces keeps signing beside it for a day. */
  async rotateSecret(em: EntityManager, creatorId: string, id: string): Promise<WebhookEndpointWithSecret> {
    const secret = createWebhookSecret();
    const endpoint = await em.transactional(async (tx) => {
      const endpoint = await this.require(tx, creatorId, id, true);
      Object.assign(endpoint, {
        previousSecret: endpoint.secret,
        previousSecretUntil: new Date(this.#d.clock.now().getTime() + PREVIOUS_SECRET_KEPT_MS),
        secret: this.#d.secrets.seal(secret),
        secretHint: secretHint(secret),
      });
      return endpoint;
    });
    return { ...toEndpointDto(endpoint), secret };
  }

  /** The secrets a delivery is signed with now: the current one, and the one rotated out while it is kept. Throws when one cannot be opened. */
  signingSecrets(endpoint: WebhookEndpoint): string[] {
    const { secrets, clock } = this.#d;
    const keepPrevious = endpoint.previousSecret && endpoint.previousSecretUntil && endpoint.previousSecretUntil > clock.now();
    return [secrets.open(endpoint.secret), ...(keepPrevious ? [secrets.open(endpoint.previousSecret!)] : [])];
  }

  #requireOffered(events: WebhookEventType[]): void {
    const at = events.findIndex((type) => !this.#d.offered.has(type));
    if (at >= 0) {
      const message = `${events[at]} is not offered by this server (its plugin is not running)`;
      throw new Problem(422, 'validation_failed', message, { errors: [{ field: `body.events.${at}`, rule: 'not_offered', message }] });
    }
  }

  async #requireReachable(url: string): Promise<void> {
    try {
      await this.#d.guard.check(url);
    } catch (error) {
      if (!(error instanceof TargetRefused)) throw error;
      throw new Problem(422, 'validation_failed', `url: ${error.message}`, { errors: [{ field: 'body.url', rule: 'unreachable', message: error.message }] });
    }
  }
}

export function toEndpointDto(endpoint: WebhookEndpoint): WebhookEndpointDto {
  return {
    id: endpoint.id,
    url: endpoint.url,
    description: endpoint.description ?? null,
    events: endpoint.events,
    active: endpoint.active,
    secretHint: endpoint.secretHint,
    disabledReason: endpoint.disabledReason ?? null,
    consecutiveFailures: endpoint.consecutiveFailures,
    createdAt: endpoint.createdAt.toISOString(),
    updatedAt: endpoint.updatedAt.toISOString(),
  };
}

/** What the creator may see of a secret: its kind and last four characters. */
const secretHint = (secret: string) => `whsec_…${secret.slice(-4)}`;
const blankToNull = (text: string | null | undefined) => (text?.trim() ? text.trim() : null);
