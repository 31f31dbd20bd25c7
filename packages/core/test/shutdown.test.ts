import { definePlugin, type JobRef, type JobRegistrar, type Plugin } from '@streaming-companion/sdk';
import { startTestKernel, type TestKernel } from '@streaming-companion/testing';
import { afterEach, expect, it } from 'vitest';
import { z } from 'zod';

/**
 * Graceful shutdown: `stop()` stops accepting at once, lets what is already running
 * (requests, jobs) finish, and only then closes the database and resolves.
 */

/** Each test boots its own kernel (it stops it), and PGlite's first boot is slow on a busy machine. */
const TEST_TIMEOUT_MS = 180_000;

/**
 * A route and a job that each block on a deferred the test releases, then use the
 * database (which stop() closes last) and note on the server side that they finished.
 */
function setup() {
  const order: string[] = [];
  const gates = {
    requestArrived: Promise.withResolvers<void>(),
    releaseRequest: Promise.withResolvers<void>(),
    jobStarted: Promise.withResolvers<void>(),
    releaseJob: Promise.withResolvers<void>(),
  };
  let registrar: { jobs: JobRegistrar; job: JobRef<{ n: number }> } | undefined;
  const plugin: Plugin = definePlugin({
    id: 'slow',
    version: '0.0.0',
    engine: '^0.1.0',
    setup(ctx) {
      ctx.http.get('/api/slow', { auth: 'public', response: z.object({ answer: z.int() }) }, async (req) => {
        gates.requestArrived.resolve();
        await gates.releaseRequest.promise;
        const rows = await req.em.getConnection().execute<Array<{ answer: number }>>('select 42 as answer');
        order.push('request handled');
        return { answer: Number(rows[0]!.answer) };
      });
      const job = ctx.jobs.define('block', z.object({ n: z.int() }), async (data, jobCtx) => {
        gates.jobStarted.resolve();
        await gates.releaseJob.promise;
        const rows = await jobCtx.em.getConnection().execute<Array<{ n: number }>>('select ?::int as n', [data.n]);
        order.push(`job finished with ${rows[0]!.n}`);
      });
      registrar = { jobs: ctx.jobs, job };
    },
  });
  const enqueue = (n: number) => registrar!.jobs.enqueue(registrar!.job, { n });
  return { gates, plugin, order, enqueue };
}

let t: TestKernel | undefined;
afterEach(async () => {
  await t?.stop(); // a no-op for the kernel when the test stopped it already
  t = undefined;
});

it(
  'finishes an in-flight request before stop() resolves, and refuses new connections meanwhile',
  async () => {
    const { gates, plugin, order } = setup();
    t = await startTestKernel({ plugins: [plugin] });
    const base = t.url;

    const inFlight = fetch(`${base}/api/slow`).then(async (response) => ({
      status: response.status,
      connection: response.headers.get('connection'),
      body: await response.json(),
    }));
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
    // Served in full, database included, and told the client to drop the keep-alive
    // connection so that it cannot hold stop() open.
    expect(await inFlight).toEqual({ status: 200, connection: 'close', body: { answer: 42 } });
    await stopping;
    expect(order).toEqual(['request handled', 'stopped']);
  },
  TEST_TIMEOUT_MS,
);

it(
  'lets a job that is running when stop() begins finish before stop() resolves',
  async () => {
    const { gates, plugin, order, enqueue } = setup();
    t = await startTestKernel({ plugins: [plugin] });

    await enqueue(7);
    await gates.jobStarted.promise;

    const stopping = t.stop().then(() => order.push('stopped'));
    // Requests are refused by now, but the job keeps running.
    await expect(fetch(`${t.url}/api/health`)).rejects.toThrow('fetch failed');
    expect(order).toEqual([]);

    gates.releaseJob.resolve();
    await stopping;
    // The job ran to the end, database included, before the kernel reported stopped.
    expect(order).toEqual(['job finished with 7', 'stopped']);
  },
  TEST_TIMEOUT_MS,
);
