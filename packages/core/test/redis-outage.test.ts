import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { definePlugin, kernelEvents } from '@streaming-companion/sdk';
import { startTestKernel, type TestKernel } from '@streaming-companion/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

/**
 * A Redis outage on a server that uses Redis (jobs, socket adapter, shared rate limits): a
 * Redis of the test's own, killed and restarted. Readiness answers at once that Redis is down,
 * logins keep working on in-memory limits, and the outage is logged through the logger, once,
 * not as a stack trace per reconnect attempt on stderr.
 */

const PASSWORD = 'correct horse battery staple';
/** Generous enough for a loaded 2-core machine; a hang (what this guards against) lasts until the client gives up. */
const PROMPT_MS = 3_000;

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${output}`)), 15_000);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}:\n${output}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk;
      if (/ready to accept connections/i.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  child.removeAllListeners('exit');
  child.stdout!.resume();
  child.stderr!.resume();
  return child;
}

async function stopRedis(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

/** A plain request that gives up after `ms`, so a hang fails the test with a clear message instead of a test timeout. */
async function timed(url: string, init: RequestInit = {}, ms = 10_000) {
  const started = performance.now();
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(ms) });
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type') ?? '', body: text ? JSON.parse(text) : undefined, ms: performance.now() - started };
}

describe('while Redis is down', () => {
  let port: number;
  let redis: ChildProcess | undefined;
  let t: TestKernel;
  let email: string;
  const logs: { level: number; msg: string; err?: { message?: string } }[] = [];
  const stderr: string[] = [];
  const consoleLines: string[] = [];
  const writeStderr = process.stderr.write;

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
    // A domain subscriber, so BullMQ has a queue and a worker on this Redis too.
    const probe = definePlugin({
      id: 'outage-probe',
      version: '0.0.0',
      engine: '^0.1.0',
      setup(ctx) {
        ctx.events.on(kernelEvents.domain['streaming.session.started'], () => {});
      },
    });
    const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
    t = await startTestKernel({ plugins: [probe], redisUrl: `redis://127.0.0.1:${port}`, logger, loginLimits: { failuresPerAccountAddress: 3 } });
    ({ email } = (await t.createCreator()).creator as { email: string });

    process.stderr.write = ((chunk: unknown, ...rest: unknown[]) => {
      stderr.push(String(chunk));
      return (writeStderr as (...args: unknown[]) => boolean).call(process.stderr, chunk, ...rest);
    }) as typeof process.stderr.write;
    for (const method of ['error', 'warn', 'log', 'info'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void consoleLines.push(args.map(String).join(' ')));
    }
  });

  afterAll(async () => {
    process.stderr.write = writeStderr;
    vi.restoreAllMocks();
    // Stop on a live Redis, as a deployment would after an outage.
    if (t && (!redis || redis.exitCode !== null || redis.signalCode !== null)) redis = await startRedis(port).catch(() => undefined);
    await t?.stop();
    await stopRedis(redis);
  });

  it('is ready while Redis answers', async () => {
    const ready = await timed(`${t.url}/api/ready`);
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ok', checks: { database: 'ok', redis: 'ok' } });
  });

  it('answers /api/ready at once with 503 naming Redis, logs in on local limits, and writes no stack traces to stderr', async () => {
    await stopRedis(redis);
    const outageStarted = logs.length;

    const ready = await timed(`${t.url}/api/ready`);
    expect(ready.status).toBe(503);
    expect(ready.type).toMatch(/^application\/problem\+json/);
    expect(ready.body).toMatchObject({ status: 503, code: 'not_ready', detail: expect.stringContaining('redis') });
    expect(ready.body.detail).not.toContain('database');
    expect(ready.ms).toBeLessThan(PROMPT_MS);

    const post = (password: string) =>
      timed(`${t.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
    const good = await post(PASSWORD);
    expect(good.status).toBe(200);
    expect(good.body.token).toEqual(expect.any(String));
    expect(good.ms).toBeLessThan(PROMPT_MS);
    // Throttling still holds, per instance, on the in-memory fallback.
    for (let i = 0; i < 3; i++) expect((await post('guess 1234')).status).toBe(401);
    const throttled = await post(PASSWORD);
    expect(throttled.status).toBe(429);
    expect(throttled.ms).toBeLessThan(PROMPT_MS);

    // Let the clients retry for a while, as in a real outage.
    await sleep(4_000);
    const again = await timed(`${t.url}/api/ready`);
    expect(again.status).toBe(503);

    const printed = [...stderr, ...consoleLines].join('\n');
    expect(printed).not.toMatch(/ECONNREFUSED/);
    expect(printed).not.toMatch(/^\s+at /m);
    const redisWarnings = logs.slice(outageStarted).filter((line) => line.level >= 40 && /redis/i.test(line.msg));
    expect(redisWarnings.length).toBeGreaterThanOrEqual(1);
    // One line per connection that lost Redis, not one per reconnect attempt.
    expect(redisWarnings.length).toBeLessThanOrEqual(12);
  });

  it('is ready again once Redis is back, and says so in the log', async () => {
    const before = logs.length;
    redis = await startRedis(port);
    await expect.poll(async () => (await timed(`${t.url}/api/ready`)).status, { timeout: 20_000 }).toBe(200);
    await expect.poll(() => logs.slice(before).some((line) => line.level === 30 && /redis/i.test(line.msg) && /back|restored|reconnected/i.test(line.msg))).toBe(true);
  });
});
