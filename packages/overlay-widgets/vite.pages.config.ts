import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig } from 'vite';

export const PAGES = ['alerts', 'goal', 'events', 'leaderboard', 'highlights', 'animations', 'menu', 'all'] as const;

const pagesDir = fileURLToPath(new URL('./pages', import.meta.url));

/**
 * The overlay pages the server serves: `dist/pages/<name>.html` at `/overlay/<name>` and
 * `dist/pages/assets/*` at `/overlay/assets/*`. The manifest lets the size report add up
 * each page's JavaScript.
 */
export default defineConfig({
  // The SDK's TypeScript sources (only its zod-free `wire` part is imported), so no prior SDK build is needed.
  resolve: { conditions: ['source', ...defaultClientConditions] },
  root: pagesDir,
  base: '/overlay/',
  build: {
    outDir: fileURLToPath(new URL('./dist/pages', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    manifest: true,
    modulePreload: { polyfill: false },
    rolldownOptions: {
      input: Object.fromEntries(PAGES.map((name) => [name, `${pagesDir}/${name}.html`])),
      output: {
        // What every page loads (lit, socket.io, the formatting helpers) in one chunk: each file is
        // gzipped on its own, and a dozen small ones cost the all page about a kilobyte.
        codeSplitting: {
          groups: [{ name: 'page', test: /node_modules|[\\/]src[\\/](format|tiers|media|session-scope)\.ts/ }],
        },
      },
    },
  },
});
