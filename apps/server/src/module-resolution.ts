/**
 * Loaded with `node --import` before the server: how the server's modules and its plugins'
 * imports are found.
 *
 * - The workspace's own packages run from their TypeScript source (the `source` export
 *   condition), every installed package from its build. A plain `--conditions=source` applied to
 *   every package, so an installed copy resolved to its src/, and Node refuses to strip types
 *   under node_modules (ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING). Workspace packages are
 *   linked and resolve to a real path outside node_modules, which tells the two apart.
 * - A plugin's peers — the SDK, MikroORM and zod — are the server's own, wherever the plugin
 *   lives: one loaded from a folder outside the server (`PLUGINS=/path/to/plugin`) has copies of
 *   them in its own node_modules, and two ORMs or two SDKs in one process do not know each
 *   other's entities, problems or schemas.
 */
import { registerHooks } from 'node:module';

const HOST_PEERS = /^(?:@streaming-companion\/sdk|@mikro-orm\/[^/]+|zod)(?:\/|$)/;

registerHooks({
  resolve(specifier, context, nextResolve) {
    const from = HOST_PEERS.test(specifier) ? { ...context, parentURL: import.meta.url } : context;
    try {
      const fromSource = nextResolve(specifier, { ...from, conditions: [...from.conditions, 'source'] });
      if (!fromSource.url.includes('/node_modules/')) return fromSource;
    } catch {
      // A published package ships no src/ for its `source` condition: its build is resolved below.
    }
    return nextResolve(specifier, from);
  },
});
