import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, deleteRedisKeys } from '@streaming-companion/testing';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { ServerProcess } from '../../apps/server/test/support/server-process.ts';

/**
 * What the crash-and-recovery chaos tests share: the real server as a child process in either
 * mode (embedded PGlite in a temp DATA_DIR, or scaled on a fresh PostgreSQL database and a
 * Redis prefix of its own), a Redis server of a test's own to stop and start, a small REST
 * helper that never waits forever, a burst sender, and an overlay socket that records what it
 * received. Every wait ends on a log line, an answer, an event or a polled condition.
 */

export { freePort, TcpProxy } from '../../apps/server/test/support/overlay-harness.ts';
export { ServerProcess };

/** The scaled runs need PostgreSQL and Redis, like the scaled tests of the normal suite. */
export const scaledConfigured = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL);

/** Whether a `redis-server` binary is on PATH, for tests that start a Redis of their own. */
export const redisServerInstalled = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;

/** PGlite's first boot on a fresh data dir can take a while on a loaded machine. */
export const BOOT_MS = 90_000;

/** One way of running the server: the environment that selects it, and how to clean up after it. */
export interface Mode {
  name: 'embedded' | 'scaled';
  env: Record<string, string | undefined>;
  /** The scaled mode's fresh database, for checks that read it directly. */
  databaseUrl?: string;
  cleanup(): Promise<void>;
}

/** Embedded mode: PGlite in a fresh temp DATA_DIR (kept across restarts until cleanup). */
export async function embeddedMode(): Promise<Mode> {
  const dataDir = await mkdtemp(join(tmpdir(), 'sc-chaos-'));
  return {
    name: 'embedded',
    env: { DATA_DIR: dataDir },
    cleanup: () => rm(dataDir, { recursive: true, force: true }),
  };
}

/**
 * Scaled mode: a fresh database on the configured PostgreSQL server (never the server's own
 * `postgres` database) and a Redis prefix of its own, whose keys are removed at cleanup.
 * `redisUrl` overrides REDIS_URL (a Redis of the test's own).
 */
export async function scaledMode(redisUrl = process.env.REDIS_URL!): Promise<Mode> {
  const name = `sc_chaos_${randomBytes(6).toString('hex')}`;
  const database = await createTestDatabase(process.env.DATABASE_URL!, { name });
  return {
    name: 'scaled',
    databaseUrl: database.url,
    env: { DATABASE_URL: database.url, REDIS_URL: redisUrl, REDIS_PREFIX: name, DATA_DIR: join(tmpdir(), 'sc-chaos-never-created') },
    async cleanup() {
      await database.drop();
      await deleteRedisKeys(redisUrl, name);
    },
  };
}

/** A query on the scaled mode's own fresh database. */
export async function queryDatabase<T extends pg.QueryResultRow>(databaseUrl: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** The real server (`npm start`: `node --max-semi-space-size=16 --import ./apps/server/src/module-resolution.ts apps/server/src/main.ts`) on a port of the OS's choosing; resolves once it logs `listening`. */
export async function startRealServer(mode: Mode, env: Record<string, string | undefined> = {}): Promise<{ server: ServerProcess; base: string }> {
  const server = new ServerProcess([], {
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    SIGNUP_MAX_PER_ADDRESS: '10000',
    ...mode.env,
    ...env,
  });
  try {
    const line = await server.waitFor((l) => l.msg === 'listening', 'the "listening" line');
    return { server, base: new URL(String(line.url)).origin };
  } catch (error) {
    server.kill();
    throw error;
  }
}

export interface Answer<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** One REST call that gives up after `timeoutMs` (a hang fails with a message, not a test timeout). */
export async function call<T = any>(
  base: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
  });
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  return { status: response.status, headers: response.headers, body: (text && /json/.test(type) ? JSON.parse(text) : text) as T };
}

