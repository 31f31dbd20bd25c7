import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig } from 'vite';

/** Where `npm run dev` expects the API server (the embedded one it starts). */
const apiTarget = process.env.DASHBOARD_API_URL ?? 'http://127.0.0.1:3130';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // The workspace packages' TypeScript sources, so the dashboard needs no prior SDK build.
  resolve: { conditions: ['source', ...defaultClientConditions] },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
  },
  // Bundled when the dev server starts, not discovered by the first page load (which would reload it).
  optimizeDeps: { include: ['lit', 'lit/directives/if-defined.js', 'lit/directives/repeat.js', 'lit/directives/keyed.js', 'socket.io-client', 'chart.js'] },
  server: {
    proxy: {
      '/api': apiTarget,
      '/overlay': apiTarget,
      '/socket.io': { target: apiTarget, ws: true },
    },
  },
});
