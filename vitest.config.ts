import { configDefaults, defineConfig } from 'vitest/config';

/**
 * `SKIP_BROWSER_TESTS=1` leaves out the real-browser tests (`*-browser.test.ts`). CI runs them
 * once, in its PostgreSQL + Redis pass, and sets this for its second, embedded pass: what
 * they check is the pages, and the embedded database is covered by every other test there.
 */
const browserTests = process.env.SKIP_BROWSER_TESTS === '1' ? ['**/*-browser.test.ts'] : [];
/** `SKIP_PACKAGE_TESTS=1` leaves out the test that packs, installs and uses the published packages (minutes of builds; CI runs it once). */
const packageTests = process.env.SKIP_PACKAGE_TESTS === '1' ? ['**/published-packages.test.ts'] : [];

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    exclude: [...configDefaults.exclude, ...browserTests, ...packageTests],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    // expect.poll waits for a condition; its 1 s default is a timing bet on a loaded 2-core CI machine.
    expect: { poll: { timeout: 15_000, interval: 50 } },
    hookTimeout: 120_000,
  },
});