/** The same call, failing unless it answers `expected`. */
export async function ok<T = any>(base: string, method: string, path: string, options: Parameters<typeof call>[3] & { expected?: number } = {}): Promise<T> {
  const answer = await call<T>(base, method, path, options);
  const expected = options.expected ?? (method === 'POST' ? 201 : 200);
  if (answer.status !== expected) throw new Error(`${method} ${path} answered ${answer.status}, expected ${expected}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** A creator with a live session and an overlay key. */
export async function creatorWithSession(base: string): Promise<{ token: string; sessionId: string; overlayKey: string }> {
  const { token } = await ok<{ token: string }>(base, 'POST', '/api/auth/signup', {
    body: { email: `chaos-${randomBytes(5).toString('hex')}@example.test`, password: 'correct horse battery staple', displayName: 'Chaos' },
  });
  const { id: sessionId } = await ok<{ id: string }>(base, 'POST', '/api/sessions', { token, body: { platform: 'chaturbate', title: 'chaos' } });
  const { overlayKey } = await ok<{ overlayKey: string }>(base, 'GET', '/api/overlay-key', { token });
  return { token, sessionId, overlayKey };
}

export interface StoredTip {
  id: string;
  amountCents: number;
  message: string | null;
  tipperName: string | null;
  voidedAt: string | null;
}

/** Every stored tip of the session, through `GET /api/tips` page by page. */
export async function storedTips(base: string, token: string, sessionId: string): Promise<StoredTip[]> {
  const tips: StoredTip[] = [];
  for (let page = 1; ; page++) {
    const body = await ok<{ items: StoredTip[]; total: number }>(base, 'GET', `/api/tips?sessionId=${sessionId}&page=${page}&pageSize=200`, { token });
    tips.push(...body.items);
    if (body.items.length < 200) {
      if (tips.length !== body.total) throw new Error(`paged ${tips.length} tips, the list says ${body.total}`);
      return tips;
    }
  }
}

export async function sessionTotals(base: string, token: string, sessionId: string): Promise<{ totalTipsCents: number; tipCount: number }> {
  const session = await ok<{ totalTipsCents: number; tipCount: number }>(base, 'GET', `/api/sessions/${sessionId}`, { token });
  return { totalTipsCents: session.totalTipsCents, tipCount: session.tipCount };
}

export async function goalCents(base: string, token: string, sessionId: string, goalId: string): Promise<number> {
  const { items } = await ok<{ items: Array<{ id: string; currentCents: number }> }>(base, 'GET', `/api/goals?sessionId=${sessionId}`, { token });
  const goal = items.find((g) => g.id === goalId);
  if (!goal) throw new Error(`goal ${goalId} is not listed`);
  return goal.currentCents;
}

export const sum = (tips: Array<{ amountCents: number }>) => tips.reduce((total, tip) => total + tip.amountCents, 0);

/** What the session's totals must say of its stored tips: a voided tip is listed but counts nowhere. */
export function countedTotals(tips: StoredTip[]): { totalTipsCents: number; tipCount: number } {
  const counted = tips.filter((tip) => !tip.voidedAt);
  return { totalTipsCents: sum(counted), tipCount: counted.length };
}

/** One tip of a burst: its own idempotency key, and a message that names it in the stored list. */
export interface BurstTip {
  key: string;
  body: { sessionId: string; amountCents: number; tipperName: string; message: string };
}

export function burstOf(sessionId: string, count: number, label = randomBytes(3).toString('hex')): BurstTip[] {
  return Array.from({ length: count }, (_, i) => {
    const key = `chaos-${label}-${String(i).padStart(4, '0')}`;
    return { key, body: { sessionId, amountCents: 100 + (i % 97), tipperName: `tipper${i % 37}`, message: key } };
  });
}

export type Outcome = { status: number; id?: string; replayed: boolean; body: any } | { error: string };

/**
 * POSTs every tip with its Idempotency-Key, `concurrency` in flight. `onAnswer` sees each answer
 * as it comes (a test kills the server from it); `stopped()` true stops taking new tips. A tip
 * whose request fails (connection refused or reset) is left with its error.
 */
export async function sendBurst(
  base: () => string,
  token: string,
  tips: BurstTip[],
  options: { concurrency: number; stopped?: () => boolean; onAnswer?: (index: number, outcome: Outcome) => void; retryNetworkErrors?: number },
): Promise<Outcome[]> {
  const outcomes: Outcome[] = new Array(tips.length);
  let next = 0;
  const worker = async () => {
    while (next < tips.length && !options.stopped?.()) {
      const index = next++;
      const tip = tips[index]!;
      let outcome: Outcome;
      for (let attempt = 0; ; attempt++) {
        try {
          const answer = await call(base(), 'POST', '/api/tips', { token, body: tip.body, headers: { 'idempotency-key': tip.key } });
          outcome = { status: answer.status, id: answer.body?.id, replayed: answer.headers.get('idempotent-replayed') === 'true', body: answer.body };
          break;
        } catch (error) {
          outcome = { error: String((error as Error).cause ?? error) };
          // A dead keep-alive connection: the same key makes the resend safe.
          if (attempt >= (options.retryNetworkErrors ?? 0) || options.stopped?.()) break;
        }
      }
      outcomes[index] = outcome;
      options.onAnswer?.(index, outcome);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return outcomes;
}

/** A Redis server of the test's own on `port`, started and stopped by it; never the shared one. */
export class OwnRedis {
  readonly port: number;
  #child: ChildProcess | undefined;

  constructor(port: number) {
    this.port = port;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts it and resolves once it accepts connections (its own log line). No persistence: a restart starts empty. */
  async start(): Promise<void> {
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child = child;
    await new Promise<void>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`redis-server did not start within 15 s:\n${output}`)), 15_000);
      const onExit = (code: number | null) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${code}:\n${output}`));
      };
      child.once('error', reject);
      child.once('exit', onExit);
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk;
        if (/ready to accept connections/i.test(output)) {
          clearTimeout(timer);
          child.off('exit', onExit);
          resolve();
        }
      });
    });
    child.stdout!.resume();
    child.stderr!.resume();
  }

  /** SIGKILL, as a crashed or restarted Redis; resolves once the process is gone. */
  async kill(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }
}

