import { randomBytes } from 'node:crypto';
import { createKernel, createLogger, type Kernel } from '@streaming-companion/core';
import { io } from 'socket.io-client';
import { deleteRedisKeys } from './redis-keys.ts';
import { createTestDatabase } from './test-database.ts';
import type { TestHttpClient, TestKernel, TestKernelOptions, TestRequestOptions, TestSocket } from './index.ts';

const TEST_LOGIN_LIMITS = {
  failuresPerAccountAddress: 1_000,
  failuresPerAddress: 100_000,
  failuresPerAccount: 100_000,
  signupsPerAddress: 100_000,
  windowSeconds: 60,
};

/**
 * Boot a real kernel with `options.plugins`. With DATABASE_URL (or POSTGRES_HOST) set,
 * each kernel gets a database of its own on that server, dropped on stop; otherwise an
 * in-memory PGlite. With REDIS_URL set, BullMQ and the socket adapter run on it under a
 * prefix of the kernel's own, so parallel test files never see each other's traffic.
 */
export async function startTestKernel(options: TestKernelOptions = {}): Promise<TestKernel> {
  const shared = options.shareWith as InternalTestKernel | undefined;
  const redisUrl = (options.redisUrl ?? process.env.REDIS_URL) || undefined;
  const database = shared ? { url: shared.databaseUrl, drop: async () => {} } : await freshDatabase();
  const redisPrefix = shared?.redisPrefix ?? `sc-test-${randomBytes(4).toString('hex')}`;
  const ownRedis = shared || !redisUrl ? undefined : redisUrl;
  let kernel: Kernel | undefined;
  try {
    kernel = createKernel({
      plugins: options.plugins ?? [],
      pluginConfig: options.pluginConfig,
      env: { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', ...options.env },
      config: {
        port: 0,
        host: '127.0.0.1',
        databaseUrl: database.url,
        dataDir: 'memory://',
        redisUrl,
      },
      redisPrefix,
      // Tests sign up and log in many creators from one address; they opt in to realistic limits.
      loginLimits: { ...TEST_LOGIN_LIMITS, ...options.loginLimits },
      deliverAfterCommit: options.deliverAfterCommit,
      clock: options.clock,
      logger: options.logger ?? createLogger(process.env.TEST_LOG_LEVEL ?? 'silent', { pretty: false }),
    });
    await kernel.start();
  } catch (error) {
    // Boot errors included: the throwaway database and Redis keys must not outlive a failed start.
    await kernel?.stop().catch(() => {});
    await database.drop();
    if (ownRedis) await deleteRedisKeys(ownRedis, redisPrefix);
    throw error;
  }
  return new InternalTestKernel(kernel, database, ownRedis);
}

class InternalTestKernel implements TestKernel {
  readonly kernel: Kernel;
  readonly url: string;
  readonly http: TestHttpClient;
  readonly #database: { url: string | undefined; drop(): Promise<void> };
  /** The Redis whose keys under this kernel's prefix it deletes when it stops: set when it made the prefix. */
  readonly #ownRedis: string | undefined;
  readonly #sockets: TestSocket[] = [];

  constructor(kernel: Kernel, database: { url: string | undefined; drop(): Promise<void> }, ownRedis: string | undefined) {
    this.kernel = kernel;
    this.url = kernel.url;
    this.#database = database;
    this.#ownRedis = ownRedis;
    const call = (method: string) => (path: string, options: TestRequestOptions = {}) => request(this.url, method, path, options);
    this.http = { get: call('GET'), post: call('POST'), put: call('PUT'), patch: call('PATCH'), delete: call('DELETE') };
  }

  get databaseUrl(): string | undefined {
    return this.#database.url;
  }

  get redisPrefix(): string {
    return this.kernel.redisPrefix;
  }

  async createCreator(input: { email?: string; password?: string; displayName?: string } = {}) {
    const email = input.email ?? `creator-${randomBytes(6).toString('hex')}@example.test`;
    const response = await this.http.post('/api/auth/signup', {
      body: { email, password: input.password ?? 'correct horse battery staple', displayName: input.displayName ?? 'Test Creator' },
    });
    if (response.status !== 201) throw new Error(`signup failed: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as { token: string; creator: { id: string; email: string | null; displayName: string } };
  }

  socket(token: string): Promise<TestSocket> {
    return this.#connect('/streaming', { token });
  }

  overlaySocket(): Promise<TestSocket> {
    return this.#connect('/streaming/overlay');
  }

  drain(): Promise<void> {
    return this.kernel.drain();
  }

  async schemaDiff(): Promise<string> {
    return (await this.kernel.orm.schema.getUpdateSchemaSQL({ wrap: false })).trim();
  }

  async stop(): Promise<void> {
    for (const socket of this.#sockets) socket.disconnect();
    await this.kernel.stop();
    await this.#database.drop();
    if (this.#ownRedis) await deleteRedisKeys(this.#ownRedis, this.redisPrefix);
  }

  #connect(namespace: string, auth?: { token: string }): Promise<TestSocket> {
    const socket = io(this.url + namespace, { auth, transports: ['websocket'], reconnection: false, forceNew: true }) as TestSocket;
    this.#sockets.push(socket);
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', (error) => reject(error));
    });
  }
}

async function request(base: string, method: string, path: string, options: TestRequestOptions) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(base + path, {
    method,
    headers,
    body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
  });
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  const body = text && /json/.test(type) ? JSON.parse(text) : text;
  return { status: response.status, headers: response.headers, body };
}

/** A throwaway database on the configured Postgres server, or in-memory PGlite when there is none. */
async function freshDatabase(): Promise<{ url: string | undefined; drop(): Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL || undefined;
  return serverUrl ? createTestDatabase(serverUrl) : { url: undefined, drop: async () => {} };
}
