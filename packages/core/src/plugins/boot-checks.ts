import type { Plugin } from '@streaming-companion/sdk';
import semver from 'semver';

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

/** Manifest checks: unique ids, engine range, declared dependencies present. */
export function checkManifests(plugins: Plugin[], kernelVersion: string): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const plugin of plugins) {
    if (plugin?.kind !== 'streaming-companion-plugin') {
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
  for (const plugin of plugins) {
    for (const dependency of plugin?.dependencies ?? []) {
      if (!seen.has(dependency)) problems.push(`plugin "${plugin.id}" depends on "${dependency}", which is not in the plugin list`);
    }
  }
  return problems;
}

/** Dependencies first, otherwise the listed order; a cycle is named in full. */
export function orderByDependencies(plugins: Plugin[]): { ordered: Plugin[]; problems: string[] } {
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
    for (const dependency of plugin.dependencies ?? []) {
      const next = byId.get(dependency);
      if (next) visit(next, [...path, plugin.id]);
    }
    state.set(plugin.id, 'done');
    ordered.push(plugin);
  };
  for (const plugin of plugins) visit(plugin, []);
  return { ordered, problems };
}

/** Validate every plugin's config, collecting all failures. */
export function validatePluginConfigs(plugins: Plugin[], raw: Record<string, unknown>): { configs: Map<string, unknown>; problems: string[] } {
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
