import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createTestDatabase, deleteRedisKeys } from '@streaming-companion/testing';
import pg from 'pg';
import type { Socket } from 'socket.io-client';
import { ServerProcess } from '../apps/server/test/support/server-process.ts';
import { joinOverlays } from './overlay-clients.ts';
import { AS_DEPLOYED } from './as-deployed.ts';

export interface CapacityBenchOptions {
  /** Live sessions, one creator each. */
  sessions: number;
  overlaysPerSession: number;
}

export interface CapacityBenchResult {
  sessions: number;
  overlays: number;
  /** Resident memory of the server process, in MB: booted and seeded, then with every overlay joined. */
  serverIdleMb: number;
  serverLoadedMb: number;
  bareIdleMb: number;
  bareLoadedMb: number;
  /** What each joined overlay adds, in KB, on the server and on the bare socket.io server. */
  serverKbPerOverlay: number;
  bareKbPerOverlay: number;
  /** The 400 MB goal, met or not. */
  withinGoal: boolean;
}

export const CAPACITY_GOAL_MB = 400;

/**
 * B6, capacity: the real server (`apps/server`, every first-party plugin, its own database)
 * with N live sessions and M overlay sockets joined to each, against a bare socket.io server
 * whose sockets join the same rooms. Both run as child processes, so their resident memory
 * is theirs alone, read from /proc once every socket has joined.
 */
export async function benchCapacity(options: CapacityBenchOptions): Promise<CapacityBenchResult> {
  const database = await createTestDatabase(process.env.DATABASE_URL!, { prefix: 'sc_bench' });
  const overlays = options.sessions * options.overlaysPerSession;
  const redisPrefix = `scb${randomBytes(3).toString('hex')}`;
  try {
    const env = { PORT: '0', HOST: '127.0.0.1', DATABASE_URL: database.url, REDIS_URL: process.env.REDIS_URL, REDIS_PREFIX: redisPrefix, LOG_LEVEL: 'info', ...AS_DEPLOYED };
    const server = await measure(new ServerProcess([], env), async () => (await seedLiveSessions(database.url, options.sessions)).map((live) => live.sessionId), options.overlaysPerSession);
    const bare = await measure(new ServerProcess([], {}, 'bench/bare-socket-server.ts'), async () => Array.from({ length: options.sessions }, () => randomUUID()), options.overlaysPerSession);
    const result: CapacityBenchResult = {
      sessions: options.sessions,
      overlays,
      serverIdleMb: server.idleKb / 1024,
      serverLoadedMb: server.loadedKb / 1024,
      bareIdleMb: bare.idleKb / 1024,
      bareLoadedMb: bare.loadedKb / 1024,
      serverKbPerOverlay: (server.loadedKb - server.idleKb) / overlays,
      bareKbPerOverlay: (bare.loadedKb - bare.idleKb) / overlays,
      withinGoal: server.loadedKb / 1024 <= CAPACITY_GOAL_MB,
    };
    const mb = (n: number) => `${n.toFixed(0)} MB`;
    console.log(`B6 capacity: ${options.sessions} live sessions × ${options.overlaysPerSession} overlays (${overlays} sockets), resident memory`);
    console.log(`  server             ${mb(result.serverIdleMb)} seeded → ${mb(result.serverLoadedMb)} joined   (${result.serverKbPerOverlay.toFixed(1)} KB per overlay; goal ≤ ${CAPACITY_GOAL_MB} MB: ${result.withinGoal ? 'met' : 'MISSED'})`);
    console.log(`  bare socket.io     ${mb(result.bareIdleMb)} idle → ${mb(result.bareLoadedMb)} joined   (${result.bareKbPerOverlay.toFixed(1)} KB per overlay)`);
    return result;
  } finally {
    await database.drop();
    if (process.env.REDIS_URL) await deleteRedisKeys(process.env.REDIS_URL, redisPrefix);
  }
}

/** Boot `child`, make the sessions, join every overlay, and read its memory before and after. */
async function measure(child: ServerProcess, sessions: () => Promise<string[]>, perSession: number): Promise<{ idleKb: number; loadedKb: number }> {
  const clients: Socket[] = [];
  try {
    const url = String((await child.waitFor((line) => typeof line.url === 'string', 'its url')).url);
    const sessionIds = await sessions();
    const idleKb = await residentKb(child.child.pid!);
    await joinOverlays(url, sessionIds, perSession, clients);
    return { idleKb, loadedKb: await residentKb(child.child.pid!) };
  } finally {
    for (const client of clients) client.disconnect();
    const code = await child.stop();
    if (code !== 0) throw new Error(`the process under test exited with ${code}:\n${child.output().slice(-2_000)}`);
  }
}

/**
 * Creators and their live sessions written straight into the server's (already migrated)
 * database: signing up thousands of accounts would measure password hashing, not capacity.
 */
export async function seedLiveSessions(databaseUrl: string, count: number): Promise<Array<{ creatorId: string; sessionId: string }>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await insertLiveSessions((sql, params) => client.query(sql, params), count);
  } finally {
    await client.end();
  }
}

/** The seeding statements, on whichever database client runs them (pg, or PGlite for the embedded default). */
export async function insertLiveSessions(query: (sql: string, params: unknown[]) => Promise<unknown>, count: number): Promise<Array<{ creatorId: string; sessionId: string }>> {
  const ids = Array.from({ length: count }, () => ({ creator: randomUUID(), session: randomUUID() }));
  await query(
    `insert into core_creators (id, display_name, overlay_key, created_at, updated_at)
     select c, 'bench ' || c, replace(c::text, '-', '') || 'bench', now(), now() from unnest($1::uuid[]) as c`,
    [arrayLiteral(ids.map((i) => i.creator))],
  );
  await query(
    `insert into core_stream_sessions (id, creator_id, platform, status, started_at, created_at, updated_at)
     select s, c, 'chaturbate', 'active', now(), now(), now() from unnest($1::uuid[], $2::uuid[]) as t(s, c)`,
    [arrayLiteral(ids.map((i) => i.session)), arrayLiteral(ids.map((i) => i.creator))],
  );
  return ids.map((i) => ({ creatorId: i.creator, sessionId: i.session }));
}

/** Ids as a Postgres array literal: both pg and PGlite take it for a `uuid[]` parameter. */
const arrayLiteral = (ids: string[]) => `{${ids.join(',')}}`;

async function residentKb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]);
}
