import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { JobDefinition, JobRunner } from '../src/jobs/job-runner.ts';
import { InProcessJobRunner } from '../src/jobs/in-process-runner.ts';
import { BullMqJobRunner, bullMqQueueName } from '../src/jobs/bullmq-runner.ts';

type OnFailed = (name: string, jobId: string, error: Error, attempt: number) => void;
type RunnerFactory = (options: { onFailed?: OnFailed }) => JobRunner;

/** Handlers call notify(); tests await until(condition), so waits end on events, not on timers. */
function createSignal() {
  const waiters = new Set<{ check: () => boolean; resolve: () => void }>();
  return {
    notify(): void {
      for (const waiter of waiters) {
        if (waiter.check()) {
          waiters.delete(waiter);
          waiter.resolve();
        }
      }
    },
    until(check: () => boolean): Promise<void> {
      if (check()) return Promise.resolve();
      return new Promise((resolve) => waiters.add({ check, resolve }));
    },
  };
}

function job(name: string, handler: JobDefinition['handler'], overrides: Partial<JobDefinition> = {}): JobDefinition {
  return { name, handler, concurrency: 1, attempts: 1, backoff: { type: 'fixed', delayMs: 0 }, ...overrides };
}

/** Timers (setTimeout here, Redis-scheduled delays there) may fire a hair early. */
const TIMER_SLACK_MS = 2;

