/** A mistake in what was asked for: the CLI prints the message and exits with 1. */
export class ScaffoldError extends Error {
  override name = 'ScaffoldError';
}

/** Every name the generated code needs, each derived once from the plugin id. */
export interface PluginNames {
  /** The npm package name. */
  packageName: string;
  /** `my-plugin`: the manifest, routes (`/api/my-plugin/…`) and domain event names. */
  id: string;
  /** `my_plugin`: tables and socket event names. */
  snake: string;
  /** `myPlugin`: exported values (`myPluginPlugin`, `myPluginEvents`). */
  camel: string;
  /** `MyPlugin`: types and entity names. */
  pascal: string;
}

// The SDK takes 2-32 lowercase letters, digits or dashes starting with a letter; single dashes
// between words also give every id a clean snake_case and camelCase form.
const PLUGIN_ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const PLUGIN_ID_RULE = '2-32 lowercase letters, digits and single dashes, starting with a letter';
/** Ids the kernel boots with: a plugin taking one stops the server. */
const RESERVED_IDS = new Set(['core', 'auth', 'sessions', 'events']);

// npm's rules for a new package: lowercase, URL-safe characters, an optional @scope/, at most 214 characters.
const PACKAGE_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;
const PACKAGE_NAME_RULE = 'lowercase letters, digits, "-", ".", "_" and "~" (after an optional @scope/), not starting with "." or "_", at most 214 characters';

/** Prefixes a package name carries to be found on npm, which the plugin id does without. */
const NAME_PREFIXES = ['streaming-companion-plugin-', 'streaming-companion-', 'plugin-'];

/** Why `id` cannot be a plugin id, or undefined when it can. */
export function pluginIdProblem(id: string): string | undefined {
  if (!PLUGIN_ID.test(id) || id.length < 2 || id.length > 32) return `must be ${PLUGIN_ID_RULE}`;
  if (RESERVED_IDS.has(id)) return 'is reserved for the kernel';
  return undefined;
}

/** Why `name` cannot be an npm package name, or undefined when it can. */
export function packageNameProblem(name: string): string | undefined {
  return PACKAGE_NAME.test(name) && name.length <= 214 ? undefined : `must be ${PACKAGE_NAME_RULE}`;
}

/** The names of a new plugin: `id` when given, otherwise taken from the package name (`@acme/plugin-shoutouts` → `shoutouts`). */
export function pluginNames(packageName: string, id?: string): PluginNames {
  const nameProblem = packageNameProblem(packageName);
  if (nameProblem) throw new ScaffoldError(`package name "${packageName}" ${nameProblem}; pass --name <npm name>`);
  let pluginId = id;
  if (pluginId === undefined) {
    const unscoped = packageName.replace(/^@[^/]+\//, '');
    const prefix = NAME_PREFIXES.find((p) => unscoped.startsWith(p) && unscoped.length > p.length);
    pluginId = prefix ? unscoped.slice(prefix.length) : unscoped;
    const derivedProblem = pluginIdProblem(pluginId);
    if (derivedProblem) throw new ScaffoldError(`plugin id "${pluginId}" (from the package name "${packageName}") ${derivedProblem}; pass --id <plugin-id>`);
  } else {
    const idProblem = pluginIdProblem(pluginId);
    if (idProblem) throw new ScaffoldError(`plugin id "${pluginId}" ${idProblem}`);
  }
  const words = pluginId.split('-');
  const capitalized = words.map((word) => word[0]!.toUpperCase() + word.slice(1));
  return { packageName, id: pluginId, snake: words.join('_'), camel: words[0] + capitalized.slice(1).join(''), pascal: capitalized.join('') };
}
