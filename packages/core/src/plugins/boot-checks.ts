import { EntitySchema } from '@mikro-orm/core';
import { isPlugin, type Plugin } from '@streaming-companion/sdk';
import semver from 'semver';
import * as coreEntities from '../entities/index.ts';
import { EventRegistry } from '../events/event-registry.ts';

/** Every reason the server will not boot, listed together so an operator fixes them in one go. */
export class BootError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`cannot boot:\n  - ${problems.join('\n  - ')}`);
    this.name = 'BootError';
    this.problems = problems;
  }
}

const RESERVED_IDS = new Set(['core', 'auth', 'sessions', 'events']);

/**
 * Manifest checks, before any I/O: unique ids, engine range, required dependencies loaded,
 * events defined once, entities named and tabled as their own.
 */
export function checkManifests(plugins: readonly Plugin[], kernelVersion: string): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const plugin of plugins) {
    if (!isPlugin(plugin)) {
      problems.push(`a plugin in the list was not made with definePlugin()`);
      continue;
    }
    if (RESERVED_IDS.has(plugin.id)) problems.push(`plugin "${plugin.id}": the id is reserved for the kernel`);
    if (seen.has(plugin.id)) problems.push(`plugin "${plugin.id}" is listed twice`);
    seen.add(plugin.id);
    if (!semver.validRange(plugin.engine)) problems.push(`plugin "${plugin.id}": engine "${plugin.engine}" is not a semver range`);
    else if (!semver.satisfies(kernelVersion, plugin.engine, { includePrerelease: true })) {
      problems.push(`plugin "${plugin.id}" needs kernel ${plugin.engine}, this is ${kernelVersion}`);
    }
  }
  const valid = plugins.filter(isPlugin);
  for (const plugin of valid) {
    for (const dependency of plugin.dependencies) {
      if (dependency.required && !seen.has(dependency.plugin)) {
        problems.push(`plugin "${plugin.id}" needs ${dependency.what} from "${dependency.plugin}", which is not loaded`);
      }
    }
  }
  problems.push(...EventRegistry.problems(valid), ...entityProblems(valid));
  return problems;
}

/** A plugin's tables start with its id; entity names are global in the ORM, so two owners of one name are refused. */
function entityProblems(plugins: readonly Plugin[]): string[] {
  const problems: string[] = [];
  const owners = new Map<string, string>(Object.values(coreEntities).map((entity) => [entity.meta.className, 'core']));
  for (const plugin of plugins) {
    for (const entity of plugin.entities) {
      if (!EntitySchema.is(entity)) {
        problems.push(`plugin "${plugin.id}": an entity is not a MikroORM entity schema (defineEntity)`);
        continue;
      }
      const { className, tableName } = entity.meta;
      if (!tableName?.startsWith(`${plugin.id.replaceAll('-', '_')}_`)) {
        problems.push(`plugin "${plugin.id}": entity ${className} maps table "${tableName}", which must start with "${plugin.id.replaceAll('-', '_')}_"`);
      }
      const owner = owners.get(className);
      if (owner) problems.push(`entity name "${className}" is used by both "${owner}" and "${plugin.id}"`);
      else owners.set(className, plugin.id);
    }
  }
  return problems;
}

/** Dependencies first, otherwise the listed order; a cycle is named in full. Absent optional dependencies are ignored. */
export function orderByDependencies(plugins: readonly Plugin[]): { ordered: Plugin[]; problems: string[] } {
  const byId = new Map(plugins.map((p) => [p.id, p]));
  const ordered: Plugin[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const problems: string[] = [];
  const visit = (plugin: Plugin, path: string[]) => {
    const mark = state.get(plugin.id);
    if (mark === 'done') return;
    if (mark === 'visiting') {
      const cycle = [...path.slice(path.indexOf(plugin.id)), plugin.id];
      problems.push(`plugin dependency cycle: ${cycle.join(' -> ')}`);
      return;
    }
    state.set(plugin.id, 'visiting');
    for (const dependency of plugin.dependencies) {
      const next = byId.get(dependency.plugin);
      if (next) visit(next, [...path, plugin.id]);
    }
    state.set(plugin.id, 'done');
    ordered.push(plugin);
  };
  for (const plugin of plugins) visit(plugin, []);
  return { ordered, problems };
}

/** Validate every plugin's config, collecting all failures. */
export function validatePluginConfigs(plugins: readonly Plugin[], raw: Record<string, unknown>): { configs: Map<string, unknown>; problems: string[] } {
  const configs = new Map<string, unknown>();
  const problems: string[] = [];
  const known = new Set(plugins.map((p) => p.id));
  for (const id of Object.keys(raw)) {
    if (!known.has(id)) problems.push(`config is given for "${id}", which is not in the plugin list`);
  }
  for (const plugin of plugins) {
    if (!plugin.config) {
      configs.set(plugin.id, {});
      continue;
    }
    const parsed = plugin.config.safeParse(raw[plugin.id] ?? {});
    if (parsed.success) configs.set(plugin.id, parsed.data);
    else {
      for (const issue of parsed.error.issues) {
        problems.push(`plugin "${plugin.id}" config ${issue.path.join('.') || '(root)'}: ${issue.message}`);
      }
    }
  }
  return { configs, problems };
}
