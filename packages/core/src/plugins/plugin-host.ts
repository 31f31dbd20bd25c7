import type { EntityManager } from '@mikro-orm/sql';
import type { DomainEvent, EventSubscriberOptions, JobRef, Plugin, PluginContext, RealtimeTarget, ServiceRef } from '@streaming-companion/sdk';
import { asValue, type AwilixContainer } from 'awilix';
import type { z } from 'zod';
import type { KernelCradle } from '../container.ts';
import type { BroadcastTarget } from '../entities/outbox-event.ts';

const DEFAULT_BACKOFF = { type: 'exponential' as const, delayMs: 1_000 };

interface PluginScope {
  plugin: Plugin;
  /** Holds what the plugin provides, under its refs' ids. */
  container: AwilixContainer;
  stopHooks: Array<() => Promise<void> | void>;
}

/**
 * Sets each plugin up with its context (the kernel's transports, tagged with the plugin's id)
 * and its resolved `deps`. Each plugin gets an awilix scope that holds what it provides; a
 * dependent resolves a service from its provider's scope, the kernel's from the root.
 */
export class PluginHost {
  readonly #root: AwilixContainer<KernelCradle>;
  readonly #c: KernelCradle;
  readonly #scopes = new Map<string, PluginScope>();

  constructor(root: AwilixContainer<KernelCradle>, cradle: KernelCradle) {
    this.#root = root;
    this.#c = cradle;
  }

  async setup(plugin: Plugin, config: unknown): Promise<void> {
    const scope: PluginScope = { plugin, container: this.#root.createScope(), stopHooks: [] };
    this.#scopes.set(plugin.id, scope);
    const deps = Object.fromEntries(Object.entries(plugin.deps).map(([key, dependency]) => [key, this.#resolve(plugin, dependency)]));
    await plugin.setup(this.#context(scope, config), deps);
    this.#c.log.debug({ plugin: plugin.id }, 'plugin set up');
  }

  /** Stop hooks in reverse plugin order (each plugin's in reverse too); one failing does not skip the rest. */
  async stop(): Promise<void> {
    for (const scope of [...this.#scopes.values()].reverse()) {
      for (const hook of [...scope.stopHooks].reverse()) {
        try {
          await hook();
        } catch (error) {
          this.#c.log.error({ err: error, plugin: scope.plugin.id }, 'plugin stop hook failed');
        }
      }
      await scope.container.dispose();
    }
    this.#scopes.clear();
  }

  #resolve(plugin: Plugin, dependency: Plugin['deps'][string]): unknown {
    switch (dependency.kind) {
      case 'events':
        return dependency;
      case 'service':
        return this.#service(plugin, dependency);
      case 'optional': {
        const { ref } = dependency;
        if (ref.kind === 'events') return this.#scopes.has(ref.owner) ? ref : undefined;
        return ref.providedBy === 'core' || this.#scopes.has(ref.providedBy) ? this.#service(plugin, ref) : undefined;
      }
    }
  }

  #service(plugin: Plugin, ref: ServiceRef<unknown>): unknown {
    const container = ref.providedBy === 'core' ? this.#root : this.#scopes.get(ref.providedBy)?.container;
    if (!container?.hasRegistration(ref.id)) throw new Error(`plugin "${plugin.id}" needs ${ref.id}, but "${ref.providedBy}" did not provide it`);
    return container.resolve(ref.id);
  }

  #context(scope: PluginScope, config: unknown): PluginContext<unknown> {
    const { plugin } = scope;
    const c = this.#c;
    const schemas = new Map<string, z.ZodType>();
    const heard = new Set(['core', plugin.id, ...plugin.dependencies.map((d) => d.plugin)]);
    const target = (where: BroadcastTarget): RealtimeTarget => ({
      publish: (em, ref, payload) => c.publisher.broadcast(plugin.id, em, where, ref, payload),
      emit: (ref, payload) => c.publisher.emit(plugin.id, where, ref, payload),
    });
    const schemaOf = (job: JobRef<unknown>) => {
      const schema = schemas.get(job.name);
      if (!schema) throw new Error(`plugin "${plugin.id}" enqueues job "${job.name}", which it did not define`);
      return schema;
    };
    return {
      pluginId: plugin.id,
      config,
      log: c.log.child({ plugin: plugin.id }),
      http: c.routes.registrar(plugin.id),
      socket: {
        on: (command, handler) => {
          if (command.owner !== plugin.id) throw new Error(`plugin "${plugin.id}" cannot handle "${command.name}": it is a command of "${command.owner}"`);
          c.realtime.on({ owner: plugin.id, command, handler });
        },
      },
      events: {
        on: (ref, handler, options) => {
          if (!heard.has(ref.owner)) throw new Error(`plugin "${plugin.id}" subscribes to "${ref.name}" of "${ref.owner}" without naming "${ref.owner}" in its deps`);
          c.subscribers.subscribe(plugin.id, ref.name, handler as (event: DomainEvent) => Promise<void>, options as EventSubscriberOptions | undefined);
        },
        publish: (em, ref, payload) => c.publisher.publish(plugin.id, em, ref, payload),
      },
      jobs: {
        define: (name, schema, handler, options = {}) => {
          const fullName = `${plugin.id}.${name}`;
          schemas.set(fullName, schema);
          c.jobs.define({
            name: fullName,
            handler: c.wrapJob(fullName, (data, job) => handler(schema.parse(data), job)),
            concurrency: options.concurrency ?? 1,
            attempts: options.attempts ?? 3,
            backoff: options.backoff ?? DEFAULT_BACKOFF,
          });
          return { name: fullName } as JobRef<never>;
        },
        enqueue: async (job, data, options) => {
          schemaOf(job).parse(data);
          await c.jobs.enqueue(job.name, data, options);
        },
        schedule: async (job, key, spec, data) => {
          schemaOf(job).parse(data);
          await c.jobs.schedule(job.name, `${plugin.id}.${key}`, spec, data);
        },
      },
      realtime: {
        toSession: (sessionId) => target({ sessionId }),
        toCreator: (creatorId, options) => target({ creatorId, ...(options?.alsoSession ? { sessionId: options.alsoSession } : {}) }),
        onOverlayJoin: (hook) => c.overlayJoins.add(plugin.id, hook),
        onOverlayConnect: (hook) => c.overlayJoins.addConnect(plugin.id, hook),
      },
      db: {
        em: c.forkEm,
        transaction: (fn) => c.forkEm().transactional((em) => fn(em as unknown as EntityManager)),
      },
      provide: (ref, implementation) => {
        if (ref.providedBy !== plugin.id) throw new Error(`plugin "${plugin.id}" cannot provide ${ref.id}: the ref says it is provided by "${ref.providedBy}"`);
        scope.container.register(ref.id, asValue(implementation));
      },
      onStop: (fn) => {
        scope.stopHooks.push(fn);
      },
    };
  }
}
