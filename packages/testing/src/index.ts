import type { Kernel, KernelOptions } from '@streaming-companion/core';
import type { Clock, kernelEvents, PayloadOf, Plugin, SocketEventMap, SocketEventRef } from '@streaming-companion/sdk';
import type { Socket } from 'socket.io-client';

/**
 * The test kit for plugins and the kernel: boots a real kernel (embedded PGlite, or Postgres
 * and Redis when DATABASE_URL / REDIS_URL are set, each test kernel on a database of its own)
 * with your plugins, and hands you clients for it.
 */
export { startTestKernel } from './test-kernel.ts';
export { startTestIssuer, type TestIssuer, type TestIssuerSignOptions } from './test-issuer.ts';
export { createManualClock, type ManualClock } from './manual-clock.ts';
export { rawRequest, type RawResponse } from './raw-request.ts';
export { createTestDatabase, type TestDatabase } from './test-database.ts';
export { deleteRedisKeys } from './redis-keys.ts';

export interface TestKernelOptions {
  plugins?: Plugin<any>[];
  /** Per plugin id, validated by each plugin's config schema. */
  pluginConfig?: Record<string, unknown>;
  /** Environment variables on top of the test defaults (e.g. `{ AUTH_MODE: 'sso', SSO_URL }`). */
  env?: Record<string, string>;
  /** Boot a second instance on the same database and Redis (multi-instance tests). */
  shareWith?: TestKernel;
  /**
   * Login throttling for this kernel, field by field over the test defaults (which are
   * generous: tests sign up and log in many creators from one address). Opt in to
   * realistic limits here, e.g. `{ failuresPerAccountAddress: 3 }`.
   */
  loginLimits?: KernelOptions['loginLimits'];
  /** Redis for this kernel instead of `REDIS_URL` (e.g. one the test stops to simulate an outage); `''` for none: in-memory adapter and jobs even when `REDIS_URL` is set. */
  redisUrl?: string;
  /** The kernel's logger; silent (or `TEST_LOG_LEVEL`) unless given, e.g. one that collects lines for assertions. */
  logger?: KernelOptions['logger'];
  /**
   * `false` leaves every outbox row (events and broadcasts) for `drain()` or another instance to
   * deliver, as if this process had died right after each commit: for proving nothing is lost.
   */
  deliverAfterCommit?: boolean;
  /** What `coreServices.clock` answers, e.g. `createManualClock()` to move time by hand. */
  clock?: Clock;
}

export interface TestResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface TestRequestOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface TestHttpClient {
  get<T = any>(path: string, options?: TestRequestOptions): Promise<TestResponse<T>>;
  post<T = any>(path: string, options?: TestRequestOptions): Promise<TestResponse<T>>;
  put<T = any>(path: string, options?: TestRequestOptions): Promise<TestResponse<T>>;
  patch<T = any>(path: string, options?: TestRequestOptions): Promise<TestResponse<T>>;
  delete<T = any>(path: string, options?: TestRequestOptions): Promise<TestResponse<T>>;
}

export interface TestCreator {
  token: string;
  creator: { id: string; email: string | null; displayName: string };
}

/** A socket.io client; `nextEvent(socket, ref)` waits for an event with its payload typed. */
export type TestSocket = Socket<Record<string, (...args: any[]) => void>, Record<string, (...args: any[]) => void>>;

export interface TestKernel {
  url: string;
  http: TestHttpClient;
  /** Sign up a fresh creator and return their login token. */
  createCreator(input?: { email?: string; password?: string; displayName?: string }): Promise<TestCreator>;
  /** A connected client on `/streaming`, authenticated with `token`. */
  socket(token: string): Promise<TestSocket>;
  /** A connected client on `/streaming/overlay`. */
  overlaySocket(): Promise<TestSocket>;
  /** Resolves when no outbox row is pending and no job is waiting or running. */
  drain(): Promise<void>;
  /**
   * The SQL MikroORM would run to make the migrated database match the loaded entities: empty
   * when a plugin's migrations and entities agree (assert it in your plugin's tests).
   */
  schemaDiff(): Promise<string>;
  /** Stop the kernel, close the clients, drop the test database and delete its Redis keys (a kernel started with `shareWith` leaves both to the first). */
  stop(): Promise<void>;
  /** The kernel itself, for kernel tests. */
  readonly kernel: Kernel;
}

/** Anything with socket.io-style `on`/`off` (typed sockets included). */
export interface Listenable {
  on(event: any, listener: any): unknown;
  off(event: any, listener: any): unknown;
}

export interface NextEventOptions<T> {
  /** Skip events until one matches (broadcasts may arrive late, e.g. through Redis). */
  match?: (payload: T) => boolean;
  /** Default 10 s. */
  timeoutMs?: number;
}

type KernelSocketEvents = SocketEventMap<typeof kernelEvents>;

/**
 * Wait for the next `event` on a socket (the next matching one, with `match`). Rejects after
 * the timeout, so a missing event fails the test with its name instead of hanging it. Given a
 * ref (or a kernel event name), the payload is typed.
 */
export function nextEvent<R extends SocketEventRef>(socket: Listenable, event: R, options?: number | NextEventOptions<PayloadOf<R>>): Promise<PayloadOf<R>>;
export function nextEvent<E extends keyof KernelSocketEvents>(
  socket: Listenable,
  event: E,
  options?: number | NextEventOptions<KernelSocketEvents[E]>,
): Promise<KernelSocketEvents[E]>;
export function nextEvent<T = any>(socket: Listenable, event: string, options?: number | NextEventOptions<T>): Promise<T>;
export function nextEvent(socket: Listenable, event: string | SocketEventRef, options: number | NextEventOptions<unknown> = {}): Promise<unknown> {
  const name = typeof event === 'string' ? event : event.name;
  const { match, timeoutMs = 10_000 } = typeof options === 'number' ? { timeoutMs: options } : options;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(name, onEvent);
      reject(new Error(`no ${match ? 'matching ' : ''}"${name}" event within ${timeoutMs} ms`));
    }, timeoutMs);
    const onEvent = (payload: unknown) => {
      if (match && !match(payload)) return;
      clearTimeout(timer);
      socket.off(name, onEvent);
      resolve(payload);
    };
    socket.on(name, onEvent);
  });
}
