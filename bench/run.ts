import { benchAnalytics } from './analytics.ts';
import { benchTips } from './tips.ts';

/**
 * `npm run bench`: every benchmark, each printing its figures next to a baseline measured
 * in the same run. Needs PostgreSQL (DATABASE_URL, default the local server) for the raw
 * baselines; with REDIS_URL set the server side uses BullMQ and the Redis socket adapter.
 * `--quick` runs each on a tenth of the load, to check the benchmarks themselves still work.
 */
process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
const quick = process.argv.includes('--quick');

await benchTips(quick ? { tips: 200, concurrency: 8, ratePerSecond: 50, latencyTips: 100 } : { tips: 3000, concurrency: 16, ratePerSecond: 100, latencyTips: 1000 });
await benchAnalytics(quick ? { tips: 100_000, sessions: 80, neighbours: 2, runs: 10 } : { tips: 1_000_000, sessions: 800, neighbours: 9, runs: 30 });
