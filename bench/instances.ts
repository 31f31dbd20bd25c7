import { tipsPlugin } from '@streaming-companion/plugin-tips';
import { startTestKernel, type TestKernel } from '@streaming-companion/testing';
import { BenchClient } from './http-client.ts';
import { httpTarget, joinedOverlay, latencyToOverlays, liveSession, warmUp } from './tips.ts';
import { AS_DEPLOYED } from './as-deployed.ts';

export interface InstancesBenchOptions {
  sessions: number;
  overlaysPerSession: number;
  ratePerSecond: number;
  seconds: number;
}

interface Run {
  p50: number;
  p99: number;
  lost: number;
  doubled: number;
}

export interface InstancesBenchResult {
  ratePerSecond: number;
  /** One instance, in-memory socket adapter and in-process jobs. */
  one: Run;
  /** Two instances on Redis: tips posted to the first, overlays connected to the second. */
  two: Run;
  /** What crossing instances through Redis adds to the median. */
  addedP50: number;
}

/**
 * B5, scaling out: POST → `tip_received` when the overlays are connected to another instance
 * than the one recording the tip (the event crosses through Redis: BullMQ and the streams
 * adapter), against one instance keeping everything in memory, at the same rate over the
 * same number of sessions and overlays. Needs REDIS_URL.
 */
export async function benchInstances(options: InstancesBenchOptions): Promise<InstancesBenchResult | null> {
  if (!process.env.REDIS_URL) {
    console.log('B5 two instances: skipped (needs REDIS_URL)');
    return null;
  }
  const tips = Math.round(options.ratePerSecond * options.seconds);
  // '' rather than REDIS_URL: this one keeps its socket adapter and jobs in memory.
  const alone = await startTestKernel({ plugins: [tipsPlugin], redisUrl: '', env: AS_DEPLOYED });
  let one: Run;
  try {
    one = await run(alone, alone, options, tips);
  } finally {
    await alone.stop();
  }
  const first = await startTestKernel({ plugins: [tipsPlugin], env: AS_DEPLOYED });
  const second = await startTestKernel({ plugins: [tipsPlugin], shareWith: first, env: AS_DEPLOYED });
  let two: Run;
  try {
    two = await run(first, second, options, tips);
  } finally {
    await second.stop();
    await first.stop();
  }
  const result = { ratePerSecond: options.ratePerSecond, one, two, addedP50: two.p50 - one.p50 };
  const line = (r: Run) => `p50 ${r.p50.toFixed(1)} ms   p99 ${r.p99.toFixed(1)} ms   lost ${r.lost}   doubled ${r.doubled}`;
  console.log(`B5 two instances: ${tips} tips at ${options.ratePerSecond}/s over ${options.sessions} sessions × ${options.overlaysPerSession} overlays`);
  console.log(`  posted to A, overlays on B (Redis)   ${line(two)}`);
  console.log(`  one instance in memory               ${line(one)}`);
  console.log(`  added p50                            ${result.addedP50.toFixed(1)} ms`);
  return result;
}

async function run(recorder: TestKernel, watcher: TestKernel, options: InstancesBenchOptions, tips: number): Promise<Run> {
  const lives = await Promise.all(Array.from({ length: options.sessions }, () => liveSession(recorder)));
  const overlays = await Promise.all(lives.map((live) => Promise.all(Array.from({ length: options.overlaysPerSession }, () => joinedOverlay(watcher, live.sessionId)))));
  const client = new BenchClient(recorder.url);
  try {
    const target = httpTarget(client, () => recorder.drain());
    await warmUp(target, lives, overlays, options.ratePerSecond);
    const { p50, p99, lost, doubled } = await latencyToOverlays(target, lives, overlays, options.ratePerSecond, tips);
    return { p50, p99, lost, doubled };
  } finally {
    client.close();
  }
}
