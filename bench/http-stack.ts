import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestKernel } from '@streaming-companion/testing';
import { BenchClient } from './http-client.ts';
import { percentile, runConcurrently } from './measure.ts';
import { AS_DEPLOYED } from './as-deployed.ts';

export interface HttpStackBenchOptions {
  requests: number;
  concurrency: number;
}

export interface HttpStackBenchResult {
  serverPerSecond: number;
  rawPerSecond: number;
  ratio: number;
  serverP50: number;
  rawP50: number;
}

/**
 * B1, the HTTP stack: `GET /api/auth/me` (request id, logging, bearer-token auth, a database
 * read, as deployed) against a bare `node:http` server answering the same body,
 * both called by the same client at the same concurrency. The ratio is what the stack costs.
 */
export async function benchHttpStack(options: HttpStackBenchOptions): Promise<HttpStackBenchResult> {
  const t = await startTestKernel({ env: AS_DEPLOYED });
  let bare: Server | undefined;
  try {
    const { token } = await t.createCreator();
    const me = await t.http.get('/api/auth/me', { token });
    if (me.status !== 200) throw new Error(`GET /api/auth/me: ${me.status}`);
    const body = JSON.stringify(me.body);
    bare = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
    await new Promise<void>((resolve) => bare!.listen(0, '127.0.0.1', resolve));
    const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;

    const server = await measure(options, new BenchClient(t.url), (client) => client.get('/api/auth/me', { token }));
    const raw = await measure(options, new BenchClient(bareUrl), (client) => client.get('/api/auth/me'));
    const result = { serverPerSecond: server.perSecond, rawPerSecond: raw.perSecond, ratio: server.perSecond / raw.perSecond, serverP50: server.p50, rawP50: raw.p50 };
    console.log(`B1 HTTP stack: ${options.requests} requests, ${options.concurrency} in flight`);
    console.log(`  GET /api/auth/me   ${server.perSecond.toFixed(0).padStart(7)} req/s   p50 ${server.p50.toFixed(2)} ms`);
    console.log(`  bare node:http     ${raw.perSecond.toFixed(0).padStart(7)} req/s   p50 ${raw.p50.toFixed(2)} ms`);
    console.log(`  ratio stack/bare   ${result.ratio.toFixed(3)}`);
    return result;
  } finally {
    await new Promise((resolve) => (bare ? bare.close(resolve) : resolve(undefined)));
    await t.stop();
  }
}

async function measure(o: HttpStackBenchOptions, client: BenchClient, call: (client: BenchClient) => Promise<{ status: number }>) {
  const latencies: number[] = [];
  const started = performance.now();
  try {
    await runConcurrently(o.requests, o.concurrency, async () => {
      const sent = performance.now();
      const response = await call(client);
      if (response.status !== 200) throw new Error(`status ${response.status}`);
      latencies.push(performance.now() - sent);
    });
    return { perSecond: o.requests / ((performance.now() - started) / 1000), p50: percentile(latencies, 50) };
  } finally {
    client.close();
  }
}
