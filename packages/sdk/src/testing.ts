import type { Socket } from 'socket.io-client';
import type { ServerToClientListeners } from './client/live-connection.ts';
import type { ServerToClientEvents } from './domain.ts';
import type { Plugin } from './plugin.ts';

export type { ServerToClientListeners } from './client/live-connection.ts';

/**
 * The test kit: boots a real kernel (embedded PGlite, or Postgres and Redis when
 * DATABASE_URL / REDIS_URL are set, each test kernel on a database of its own) with
 * your plugins, and hands you clients for it. Needs `@streaming-companion/core`
 * installed as a dev dependency.
 */
export interface TestKernelOptions {
  plugins?: Plugin[];
  /** Per plugin id, validated by each plugin's config schema. */
  pluginConfig?: Record<string, unknown>;
  /** Environment variables on top of the test defaults (e.g. `{ AUTH_MODE: 'sso', SSO_URL }`). */
  env?: Record<string, string>;
  /** Boot a second instance on the same database and Redis (multi-instance tests). */
  shareWith?: TestKernel;
  /** Override login rate limits (attempts per window). */
  loginLimits?: { perAccount: number; perAddress: number; windowSeconds: number };
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


export type TestSocket = Socket<ServerToClientListeners, Record<string, (...args: any[]) => void>>;

export interface TestKernel {
  url: string;
  http: TestHttpClient;
  /** Sign up a fresh creator and return their login token. */
  createCreator(input?: { email?: string; password?: string; displayName?: string }): Promise<TestCreator>;
  /** A connected client on `/streaming`, authenticated with `token`. */
  socket(token: string): Promise<TestSocket>;
  /** A connected client on `/streaming/overlay`. */
  overlaySocket(): Promise<TestSocket>;
  /** Resolves when no domain event is pending and no job is waiting or running. */
  drain(): Promise<void>;
  /** Stop the kernel, close the clients, and drop the test database. */
  stop(): Promise<void>;
  /** Internals for kernel tests (the core `Kernel`). */
  readonly kernel: unknown;
}

export async function startTestKernel(options: TestKernelOptions = {}): Promise<TestKernel> {
  const core = (await import('@streaming-companion/core/testing' as string)) as { startTestKernel(o: TestKernelOptions): Promise<TestKernel> };
  return core.startTestKernel(options);
}

/** Anything with socket.io-style `once`/`off` (typed sockets included). */
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

/**
 * Wait for the next `event` on a socket (the next matching one, with `match`). Rejects after
 * the timeout, so a missing event fails the test with its name instead of hanging it. Known
 * events resolve to their typed payload.
 */
export function nextEvent<E extends keyof ServerToClientEvents>(
  socket: Listenable,
  event: E,
  options?: number | NextEventOptions<ServerToClientEvents[E]>,
): Promise<ServerToClientEvents[E]>;
export function nextEvent<T = unknown>(socket: Listenable, event: string, options?: number | NextEventOptions<T>): Promise<T>;
export function nextEvent(socket: Listenable, event: string, options: number | NextEventOptions<unknown> = {}): Promise<unknown> {
  const { match, timeoutMs = 10_000 } = typeof options === 'number' ? { timeoutMs: options } : options;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, onEvent);
      reject(new Error(`no ${match ? 'matching ' : ''}"${event}" event within ${timeoutMs} ms`));
    }, timeoutMs);
    const onEvent = (payload: unknown) => {
      if (match && !match(payload)) return;
      clearTimeout(timer);
      socket.off(event, onEvent);
      resolve(payload);
    };
    socket.on(event, onEvent);
  });
}
