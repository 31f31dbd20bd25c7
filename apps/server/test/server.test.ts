import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@streaming-companion/client';
import { greeterEvents } from '@streaming-companion/example-greeter';
import { deleteRedisKeys } from '@streaming-companion/testing';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ServerProcess, type LogLine } from './support/server-process.ts';

/**
 * The real server, started the way the README tells people to: a child process running
 * `npm start`: `node --max-semi-space-size=16 --import ./apps/server/src/module-resolution.ts apps/server/src/main.ts`, driven over HTTP and signals, with
 * every wait ending on a log line or an exit, never on a timer.
 */

/** PGlite's first boot on a fresh data dir can take a while on a slow machine. */
const BOOT_MS = 90_000;


/** This process's environment minus everything that would point the server at Postgres or Redis. */

const running: ServerProcess[] = [];
function startServer(args: string[], env: Record<string, string | undefined>): ServerProcess {
  const server = new ServerProcess(args, env);
  running.push(server);
  return server;
}
afterEach(() => {
  // Only what a failed test left behind: a passing test waits for its own exits.
  for (const server of running.splice(0)) server.kill();
});

const isListening = (line: LogLine) => line.msg === 'listening';
const messages = (server: ServerProcess) => server.lines.map((line) => String(line.msg ?? ''));

async function listeningUrl(server: ServerProcess): Promise<string> {
  const line = await server.waitFor(isListening, 'the "listening" line');
  expect(typeof line.url).toBe('string');
  const url = new URL(String(line.url));
  // The bound port, not the configured 0.
  expect(Number(url.port)).toBeGreaterThan(0);
  return url.origin;
}

async function json(url: string, init?: RequestInit): Promise<{ status: number; body: any }> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function stopWithSigterm(server: ServerProcess): Promise<number | null> {
  server.child.kill('SIGTERM');
  return server.exitCode();
}

