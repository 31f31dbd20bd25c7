import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createTestDatabase, deleteRedisKeys } from '@streaming-companion/testing';
import { SignJWT } from 'jose';
import type { Socket } from 'socket.io-client';
import { ServerProcess } from '../apps/server/test/support/server-process.ts';
import { insertLiveSessions, seedLiveSessions } from './capacity.ts';
import { hostCpuSince, processCpuSince, type HostCpu } from './cpu.ts';
import { joinOverlays } from './overlay-clients.ts';
import { BenchClient } from './http-client.ts';
import { httpTarget, latencyToOverlays, warmUp, type LatencyRun, type LatencyTarget, type Live } from './tips.ts';
import { AS_DEPLOYED } from './as-deployed.ts';

export interface ServerLatencyOptions {
  sessions: number;
  overlaysPerSession: number;
  /** Arrival rates (tips per second), each for `seconds`. */
  rates: number[];
  seconds: number;
}

/** A run with what it was measured under: the server's CPU time a tip, and how busy the machine was (on Linux). */
export type ServerLatencyRun = LatencyRun & { serverCpuMsPerTip?: number; host?: HostCpu };

export interface ServerLatencyResult {
  scaled: ServerLatencyRun[];
  embedded: ServerLatencyRun[];
}

/**
 * B4, tip → overlay: the server as it is deployed (`apps/server` with every first-party plugin,
 * in a process of its own) on PostgreSQL + Redis, then on the embedded default (PGlite in a
 * data directory, in-process jobs); this process only sends the tips and holds the overlays.
 * Each run POSTs at a fixed arrival rate (open loop: each tip leaves at its slot, whatever the
 * earlier ones are doing) and times each tip to `tip_received` on every overlay of its session.
 */
export async function benchServerLatency(options: ServerLatencyOptions): Promise<ServerLatencyResult> {
  return { scaled: await onPostgres(options), embedded: await onEmbedded(options) };
}

const JWT_SECRET = randomBytes(32).toString('hex');

async function onPostgres(options: ServerLatencyOptions): Promise<ServerLatencyRun[]> {
  const database = await createTestDatabase(process.env.DATABASE_URL!, { prefix: 'sc_bench' });
  const redisPrefix = `scb${randomBytes(3).toString('hex')}`;
  try {
    const env = { DATABASE_URL: database.url, REDIS_URL: process.env.REDIS_URL, REDIS_PREFIX: redisPrefix };
    return await measureOn(env, () => seedLiveSessions(database.url, options.sessions), options, process.env.REDIS_URL ? 'PostgreSQL + Redis' : 'PostgreSQL');
  } finally {
    await database.drop();
    if (process.env.REDIS_URL) await deleteRedisKeys(process.env.REDIS_URL, redisPrefix);
  }
}

async function onEmbedded(options: ServerLatencyOptions): Promise<ServerLatencyRun[]> {
  const dataDir = await mkdtemp(join(tmpdir(), 'sc-bench-embedded-'));
  try {
    // A first boot migrates the data directory; the sessions go in while no server holds it.
    const first = new ServerProcess([], { ...serverEnv(), DATA_DIR: dataDir });
    await first.waitFor((line) => typeof line.url === 'string', 'its url');
    if ((await first.stop()) !== 0) throw new Error(`the embedded server did not stop cleanly:\n${first.output().slice(-2_000)}`);
    const db = await PGlite.create(join(dataDir, 'pglite'));
    const seeded = await insertLiveSessions((sql, params) => db.query(sql, params), options.sessions).finally(() => db.close());
    return await measureOn({ DATA_DIR: dataDir }, async () => seeded, options, 'embedded default');
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The environment every measured server gets: its own port, production's settings and request logging, a known login-token key. */
const serverEnv = () => ({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', JWT_SECRET, ...AS_DEPLOYED });

async function measureOn(env: Record<string, string | undefined>, seed: () => Promise<Array<{ creatorId: string; sessionId: string }>>, options: ServerLatencyOptions, label: string): Promise<ServerLatencyRun[]> {
  const server = new ServerProcess([], { ...serverEnv(), ...env });
  const opened: Socket[] = [];
  let client: BenchClient | undefined;
  try {
    const url = String((await server.waitFor((line) => typeof line.url === 'string', 'its url')).url);
    client = new BenchClient(url);
    const target = remoteTarget(client);
    const lives: Live[] = await Promise.all((await seed()).map(async ({ creatorId, sessionId }) => ({ creatorId, sessionId, token: await loginToken(creatorId) })));
    const overlays = await joinOverlays(url, lives.map((live) => live.sessionId), options.overlaysPerSession, opened);
    const runs: ServerLatencyRun[] = [];
    await warmUp(target, lives, overlays, options.rates[0]!);
    const pid = server.child.pid!;
    for (const rate of options.rates) {
      const [serverCpu, host] = [processCpuSince(pid), hostCpuSince()];
      const latency = await latencyToOverlays(target, lives, overlays, rate, Math.round(rate * options.seconds));
      const serverCpuMs = serverCpu();
      const run: ServerLatencyRun = { ...latency, serverCpuMsPerTip: serverCpuMs === undefined ? undefined : serverCpuMs / latency.tips, host: host() };
      runs.push(run);
      console.log(`B4 ${label}: POST → tip_received, ${run.tips} tips at ${rate}/s over ${lives.length} sessions × ${options.overlaysPerSession} overlays`);
      console.log(`  p50 ${run.p50.toFixed(1)} ms   p99 ${run.p99.toFixed(1)} ms   max ${run.max.toFixed(1)} ms   lost ${run.lost}   doubled ${run.doubled}${run.refused ? `   ${run.refused} not accepted` : ''}`);
      if (run.serverCpuMsPerTip !== undefined && run.host) {
        console.log(`  server CPU ${run.serverCpuMsPerTip.toFixed(2)} ms a tip   machine ${run.host.busy.toFixed(0)}% busy, ${run.host.steal.toFixed(1)}% stolen by the host`);
      }
    }
    return runs;
  } finally {
    for (const overlay of opened) overlay.disconnect();
    client?.close();
    const code = await server.stop();
    if (code !== 0) throw new Error(`the server under test exited with ${code}:\n${server.output().slice(-2_000)}`);
  }
}

/** The creator's login token, signed with the key the server was given (as its own login would). */
const loginToken = (creatorId: string) =>
  new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuer('streaming-companion').setSubject(creatorId).setIssuedAt().setExpirationTime('1h').sign(new TextEncoder().encode(JWT_SECRET));

/**
 * Tips over HTTP to a server in another process. Nothing here can tell when it has handled
 * everything (its jobs are its own), but a broadcast follows its tip's commit, which the
 * answer already confirms: the run's grace second after the last answer is the wait.
 */
const remoteTarget = (client: BenchClient): LatencyTarget => httpTarget(client, async () => {});