export interface ReceivedBroadcast {
  event: string;
  payload: any;
  meta?: { sessionId: string; seq: number };
}

/** An overlay socket (`/streaming/overlay`) that records every event it receives, with its `{ sessionId, seq }`. */
export class OverlayWatch {
  readonly socket: Socket;
  readonly received: ReceivedBroadcast[] = [];

  constructor(url: string, options: { reconnection?: boolean } = {}) {
    this.socket = io(`${url}/streaming/overlay`, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: options.reconnection ?? true,
      reconnectionDelay: 100,
      reconnectionDelayMax: 500,
      // A reconnection is a new handshake, however many are refused while the link is down.
      reconnectionAttempts: Number.POSITIVE_INFINITY,
    });
    this.socket.onAny((event: string, payload: unknown, meta?: { sessionId: string; seq: number }) => {
      this.received.push({ event, payload, meta });
    });
  }

  async connected(timeoutMs = 15_000): Promise<void> {
    if (this.socket.connected) return;
    await withTimeout(new Promise<void>((resolve) => this.socket.once('connect', () => resolve())), timeoutMs, 'the overlay socket did not connect');
  }

  async join(payload: { overlayKey: string } | { sessionId: string }): Promise<void> {
    await this.connected();
    const ack = await this.socket.timeout(15_000).emitWithAck('join_overlay', payload);
    if (!ack?.ok) throw new Error(`join_overlay refused: ${JSON.stringify(ack)}`);
  }

  /** The ids of the `tip_received` broadcasts, in the order they came. */
  tipIds(): string[] {
    return this.received.filter((r) => r.event === 'tip_received').map((r) => r.payload.tip.id as string);
  }

  /** The highest broadcast number seen for the session. */
  lastSeq(sessionId: string): number {
    return Math.max(0, ...this.received.filter((r) => r.meta?.sessionId === sessionId).map((r) => r.meta!.seq));
  }

  /** Broadcast numbers seen more than once. */
  repeatedSeqs(sessionId: string): number[] {
    const seen = new Set<number>();
    const repeated: number[] = [];
    for (const r of this.received) {
      if (r.meta?.sessionId !== sessionId) continue;
      if (seen.has(r.meta.seq)) repeated.push(r.meta.seq);
      seen.add(r.meta.seq);
    }
    return repeated;
  }

  close(): void {
    this.socket.disconnect();
  }
}

/** Ids that occur more than once. */
export function duplicates(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  return [...new Set(ids.filter((id) => seen.has(id) || !seen.add(id)))];
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} (within ${ms} ms)`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
