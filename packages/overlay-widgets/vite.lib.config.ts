import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig } from 'vite';

/** The npm library: `dist/lib/index.js`, with lit and socket.io-client left to the consumer's bundler. */
export default defineConfig({
  // The SDK's TypeScript sources (only its zod-free `wire` part is imported), so no prior SDK build is needed.
  resolve: { conditions: ['source', ...defaultClientConditions] },
  build: {
    outDir: fileURLToPath(new URL('./dist/lib', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    minify: false,
    lib: {
      entry: fileURLToPath(new URL('./src/index.ts', import.meta.url)),
      formats: ['es'],
      fileName: 'index',
    },
    rolldownOptions: {
      external: [/^lit($|\/)/, /^@lit\//, /^socket\.io-client($|\/)/],
    },
  },
});
