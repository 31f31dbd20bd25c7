import type { EntityManager } from '@mikro-orm/sql';
import {
  coreServiceRefs,
  type JobContext,
  type JobRef,
  type Plugin,
  type PluginContext,
  type ServiceRef,
} from '@streaming-companion/sdk';
import { asValue, createContainer, type AwilixContainer } from 'awilix';
import type { z } from 'zod';
import type { DomainEventBus } from '../events/domain-event-bus.ts';
import type { RouteRegistry } from '../http/route-registry.ts';
import type { JobRunner } from '../jobs/job-runner.ts';
import type { PinoLogger } from '../logger.ts';
import type { RealtimeServer } from '../realtime/realtime-server.ts';
import { CoreSessionsAdapter } from '../sessions/core-sessions-adapter.ts';
import type { SessionService } from '../sessions/session-service.ts';

export interface PluginHostOptions {
  log: PinoLogger;
  registry: RouteRegistry;
  realtime: RealtimeServer;
  bus: DomainEventBus;
  jobs: JobRunner;
  forkEm: () => EntityManager;
  wrapJob: (name: string, handler: (data: unknown, ctx: JobContext) => Promise<void> | void) => (data: unknown, info: { jobId: string; attempt: number }) => Promise<void>;
  core: { sessions: SessionService };
}

const DEFAULT_BACKOFF = { type: 'exponential' as const, delayMs: 1_000 };

/**
 * Gives each plugin its context: the kernel's transports and services, scoped and
 * tagged with the plugin's id. Services travel through one awilix container; a plugin
 * may use only what the kernel or one of its declared dependencies provides.
 */
export class PluginHost {
  readonly #o: PluginHostOptions;
  readonly #container: AwilixContainer = createContainer({ strict: true });
  readonly #stopHooks: Array<{ plugin: string; fn: () => Promise<void> | void }> = [];

  constructor(options: PluginHostOptions) {
    this.#o = options;
    this.#container.register(coreServiceRefs.sessions.id, asValue(new CoreSessionsAdapter(options.core.sessions)));
  }

  async setup(plugin: Plugin, config: unknown): Promise<void> {
    const { log, registry, realtime, bus, jobs, forkEm, wrapJob } = this.#o;
    const scope = this.#container.createScope();
    const pluginLog = log.child({ plugin: plugin.id });
    const schemas = new Map<string, z.ZodType>();
    const allowedProviders = new Set(['core', ...(plugin.dependencies ?? [])]);
    const ctx: PluginContext<unknown> = {
      pluginId: plugin.id,
      config,
      log: pluginLog,
      http: registry.registrar(plugin.id),
      socket: {
        on: (event, schema, handler) => realtime.on({ owner: plugin.id, event, schema, handler }),
      },
      events: {
        on: (name, handler, options) => bus.subscribe(plugin.id, name, handler as never, options),
        publish: (em, name, payload) => bus.publish(em, name, payload),
      },
      jobs: {
        define: (name, schema, handler, options = {}) => {
          const fullName = `${plugin.id}.${name}`;
          schemas.set(fullName, schema);
          jobs.define({
            name: fullName,
            handler: wrapJob(fullName, (data, jobCtx) => handler(schema.parse(data), jobCtx)),
            concurrency: options.concurrency ?? 1,
            attempts: options.attempts ?? 3,
            backoff: options.backoff ?? DEFAULT_BACKOFF,
          });
          return { name: fullName } as JobRef<never>;
        },
        enqueue: async (job, data, options) => {
          schemaFor(schemas, plugin.id, job.name).parse(data);
          await jobs.enqueue(job.name, data, options);
        },
        schedule: async (job, key, spec, data) => {
          schemaFor(schemas, plugin.id, job.name).parse(data);
          await jobs.schedule(job.name, `${plugin.id}.${key}`, spec, data);
        },
      },
      realtime: {
        toSession: (id) => realtime.toSession(id),
        toCreator: (id) => realtime.toCreator(id),
        onOverlayJoin: (hook) => realtime.onOverlayJoin(plugin.id, hook),
      },
      db: {
        em: forkEm,
        transaction: (fn) => forkEm().transactional((em) => fn(em as unknown as EntityManager)),
      },
      provide: (ref, implementation) => {
        if (ref.providedBy !== plugin.id) throw new Error(`plugin "${plugin.id}" cannot provide ${ref.id}: the ref says it is provided by "${ref.providedBy}"`);
        this.#container.register(ref.id, asValue(implementation));
      },
      use: <T>(ref: ServiceRef<T>): T => {
        if (!allowedProviders.has(ref.providedBy)) {
          throw new Error(`plugin "${plugin.id}" uses ${ref.id} from "${ref.providedBy}" without declaring it in dependencies`);
        }
        if (!scope.hasRegistration(ref.id)) throw new Error(`plugin "${plugin.id}" uses ${ref.id}, but "${ref.providedBy}" did not provide it`);
        return scope.resolve<T>(ref.id);
      },
      onStop: (fn) => {
        this.#stopHooks.push({ plugin: plugin.id, fn });
      },
    };
    await plugin.setup(ctx as PluginContext<never>);
    pluginLog.debug('plugin set up');
  }

  /** Stop hooks in reverse plugin order; one failing does not skip the rest. */
  async stop(): Promise<void> {
    for (const hook of [...this.#stopHooks].reverse()) {
      try {
        await hook.fn();
      } catch (error) {
        this.#o.log.error({ err: error, plugin: hook.plugin }, 'plugin stop hook failed');
      }
    }
    await this.#container.dispose();
  }
}

function schemaFor(schemas: Map<string, z.ZodType>, pluginId: string, name: string): z.ZodType {
  const schema = schemas.get(name);
  if (!schema) throw new Error(`plugin "${pluginId}" enqueues job "${name}", which it did not define`);
  return schema;
}
