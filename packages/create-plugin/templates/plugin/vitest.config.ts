import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Each test file boots a real kernel on a real database: more than Vitest's 10 s default on a slow machine.
    hookTimeout: 120_000,
    testTimeout: 60_000,
  },
});
