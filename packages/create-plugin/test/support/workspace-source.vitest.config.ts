import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { mergeConfig, type ViteUserConfig } from 'vitest/config';

/**
 * Runs a generated plugin's own tests (`vitest run --root <plugin> --config <this file>`) inside
 * this workspace, where `@streaming-companion/*` are TypeScript source with no `dist/` built:
 * the plugin's own config, plus the `source` condition the workspace resolves them with.
 */
const pluginDir = process.env.SCAFFOLDED_PLUGIN_DIR;
if (!pluginDir) throw new Error('SCAFFOLDED_PLUGIN_DIR names the generated plugin');
const { default: own } = (await import(pathToFileURL(join(pluginDir, 'vitest.config.ts')).href)) as { default: ViteUserConfig };

export default mergeConfig(own, {
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
});