describe('embedded (no database or Redis configured)', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sc-server-test-'));
  });
  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it(
    'boots on PGlite, serves health, readiness and signup, and stops cleanly on SIGTERM',
    async () => {
      const server = startServer([], { PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info' });
      const base = await listeningUrl(server);

      const embedded = server.rawLines().filter((text) => text.includes('embedded mode'));
      expect(embedded).toHaveLength(1);
      expect(embedded[0]).toMatch(/not for multi-instance use/);
      expect(embedded[0]).toContain(JSON.stringify(dataDir).slice(1, -1));
      expect(messages(server).some((msg) => msg.includes('scaled mode'))).toBe(false);

      expect(await json(`${base}/api/health`)).toEqual({ status: 200, body: { status: 'ok' } });
      const ready = await json(`${base}/api/ready`);
      expect(ready.status).toBe(200);
      expect(ready.body).toEqual({ status: 'ok', checks: { database: 'ok' } });

      const email = `server-test-${randomBytes(4).toString('hex')}@example.test`;
      const signup = await json(`${base}/api/auth/signup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: 'correct horse battery staple', displayName: 'Server Test' }),
      });
      expect(signup.status).toBe(201);
      expect(signup.body.creator).toMatchObject({ email, displayName: 'Server Test' });
      expect(typeof signup.body.token).toBe('string');
      const active = await json(`${base}/api/sessions/active`, { headers: { authorization: `Bearer ${signup.body.token}` } });
      expect(active.status).toBe(404); // authenticated (not 401), and no session yet

      expect(await stopWithSigterm(server)).toBe(0);
      expect(messages(server)).toContain('stopped');
      expect(server.rawLines().filter((text) => text.includes('embedded mode'))).toHaveLength(1);
      expect(server.other).toEqual([]);
      // The data is on disk: the migrate-only run below finds nothing to do.
    },
    BOOT_MS * 2,
  );

  it(
    'stops cleanly on a SIGTERM sent the moment it says it is listening (its boot is over by then)',
    async () => {
      const server = startServer([], { PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info' });
      await server.waitFor(isListening, 'the "listening" line');
      expect(await stopWithSigterm(server)).toBe(0);
      expect(messages(server)).toContain('stopped');
    },
    BOOT_MS,
  );

  it(
    'stops cleanly on a SIGTERM that comes during its boot, once the boot is over',
    async () => {
      const fresh = await mkdtemp(join(tmpdir(), 'sc-server-boot-'));
      try {
        const server = startServer([], { PORT: '0', DATA_DIR: fresh, LOG_LEVEL: 'info' });
        // Logged halfway through the boot, past the point where main listens for signals.
        await server.waitFor((line) => line.msg === 'migrations applied', 'the "migrations applied" line');
        expect(await stopWithSigterm(server)).toBe(0);
        expect(messages(server)).toEqual(expect.arrayContaining(['shutting down', 'stopped']));
      } finally {
        await rm(fresh, { recursive: true, force: true });
      }
    },
    BOOT_MS,
  );

  it(
    '--migrate-only on the same data dir reports the database is up to date and exits 0',
    async () => {
      const server = startServer(['--migrate-only'], { PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info' });
      expect(await server.exitCode()).toBe(0);
      const done = server.lines.find((line) => line.msg === 'database is up to date');
      expect(done, server.output()).toMatchObject({ applied: [] });
      expect(server.lines.some(isListening)).toBe(false);
    },
    BOOT_MS,
  );
});

describe('refuses to boot on bad input', () => {
  // Checked before any I/O: the data dir is never created.
  const unusedDataDir = () => join(tmpdir(), `sc-server-test-unused-${randomBytes(4).toString('hex')}`);

  it('names every invalid environment variable and exits 1', async () => {
    const dataDir = unusedDataDir();
    const server = startServer([], { PORT: 'abc', AUTH_MODE: 'nope', REDIS_PREFIX: 'has spaces', DATA_DIR: dataDir });
    expect(await server.exitCode()).toBe(1);
    const fatal = server.lines.filter((line) => line.level === 60).map((line) => String(line.msg));
    expect(fatal).toHaveLength(1);
    expect(fatal[0]).toMatch(/^\s*- PORT: /m);
    expect(fatal[0]).toMatch(/^\s*- AUTH_MODE: /m);
    expect(fatal[0]).toMatch(/^\s*- REDIS_PREFIX: must be 1 to 32 letters, digits, _ or -/m);
    expect(server.lines.some(isListening)).toBe(false);
    expect(server.lines.some((line) => String(line.msg).includes('embedded mode'))).toBe(false);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('rejects an unknown --role and exits 1', async () => {
    const dataDir = unusedDataDir();
    const server = startServer(['--role=bogus'], { PORT: '0', DATA_DIR: dataDir });
    expect(await server.exitCode()).toBe(1);
    expect(messages(server)).toContain('--role must be api, worker or all (got "bogus")');
    expect(server.lines.some(isListening)).toBe(false);
    expect(existsSync(dataDir)).toBe(false);
  });
});

describe.skipIf(!process.env.DATABASE_URL || !process.env.REDIS_URL)('scaled (PostgreSQL and Redis)', () => {
  const serverUrl = process.env.DATABASE_URL!;
  const name = `sc_server_test_${randomBytes(6).toString('hex')}`;
  let databaseUrl: string;

  async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    await admin((client) => client.query(`create database ${name}`));
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
  });
  afterAll(async () => {
    await admin((client) => client.query(`drop database if exists ${name} with (force)`));
    await deleteRedisKeys(process.env.REDIS_URL!, name);
  });

  it(
    'boots against them, reports both ready, and stops cleanly',
    async () => {
      const server = startServer([], {
        PORT: '0',
        DATA_DIR: join(tmpdir(), 'sc-never-created'),
        LOG_LEVEL: 'info',
        DATABASE_URL: databaseUrl,
        REDIS_URL: process.env.REDIS_URL,
        REDIS_PREFIX: name,
      });
      const base = await listeningUrl(server);
      expect(messages(server).filter((msg) => msg.includes('scaled mode'))).toHaveLength(1);
      expect(messages(server).some((msg) => msg.includes('embedded mode'))).toBe(false);

      const ready = await json(`${base}/api/ready`);
      expect(ready).toEqual({ status: 200, body: { status: 'ok', checks: { database: 'ok', redis: 'ok' } } });

      // The migrations went into the fresh database.
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      const applied = await client.query<{ name: string }>('select name from core_migrations').then(
        (result) => result.rows.map((row) => row.name),
        (error: unknown) => client.end().then(() => Promise.reject(error)),
      );
      await client.end();
      expect(applied.filter((migration) => migration.startsWith('core/')).length).toBeGreaterThan(0);

      // Its Redis keys (here, a login rate-limit counter) start with REDIS_PREFIX.
      const login = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: `${name}@example.test`, password: 'not the password' }),
      });
      expect(login.status).toBe(401);
      const redis = new Redis(process.env.REDIS_URL!);
      const keys = await redis.keys(`${name}:*`).finally(() => redis.quit());
      expect(keys.some((key) => key.includes(`${name}@example.test`)), `keys under ${name}: ${keys.join(', ')}`).toBe(true);

      expect(await stopWithSigterm(server)).toBe(0);
      expect(messages(server)).toContain('stopped');
    },
    BOOT_MS * 2,
  );
});

describe('PLUGINS', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sc-server-plugins-'));
  });
  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it(
    'loads the example plugin by path, with its config, and it answers its route and its socket command',
    async () => {
      const server = startServer([], {
        PORT: '0',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'info',
        PLUGINS: './examples/greeter-plugin',
        PLUGIN_CONFIG: JSON.stringify({ greeter: { greeting: 'Hi from PLUGINS' } }),
      });
      const base = await listeningUrl(server);
      const client = createClient({ baseUrl: base });
      await client.auth.signup({ email: `plugins-${randomBytes(4).toString('hex')}@example.test`, password: 'correct horse battery staple', displayName: 'Pia' });
      const live = client.connect();
      try {
        await new Promise<void>((resolve) => live.onStatus((status) => status === 'connected' && resolve()));
        expect(await live.socket.emitWithAck('greeter_ping', { name: 'OBS' })).toEqual({ ok: true, data: { reply: 'hi OBS, from Pia' } });

        const greeting = new Promise((resolve) => live.on(greeterEvents.socket.greeting, resolve));
        const session = await client.sessions.start({ platform: 'chaturbate' });
        expect(await greeting).toEqual({ sessionId: session.id, text: 'Hi from PLUGINS! This is stream #1.' });
        const greetings = await json(`${base}/api/greeter/greetings`, { headers: { authorization: `Bearer ${client.token}` } });
        expect(greetings).toEqual({ status: 200, body: { items: [{ sessionId: session.id, text: 'Hi from PLUGINS! This is stream #1.' }] } });
        const docs = await json(`${base}/api/docs/openapi.json`);
        expect(Object.keys(docs.body.paths)).toContain('/api/greeter/greetings');
      } finally {
        live.close();
      }
      expect(await stopWithSigterm(server)).toBe(0);
    },
    BOOT_MS * 2,
  );

  it('refuses to boot when entries cannot be loaded, naming each and why, and exits 1', async () => {
    const server = startServer([], {
      PORT: '0',
      DATA_DIR: join(tmpdir(), `sc-server-test-unused-${randomBytes(4).toString('hex')}`),
      PLUGINS: './no/such/plugin, @streaming-companion/example-greeter, ./packages/core/test/fixtures/throws-on-import.ts',
      PLUGINS_DISABLE: 'tips',
    });
    expect(await server.exitCode()).toBe(1);
    const fatal = server.lines.filter((line) => line.level === 60).map((line) => String(line.msg));
    expect(fatal).toHaveLength(1);
    expect(fatal[0]).toMatch(/- PLUGINS entry "\.\/no\/such\/plugin": cannot be found/);
    expect(fatal[0]).toMatch(/- PLUGINS entry "\.\/packages\/core\/test\/fixtures\/throws-on-import.ts": throws on import: this plugin is broken on purpose/);
    // Loaded by package name fine; what it found wrong is the rest of the list.
    expect(fatal[0]).not.toMatch(/example-greeter/);
    expect(fatal[0]).toMatch(/- plugin "goals" needs events from "tips", which is not loaded/);
    expect(server.lines.some(isListening)).toBe(false);
  });
});