function runnerSuite(make: RunnerFactory, usedNames: string[]): void {
  const runners: JobRunner[] = [];
  let counter = 0;

  function createRunner(options: { onFailed?: OnFailed } = {}): JobRunner {
    const runner = make(options);
    runners.push(runner);
    return runner;
  }

  /** Fresh per test, so a schedule left in Redis by one test never feeds another. */
  function uniqueName(base: string): string {
    const name = `test.${base}.${++counter}`;
    usedNames.push(name);
    return name;
  }

  afterEach(async () => {
    await Promise.all(runners.splice(0).map((runner) => runner.stop()));
  });

  it('runs a job with its data and reports its id and attempt', async () => {
    const runner = createRunner();
    const name = uniqueName('basic');
    const calls: Array<{ data: unknown; jobId: string; attempt: number }> = [];
    runner.define(job(name, async (data, info) => void calls.push({ data, ...info })));
    await runner.start();

    await runner.enqueue(name, { n: 1, when: new Date(0) }, { jobId: 'order:42' });
    await runner.enqueue(name, undefined);
    await runner.drain();

    expect(calls).toHaveLength(2);
    // Data takes the same JSON round trip in both backends.
    expect(calls[0]).toEqual({ data: { n: 1, when: '1970-01-01T00:00:00.000Z' }, jobId: 'order:42', attempt: 1 });
    expect(calls[1]!.data).toEqual({});
    expect(calls[1]!.jobId).toMatch(/.+/);
  });

  it('rejects unknown jobs and late definitions', async () => {
    const runner = createRunner();
    await expect(runner.enqueue('test.nobody', {})).rejects.toThrow(/Unknown job/);
    await runner.start();
    expect(() => runner.define(job(uniqueName('late'), async () => {}))).toThrow(/after start/);
  });

  it('never runs more than `concurrency` jobs at once', async () => {
    const runner = createRunner();
    const name = uniqueName('concurrency');
    const total = 6;
    const concurrency = 2;
    const signal = createSignal();
    const holds: Array<PromiseWithResolvers<void>> = [];
    let running = 0;
    let maxRunning = 0;
    let finished = 0;
    runner.define(
      job(
        name,
        async () => {
          running++;
          maxRunning = Math.max(maxRunning, running);
          const hold = Promise.withResolvers<void>();
          holds.push(hold);
          signal.notify();
          await hold.promise;
          running--;
          finished++;
        },
        { concurrency },
      ),
    );
    for (let i = 0; i < total; i++) await runner.enqueue(name, { i });
    await runner.start();

    // Release the oldest job only once the runner has had the chance to fill every slot.
    for (let released = 0; released < total; released++) {
      await signal.until(() => holds.length > released && (running === concurrency || holds.length === total));
      holds[released]!.resolve();
    }
    await runner.drain();

    expect(finished).toBe(total);
    expect(maxRunning).toBe(concurrency);
  });

  it('retries with fixed backoff until the job succeeds', async () => {
    const failures: unknown[] = [];
    const runner = createRunner({ onFailed: (...args) => failures.push(args) });
    const name = uniqueName('retry-fixed');
    const tries: Array<{ attempt: number; at: number }> = [];
    runner.define(
      job(
        name,
        async (_data, { attempt }) => {
          tries.push({ attempt, at: Date.now() });
          if (attempt < 3) throw new Error(`try ${attempt}`);
        },
        { attempts: 4, backoff: { type: 'fixed', delayMs: 15 } },
      ),
    );
    await runner.start();
    await runner.enqueue(name, {});
    await runner.drain();

    expect(tries.map((t) => t.attempt)).toEqual([1, 2, 3]);
    expect(tries[1]!.at - tries[0]!.at).toBeGreaterThanOrEqual(15 - TIMER_SLACK_MS);
    expect(tries[2]!.at - tries[1]!.at).toBeGreaterThanOrEqual(15 - TIMER_SLACK_MS);
    expect(failures).toEqual([]);
  });

  it('retries with exponential backoff', async () => {
    const runner = createRunner();
    const name = uniqueName('retry-exponential');
    const tries: Array<{ attempt: number; at: number }> = [];
    runner.define(
      job(
        name,
        async (_data, { attempt }) => {
          tries.push({ attempt, at: Date.now() });
          // Not an Error: runners must cope with any thrown value.
          if (attempt < 3) throw `try ${attempt}`;
        },
        { attempts: 3, backoff: { type: 'exponential', delayMs: 20 } },
      ),
    );
    await runner.start();
    await runner.enqueue(name, {});
    await runner.drain();

    expect(tries.map((t) => t.attempt)).toEqual([1, 2, 3]);
    expect(tries[1]!.at - tries[0]!.at).toBeGreaterThanOrEqual(20 - TIMER_SLACK_MS);
    expect(tries[2]!.at - tries[1]!.at).toBeGreaterThanOrEqual(40 - TIMER_SLACK_MS);
  });

  it('gives up after `attempts`, reports it through onFailed and keeps going', async () => {
    const failed = Promise.withResolvers<{ name: string; jobId: string; error: Error; attempt: number }>();
    const runner = createRunner({ onFailed: (name, jobId, error, attempt) => failed.resolve({ name, jobId, error, attempt }) });
    const name = uniqueName('doomed');
    const attempts: number[] = [];
    runner.define(
      job(
        name,
        async (_data, { attempt }) => {
          attempts.push(attempt);
          throw new Error('boom');
        },
        { attempts: 2, backoff: { type: 'fixed', delayMs: 5 } },
      ),
    );
    await runner.start();
    await runner.enqueue(name, {}, { jobId: 'doomed:1' });

    const report = await failed.promise;
    expect(report.name).toBe(name);
    expect(report.jobId).toBe('doomed:1');
    expect(report.error).toBeInstanceOf(Error);
    expect(report.error.message).toBe('boom');
    expect(report.attempt).toBe(2);
    await runner.drain();
    expect(attempts).toEqual([1, 2]);
  });

  it('runs a jobId once: while waiting, while running and after completion', async () => {
    const runner = createRunner();
    const name = uniqueName('dedupe:colon');
    const signal = createSignal();
    const gate = Promise.withResolvers<void>();
    const runs: string[] = [];
    runner.define(
      job(name, async (_data, { jobId }) => {
        runs.push(jobId);
        signal.notify();
        if (jobId === 'same:1') await gate.promise;
      }),
    );
    await runner.enqueue(name, {}, { jobId: 'same:1' });
    await runner.enqueue(name, {}, { jobId: 'same:1' });
    await runner.start();
    await signal.until(() => runs.length === 1);
    await runner.enqueue(name, {}, { jobId: 'same:1' });
    gate.resolve();
    await runner.drain();
    await runner.enqueue(name, {}, { jobId: 'same:1' });
    // Integer-looking ids are legal too (BullMQ alone would reject them).
    await runner.enqueue(name, {}, { jobId: '42' });
    await runner.enqueue(name, {}, { jobId: '42' });
    await runner.drain();

    expect(runs).toEqual(['same:1', '42']);
  });

  it('accepts a failed jobId again', async () => {
    const failed = Promise.withResolvers<void>();
    const runner = createRunner({ onFailed: () => failed.resolve() });
    const name = uniqueName('refail');
    let runs = 0;
    runner.define(
      job(name, async () => {
        runs++;
        if (runs === 1) throw new Error('first time fails');
      }),
    );
    await runner.start();
    await runner.enqueue(name, {}, { jobId: 'again' });
    await failed.promise;
    await runner.drain();
    await runner.enqueue(name, {}, { jobId: 'again' });
    await runner.drain();
    expect(runs).toBe(2);
  });

  it('runs a delayed job after the delay, and drain waits for it', async () => {
    const runner = createRunner();
    const name = uniqueName('delayed');
    const ranAt: number[] = [];
    runner.define(job(name, async () => void ranAt.push(Date.now())));
    await runner.start();
    const enqueuedAt = Date.now();
    await runner.enqueue(name, {}, { delayMs: 60 });
    await runner.drain();

    expect(ranAt).toHaveLength(1);
    expect(ranAt[0]! - enqueuedAt).toBeGreaterThanOrEqual(60 - TIMER_SLACK_MS);
  });

  it('holds jobs enqueued before start() until start()', async () => {
    const runner = createRunner();
    const name = uniqueName('early');
    const runs: unknown[] = [];
    runner.define(job(name, async (data) => void runs.push(data), { concurrency: 3 }));
    await runner.enqueue(name, { i: 1 });
    await runner.enqueue(name, { i: 2 });
    await runner.enqueue(name, { i: 3 }, { delayMs: 10 });
    expect(runs).toEqual([]);
    await runner.start();
    await runner.drain();
    expect(runs).toHaveLength(3);
    expect(runs).toEqual(expect.arrayContaining([{ i: 1 }, { i: 2 }, { i: 3 }]));
  });

  it('drain waits for jobs enqueued by running jobs', async () => {
    const runner = createRunner();
    const first = uniqueName('chain-a');
    const second = uniqueName('chain-b');
    const order: string[] = [];
    runner.define(
      job(first, async (data) => {
        const { step } = data as { step: number };
        order.push(`a${step}`);
        if (step < 3) await runner.enqueue(first, { step: step + 1 });
        else await runner.enqueue(second, {}, { delayMs: 30 });
      }),
    );
    runner.define(job(second, async () => void order.push('b')));
    await runner.start();
    await runner.enqueue(first, { step: 1 });
    await runner.drain();
    expect(order).toEqual(['a1', 'a2', 'a3', 'b']);
  });

  it('repeats an everyMs schedule, the same key replacing it', async () => {
    const runner = createRunner();
    const name = uniqueName('every');
    const signal = createSignal();
    const runs: Array<{ data: unknown; jobId: string }> = [];
    runner.define(
      job(name, async (data, { jobId }) => {
        runs.push({ data, jobId });
        signal.notify();
      }),
    );
    await runner.schedule(name, 'tick:key', { everyMs: 40 }, { v: 1 });
    await runner.schedule(name, 'tick:key', { everyMs: 40 }, { v: 2 });
    await runner.start();
    await signal.until(() => runs.length >= 3);
    // Schedules do not count as pending work.
    await runner.drain();
    await runner.stop();

    expect(runs.every((run) => (run.data as { v: number }).v === 2)).toBe(true);
    expect(new Set(runs.map((run) => run.jobId)).size).toBe(runs.length);
    expect(runs[0]!.jobId).toMatch(/^repeat:tick:key:\d+$/);
  });

  it('runs a cron schedule', async () => {
    const runner = createRunner();
    const name = uniqueName('cron');
    const ran = Promise.withResolvers<unknown>();
    runner.define(job(name, async (data) => ran.resolve(data)));
    await runner.start();
    await runner.schedule(name, 'every-second', { cron: '* * * * * *' }, { c: true });
    expect(await ran.promise).toEqual({ c: true });
  });

  it('stop() waits for the running job', async () => {
    const runner = createRunner();
    const name = uniqueName('stop');
    const started = Promise.withResolvers<void>();
    const release = Promise.withResolvers<void>();
    const events: string[] = [];
    runner.define(
      job(name, async (data) => {
        if ((data as { followUp?: boolean }).followUp) return;
        started.resolve();
        await release.promise;
        // Still allowed while stopping (BullMQ keeps it for the next start; in-process drops it).
        await runner.enqueue(name, { followUp: true });
        events.push('job finished');
      }),
    );
    await runner.start();
    await runner.enqueue(name, {});
    await started.promise;
    const stopped = runner.stop().then(() => events.push('stopped'));
    events.push('stop called');
    release.resolve();
    await stopped;
    expect(events).toEqual(['stop called', 'job finished', 'stopped']);
    await expect(runner.enqueue(name, {})).rejects.toThrow(/stopped/);
  });
}

