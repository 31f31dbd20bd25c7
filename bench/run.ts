import { benchTips } from './tips.ts';

/**
 * `npm run bench`: every benchmark, each printing its figures next to a baseline measured
 * in the same run. Needs PostgreSQL (DATABASE_URL, default the local server) for the raw
 * baseline; with REDIS_URL set the server side uses BullMQ and the Redis socket adapter.
 */
process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
const quick = process.argv.includes('--quick');

await benchTips(quick ? { tips: 200, concurrency: 8, ratePerSecond: 50, latencyTips: 100 } : { tips: 3000, concurrency: 16, ratePerSecond: 100, latencyTips: 1000 });
