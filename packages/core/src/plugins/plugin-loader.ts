import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isPlugin, type Plugin } from '@streaming-companion/sdk';

export interface LoadedPlugins {
  plugins: Plugin[];
  /** One line per entry that could not be loaded, naming it and why. */
  problems: string[];
}

interface PackageJson {
  name?: string;
  streamingCompanion?: { pluginId?: string };
}

/**
 * Load the plugins named in `PLUGINS`: npm package names (resolved from `cwd`, as the server's
 * own dependencies would be) or paths to a package directory or a module file. A package that
 * says which plugin it ships (`streamingCompanion.pluginId`) must export that one; otherwise
 * the module must export exactly one plugin. Every failure is collected, none stops the rest.
 */
export async function loadPlugins(entries: readonly string[], cwd: string): Promise<LoadedPlugins> {
  const plugins: Plugin[] = [];
  const problems: string[] = [];
  for (const entry of entries) {
    const say = (reason: string) => problems.push(`PLUGINS entry "${entry}": ${reason}`);
    let located: { file: string; pkg: PackageJson | undefined };
    try {
      located = locate(entry, cwd);
    } catch (error) {
      say(`cannot be found (${firstLine(error)})`);
      continue;
    }
    let module: Record<string, unknown>;
    try {
      module = (await import(pathToFileURL(located.file).href)) as Record<string, unknown>;
    } catch (error) {
      say(`throws on import: ${firstLine(error)}`);
      continue;
    }
    const exported = [...new Set(Object.values(module).filter(isPlugin))];
    const wanted = located.pkg?.streamingCompanion?.pluginId;
    const plugin = wanted ? exported.find((p) => p.id === wanted) : exported.length === 1 ? exported[0] : undefined;
    if (plugin) plugins.push(plugin);
    else if (wanted) say(`exports no plugin with id "${wanted}" (its package.json's streamingCompanion.pluginId)`);
    else if (exported.length === 0) say('exports no plugin (made with definePlugin)');
    else say(`exports ${exported.length} plugins (${exported.map((p) => p.id).join(', ')}); name the one to load in its package.json's streamingCompanion.pluginId`);
  }
  return { plugins, problems };
}

/** The module file an entry names, and the package.json of the package it is in (if any). */
function locate(entry: string, cwd: string): { file: string; pkg: PackageJson | undefined } {
  const isPath = entry.startsWith('.') || isAbsolute(entry);
  if (!isPath) {
    const file = createRequire(join(cwd, 'noop.js')).resolve(entry);
    return { file, pkg: packageOf(file, entry) };
  }
  const path = resolve(cwd, entry);
  if (!existsSync(path)) throw new Error(`no such file or directory: ${path}`);
  if (!statSync(path).isDirectory()) return { file: path, pkg: undefined };
  const pkg = readPackageJson(join(path, 'package.json'));
  if (!pkg?.name) throw new Error(`${path} has no package.json with a name`);
  // A package resolving its own name goes through its `exports`, as an installed one would.
  return { file: createRequire(join(path, 'package.json')).resolve(pkg.name), pkg };
}

/** The nearest package.json above a resolved file that belongs to the named package. */
function packageOf(file: string, name: string): PackageJson | undefined {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const pkg = readPackageJson(join(dir, 'package.json'));
    if (pkg?.name === name) return pkg;
  }
  return undefined;
}

function readPackageJson(path: string): PackageJson | undefined {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as PackageJson) : undefined;
}

const firstLine = (error: unknown) => String((error as Error)?.message ?? error).split('\n')[0];