describe('InProcessJobRunner', { timeout: 15_000 }, () => {
  runnerSuite((options) => new InProcessJobRunner(options), []);
});

const redisUrl = process.env.REDIS_URL;

describe.skipIf(!redisUrl)('BullMqJobRunner', { timeout: 15_000 }, () => {
  // Unique per run, so parallel runs (or leftovers) on one Redis never meet.
  const prefix = `sc-test-${randomUUID().slice(0, 8)}`;
  const usedNames: string[] = [];

  runnerSuite((options) => new BullMqJobRunner({ connection: { url: redisUrl! }, prefix, ...options }), usedNames);

  it('runs a job again within seconds when the process running it was killed (kill -9), not after a half-minute lock', { timeout: 30_000 }, async () => {
    const name = `held.${randomUUID().slice(0, 8)}`;
    usedNames.push(name);
    const crashed = spawn(process.execPath, [fileURLToPath(new URL('./fixtures/hold-job.ts', import.meta.url)), redisUrl!, prefix, name], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      crashed.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('taken') && resolve());
      crashed.on('exit', (code) => reject(new Error(`the worker process exited (${code}) before taking the job`)));
    });
    const killed = new Promise((resolve) => crashed.once('exit', resolve));
    crashed.kill('SIGKILL');
    await killed;

    const taken = performance.now();
    const ran = Promise.withResolvers<{ jobId: string; attempt: number }>();
    const runner = new BullMqJobRunner({ connection: { url: redisUrl! }, prefix });
    runner.define({ name, handler: async (_data, info) => ran.resolve(info), concurrency: 1, attempts: 3, backoff: { type: 'fixed', delayMs: 10 } });
    await runner.start();
    try {
      expect(await ran.promise).toMatchObject({ jobId: 'held' });
      // BullMQ's defaults (a 30 s lock, checked every 30 s) took up to a minute; the bound leaves room for a slow machine.
      expect(performance.now() - taken).toBeLessThan(20_000);
    } finally {
      await runner.stop();
    }
  });

  afterAll(async () => {
    const redis = new Redis(redisUrl!, { maxRetriesPerRequest: null });
    try {
      for (const name of usedNames) {
        const queue = new Queue(bullMqQueueName(name), { connection: redis, prefix });
        await queue.obliterate({ force: true });
        await queue.close();
      }
      const leftovers = await redis.keys(`${prefix}:*`);
      expect(leftovers).toEqual([]);
    } finally {
      await redis.quit();
    }
  });
});
