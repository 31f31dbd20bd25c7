import { coreServices, definePlugin, optional, packageManifest, type Plugin } from '@streaming-companion/sdk';
import { goalEvents } from '@streaming-companion/plugin-goals/contract';
import { menuEvents } from '@streaming-companion/plugin-menu/contract';
import { tipEvents } from '@streaming-companion/plugin-tips/contract';
import { WebhooksConfig } from './config.ts';
import { webhookEvents } from './contract.ts';
import { DeliveryAttempts } from './delivery-attempts.ts';
import { WebhookDeliveryEntity } from './entities/delivery.ts';
import { WebhookEndpointEntity } from './entities/endpoint.ts';
import { offeredEvents } from './event-catalogue.ts';
import { registerWebhookRoutes } from './http.ts';
import { defineDeliveryJobs } from './jobs.ts';
import { webhooksMigrations } from './migrations.ts';
import { systemResolver, TargetGuard, type ResolveHost } from './target-guard.ts';
import { endpointTakesEvent, WebhookDeliveries } from './webhook-deliveries.ts';
import { WebhookEndpoints } from './webhook-endpoints.ts';

export interface WebhooksPluginOptions {
  /** How endpoint hosts are looked up (the system resolver unless given): a test answers its own. */
  resolveHost?: ResolveHost;
}

const manifest = packageManifest(new URL('../package.json', import.meta.url));

/** The webhooks plugin, with its host lookup given (tests); `webhooksPlugin` is it with the system's. */
export function createWebhooksPlugin({ resolveHost = systemResolver }: WebhooksPluginOptions = {}): Plugin<WebhooksConfig> {
  return definePlugin({
    ...manifest,
    deps: {
      secrets: coreServices.secrets,
      clock: coreServices.clock,
      sessions: coreServices.sessions,
      // Each plugin's events are offered when it runs.
      tipEvents: optional(tipEvents),
      goalEvents: optional(goalEvents),
      menuEvents: optional(menuEvents),
    },
    config: WebhooksConfig,
    events: webhookEvents,
    entities: [WebhookEndpointEntity, WebhookDeliveryEntity],
    migrations: webhooksMigrations,
    async setup(ctx, { secrets, clock, sessions, tipEvents, goalEvents, menuEvents }) {
      const { config } = ctx;
      const offered = offeredEvents({ tips: tipEvents, goals: goalEvents, menu: menuEvents });
      const guard = new TargetGuard({ allowPrivateNetworks: config.allowPrivateNetworks, resolve: resolveHost, timeoutMs: config.timeoutMs });
      const endpoints = new WebhookEndpoints({ secrets, guard, clock, offered: new Set(offered.map((event) => event.type)), config });
      // The jobs' handlers only run once the kernel starts its workers, after setup has made what they call.
      const queueAttempt = await defineDeliveryJobs(
        ctx.jobs,
        {
          attempt: (job, deliveryId, number) => attempts.run(deliveryId, number, job.log),
          sweep: async (job) => job.log.debug(await deliveries.sweep(job.em), 'webhooks sweep'),
        },
        config,
      );
      const deliveries = new WebhookDeliveries({ endpoints, sessions, clock, queueAttempt, config });
      const attempts = new DeliveryAttempts({ db: ctx.db, endpoints, guard, realtime: ctx.realtime, clock, queueAttempt, version: manifest.version, config });
      registerWebhookRoutes(ctx.http, { endpoints, deliveries, eventTypes: offered.map(({ type, description }) => ({ type, description })), allowPrivateNetworks: config.allowPrivateNetworks });

      // Not `once`: the rows are written idempotently (one per endpoint and event id), and the
      // attempts must be queued after they are committed, which a `once` handler's transaction is not yet.
      for (const { ref } of offered) ctx.events.on(ref, (event, job) => deliveries.recordEvent(job.em, event), { when: endpointTakesEvent });
    },
  });
}

export const webhooksPlugin = createWebhooksPlugin();
