import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

/**
 * `npm run test:chaos`: the chaos suite (chaos/): servers killed mid-burst, Redis restarted under
 * load, overlays dropped, every route fuzzed. Apart from `npm test`: each test is bounded and
 * stops by itself, but together they take minutes and load the machine. (Spread rather than
 * mergeConfig, which would add `npm test`'s files to the include list.)
 */
export default defineConfig({ ...base, test: { ...base.test, include: ['chaos/**/*.test.ts'], maxWorkers: 1 } });
