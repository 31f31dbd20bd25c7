import { definePlugin, type JobRef, type JobRegistrar, type Plugin } from '@streaming-companion/sdk';
import { startTestKernel, type TestKernel } from '@streaming-companion/sdk/testing';
import { afterEach, expect, it } from 'vitest';
import { z } from 'zod';

/**
 * Graceful shutdown: `stop()` stops accepting at once, lets what is already running
 * (requests, jobs) finish, and only then closes the database and resolves.
 */

interface Deferred<T = void> {
  promise: Promise<T>;
  resolve: (value: T) => void;
}

function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** A route and a job that each block on a deferred the test releases; both touch the database after. */
function slowPlugin(gates: {
  requestArrived: Deferred;
  releaseRequest: Deferred;
  jobStarted: Deferred;
  releaseJob: Deferred;
  jobFinished: (row: number) => void;
  onSetup: (jobs: JobRegistrar, job: JobRef<{ n: number }>) => void;
}): Plugin {
  return definePlugin({
    id: 'slow',
    version: '0.0.0',
    engine: '^0.1.0',
    setup(ctx) {
      ctx.http.get('/api/slow', { auth: 'public', response: z.object({ answer: z.int() }) }, async (req) => {
        gates.requestArrived.resolve();
        await gates.releaseRequest.promise;
        // Still has its database: stop() has not closed it under the request.
        const rows = await req.em.getConnection().execute<Array<{ answer: number }>>('select 42 as answer');
        return { answer: Number(rows[0]!.answer) };
      });
      const job = ctx.jobs.define('block', z.object({ n: z.int() }), async (data, jobCtx) => {
        gates.jobStarted.resolve();
        await gates.releaseJob.promise;
        const rows = await jobCtx.em.getConnection().execute<Array<{ n: number }>>('select ?::int as n', [data.n]);
        gates.jobFinished(Number(rows[0]!.n));
      });
      gates.onSetup(ctx.jobs, job);
    },
  });
}

function setup() {
  const gates = {
    requestArrived: deferred(),
    releaseRequest: deferred(),
    jobStarted: deferred(),
    releaseJob: deferred(),
    finishedRows: [] as number[],
    jobs: undefined as JobRegistrar | undefined,
    job: undefined as JobRef<{ n: number }> | undefined,
  };
  const plugin = slowPlugin({
    ...gates,
    jobFinished: (row) => gates.finishedRows.push(row),
    onSetup: (jobs, job) => {
      gates.jobs = jobs;
      gates.job = job;
    },
  });
  return { gates, plugin };
}

let t: TestKernel | undefined;
afterEach(async () => {
  await t?.stop(); // idempotent: a no-op when the test stopped it already
  t = undefined;
});

it('finishes an in-flight request before stop() resolves, and refuses new connections meanwhile', async () => {
  const { gates, plugin } = setup();
  t = await startTestKernel({ plugins: [plugin] });
  const base = t.url;
  const order: string[] = [];

  const inFlight = fetch(`${base}/api/slow`).then(async (response) => {
    order.push('response');
    return { status: response.status, body: await response.json() };
  });
  await gates.requestArrived.promise;

  const stopping = t.stop().then(() => order.push('stopped'));

  // The listener is closed as soon as stop() begins: a new connection is refused.
  const refused = await fetch(`${base}/api/health`).then(
    (response) => ({ refused: false as const, status: response.status }),
    (error: Error & { cause?: { code?: string } }) => ({ refused: true as const, code: error.cause?.code }),
  );
  expect(refused).toEqual({ refused: true, code: 'ECONNREFUSED' });
  // That round trip gave stop() every chance to run ahead; it is still waiting on the request.
  expect(order).toEqual([]);

  gates.releaseRequest.resolve();
  expect(await inFlight).toEqual({ status: 200, body: { answer: 42 } });
  await stopping;
  expect(order).toEqual(['response', 'stopped']);
});

it('lets a job that is running when stop() begins finish before stop() resolves', async () => {
  const { gates, plugin } = setup();
  t = await startTestKernel({ plugins: [plugin] });
  const order: string[] = [];

  await gates.jobs!.enqueue(gates.job!, { n: 7 });
  await gates.jobStarted.promise;

  const stopping = t.stop().then(() => order.push('stopped'));
  // Requests are refused by now, but the job keeps running.
  await expect(fetch(`${t.url}/api/health`)).rejects.toThrow();
  expect(order).toEqual([]);
  expect(gates.finishedRows).toEqual([]);

  gates.releaseJob.resolve();
  await stopping;
  // The job ran to the end, database included, before the kernel reported stopped.
  expect(gates.finishedRows).toEqual([7]);
  expect(order).toEqual(['stopped']);
});
