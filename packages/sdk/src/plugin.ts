import { readFileSync } from 'node:fs';
import type { EntityManager } from '@mikro-orm/sql';
import type { z } from 'zod';
import type { Logger } from './context-types.ts';
import type { AnyEventContract } from './events.ts';
import type { HttpRegistrar } from './http.ts';
import type { JobRegistrar } from './jobs.ts';
import type { EventBus, PluginRealtime, SocketRegistrar } from './realtime.ts';
import { dependencyOwner, type Dependency, type ResolvedDeps, type ServiceRef } from './services.ts';

/** A plugin migration: plain SQL, run once, in order, inside a transaction. */
export interface PluginMigration {
  /** Stable and unique within the plugin, e.g. `0001_create_tips`. */
  name: string;
  up: string[];
}

/** `ctx.db`: entity managers and transactions for work outside a request, socket command or job (which come with their own). */
export interface Database {
  /** A fresh entity manager (a fork of the global one). */
  em(): EntityManager;
  /** Run `fn` in a transaction; what it publishes is delivered after commit. */
  transaction<T>(fn: (em: EntityManager) => Promise<T>): Promise<T>;
}

/** What `setup` gets: the plugin's config, and where it registers its routes, commands, subscribers, jobs and services. */
export interface PluginContext<C> {
  readonly pluginId: string;
  /** This plugin's config, parsed by its `config` schema at boot. */
  readonly config: C;
  readonly log: Logger;
  readonly http: HttpRegistrar;
  readonly socket: SocketRegistrar;
  readonly events: EventBus;
  readonly jobs: JobRegistrar;
  readonly realtime: PluginRealtime;
  readonly db: Database;
  /** Provide one of your service refs; plugins that name it in `deps` receive it. */
  provide<T>(ref: ServiceRef<T>, implementation: T): void;
  /** Called when the server stops, in reverse plugin order. */
  onStop(fn: () => Promise<void> | void): void;
}

/** Who the plugin is: written once, in its package.json (see `packageManifest`) or inline. */
export interface PluginManifest {
  /** Lowercase id; also the prefix of the plugin's tables and jobs. */
  id: string;
  version: string;
  /** Semver range of the kernel this plugin works with, e.g. `^0.1.0`. */
  engine: string;
  /** The npm package it ships in, when it is one. */
  packageName?: string;
}

export interface PluginDefinition<CS extends z.ZodType, D extends Record<string, Dependency>> extends PluginManifest {
  /** What the plugin needs from the kernel and other plugins; `setup` receives them typed. */
  deps?: D;
  /** Its settings (from `PLUGIN_CONFIG`), parsed at boot; `ctx.config` is typed from it. */
  config?: CS;
  /** The events it owns (`defineEvents(id, …)`). */
  events?: AnyEventContract;
  /** MikroORM entities (`defineEntity`) of its tables, each named `<id>_…`. */
  entities?: unknown[];
  /** Creates and alters its tables; the entities must match the result. */
  migrations?: PluginMigration[];
  /**
   * Wire the plugin on `ctx` (routes, socket commands, subscribers, jobs, services); `deps`
   * holds what `deps` names, resolved and typed. Called once at boot, after its dependencies'.
   */
  setup(ctx: PluginContext<z.output<CS>>, deps: ResolvedDeps<D>): Promise<void> | void;
}

/** A dependency of a plugin on another, derived from its `deps`. */
export interface PluginDependency {
  plugin: string;
  /** What is needed of it (a service id, or its events). */
  what: string;
  required: boolean;
}

/** A checked plugin, ready for the kernel. `Config` is its parsed config. */
export interface Plugin<Config = unknown> extends Readonly<PluginManifest> {
  readonly kind: 'streaming-companion-plugin';
  readonly dependencies: readonly PluginDependency[];
  readonly deps: Readonly<Record<string, Dependency>>;
  readonly config?: z.ZodType<Config>;
  readonly events?: AnyEventContract;
  readonly entities: readonly unknown[];
  readonly migrations: readonly PluginMigration[];
  /** The definition's `setup`, which the kernel calls once at boot. */
  setup(ctx: PluginContext<Config>, deps: Record<string, unknown>): Promise<void> | void;
}

const PLUGIN_ID = /^[a-z][a-z0-9-]{1,31}$/;

/**
 * Declare a plugin: its manifest, what it needs, what it owns, and `setup`, which wires its
 * routes, socket commands, subscribers and jobs. Checked here; the kernel checks the rest
 * (engine range, dependencies loaded, unique events and entities) at boot.
 */
export function definePlugin<CS extends z.ZodType = z.ZodObject<{}>, D extends Record<string, Dependency> = {}>(
  definition: PluginDefinition<CS, D>,
): Plugin<z.output<CS>> {
  const { id, deps = {} as D, events } = definition;
  if (!PLUGIN_ID.test(id)) throw new Error(`plugin id "${id}" must be 2-32 lowercase letters, digits or dashes, starting with a letter`);
  if (events && events.owner !== id) throw new Error(`plugin "${id}" declares events owned by "${events.owner}"; defineEvents('${id}', …) its own`);
  const dependencies = new Map<string, PluginDependency>();
  for (const [key, dependency] of Object.entries(deps)) {
    if (!dependency || !['service', 'optional', 'events'].includes((dependency as { kind?: string }).kind ?? '')) {
      throw new Error(`plugin "${id}": deps.${key} is not a service ref, optional(ref) or event contract`);
    }
    const owner = dependencyOwner(dependency);
    if (owner.plugin === 'core' || owner.plugin === id) continue;
    const known = dependencies.get(owner.plugin);
    dependencies.set(owner.plugin, known ? { ...known, required: known.required || owner.required } : owner);
  }
  return Object.freeze({
    kind: 'streaming-companion-plugin',
    id,
    version: definition.version,
    engine: definition.engine,
    packageName: definition.packageName,
    dependencies: [...dependencies.values()],
    deps: Object.freeze({ ...deps }),
    config: definition.config as z.ZodType<z.output<CS>> | undefined,
    events,
    entities: definition.entities ?? [],
    migrations: definition.migrations ?? [],
    setup: definition.setup as Plugin<z.output<CS>>['setup'],
  });
}

/** The parts of a plugin package's package.json that make its manifest. */
export interface PluginPackageJson {
  name: string;
  version: string;
  streamingCompanion?: { pluginId?: string; engine?: string };
}

/**
 * A packaged plugin's manifest, read from its package.json so it is written once:
 * `definePlugin({ ...packageManifest(new URL('../package.json', import.meta.url)), … })` with
 * `"streamingCompanion": { "pluginId": "tips", "engine": "^0.1.0" }` beside `name` and `version`.
 */
export function packageManifest(source: URL | PluginPackageJson): Required<PluginManifest> {
  const pkg: PluginPackageJson = source instanceof URL ? JSON.parse(readFileSync(source, 'utf8')) : source;
  const { pluginId, engine } = pkg.streamingCompanion ?? {};
  if (!pluginId || !engine) throw new Error(`${pkg.name}: package.json needs "streamingCompanion": { "pluginId", "engine" }`);
  return { id: pluginId, version: pkg.version, engine, packageName: pkg.name };
}

/** Whether a value was made by `definePlugin`: the server refuses to boot with anything else in its plugin list. */
export function isPlugin(value: unknown): value is Plugin {
  return (value as { kind?: unknown } | null)?.kind === 'streaming-companion-plugin';
}
