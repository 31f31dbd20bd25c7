import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import cors from '@koa/cors';
import type Router from '@koa/router';
import { Problem } from '@streaming-companion/sdk';
import Koa from 'koa';
import { koaBody } from 'koa-body';
import type { Foreground } from '../jobs/foreground.ts';
import type { PinoLogger } from '../logger.ts';
import { problemBody } from './problem.ts';

export interface AppOptions {
  log: PinoLogger;
  corsOrigins: string[];
  /** Believe X-Forwarded-For: only behind a proxy that overwrites it, else clients pick their own address (and rate-limit key). */
  trustProxy: boolean;
  routers: Router[];
  /** Counts requests in flight, for background work to step aside. */
  foreground: Foreground;
}

const REQUEST_ID = /^[\w.-]{8,128}$/;

/** The Koa app: request ids and logs, problem+json errors, CORS, JSON bodies, then the routers. */
export function createHttpApp(options: AppOptions): Koa {
  const app = new Koa({ proxy: options.trustProxy, maxIpsCount: 1 });
  app.use((_ctx, next) => options.foreground.serve(next));
  app.use(async (ctx, next) => {
    const incoming = ctx.get('x-request-id');
    const requestId = REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
    const log = options.log.child({ reqId: requestId });
    ctx.state.requestId = requestId;
    ctx.state.log = log;
    ctx.set('x-request-id', requestId);
    // Every answer, API, pages and errors alike: a browser takes it as the type it says it is.
    ctx.set('x-content-type-options', 'nosniff');
    const started = performance.now();
    try {
      await next();
      if (ctx.body == null) throwIfUnanswered(ctx);
    } catch (error) {
      const problem = toProblem(error);
      // A failure nobody meant is an error with its stack. A 5xx answered on purpose (503 while a
      // dependency is down) is a warning; a 501 (TRACE, PROPFIND…) is the client's, and its request line says enough.
      if (problem.status >= 500 && problem.status !== 501) {
        if (error instanceof Problem) log.warn({ code: problem.code, detail: problem.detail }, 'request answered with a server-side problem');
        else log.error({ err: error }, 'request failed');
      }
      ctx.status = problem.status;
      ctx.type = 'application/problem+json';
      ctx.body = problemBody(problem, requestId);
      const retryAfter = problem.extra.retryAfterSeconds;
      if (typeof retryAfter === 'number') ctx.set('retry-after', String(retryAfter));
    } finally {
      log.info({ method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(performance.now() - started) }, 'request');
    }
  });
  if (options.corsOrigins.length) {
    const allowed = new Set(options.corsOrigins);
    app.use(
      cors({
        origin: (ctx) => {
          const origin = ctx.get('origin');
          return allowed.has('*') || allowed.has(origin) ? origin : '';
        },
        exposeHeaders: ['x-request-id', 'retry-after'],
      }),
    );
  }
  app.use(koaBody({ json: true, multipart: false, urlencoded: false, text: false, jsonLimit: '100kb', jsonStrict: true, onError: refuseUnreadableBody }));
  for (const router of options.routers) {
    app.use(router.routes());
    // Not `throw: true`: what it throws carries no Allow header. It sets the status and Allow; `throwIfUnanswered` words it.
    app.use(router.allowedMethods());
  }
  return app;
}

/**
 * A request no route answered, as a problem: 404 for a path nobody serves, 405 for a method
 * the path does not take (the router has set `Allow`), 501 for a method no route takes at all.
 */
function throwIfUnanswered(ctx: Koa.Context): void {
  if (ctx.status === 404) throw new Problem(404, 'route_not_found', `no route for ${ctx.method} ${ctx.path}`);
  if (ctx.status !== 405 && ctx.status !== 501) return;
  const allowed = ctx.response.get('allow');
  if (!allowed) ctx.remove('allow');
  if (ctx.status === 405) throw new Problem(405, 'method_not_allowed', `${ctx.path} does not take ${ctx.method}; it takes ${allowed}`);
  throw new Problem(501, 'method_not_implemented', `this server does not implement ${ctx.method}`);
}

/**
 * The HTTP server's `clientError`: what Node's parser refuses before Koa sees it (a request line
 * or headers over its 16 KB limit, a request that is not HTTP) answered as a problem like every
 * other refusal, instead of Node's bare status line.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  // As Node does: answer only while no response of this connection has started (a second answer would corrupt it).
  const inFlight = (socket as Duplex & { _httpMessage?: { _headerSent?: boolean } })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || inFlight?._headerSent) {
    socket.destroy();
    return;
  }
  const problem =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? new Problem(431, 'headers_too_large', 'the request line and headers together exceed the server limit (16 KB); send less in the URL and headers')
      : error.code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW'
        ? new Problem(413, 'body_too_large', 'the chunk extensions exceed the server limit')
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? new Problem(408, 'request_timeout', 'the request did not arrive in time')
          : new Problem(400, 'bad_request', 'the request is not valid HTTP/1.1');
  const body = JSON.stringify(problemBody(problem));
  socket.end(
    `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * A body that cannot be read is the request's fault. The parser's own refusals (bad JSON 400, too
 * large 413, unknown Content-Encoding 415) keep their status; what it throws without one (a body
 * that says `Content-Encoding: gzip` and is not gzip fails in zlib) is a 400 too, never a 500.
 */
function refuseUnreadableBody(error: Error): never {
  const status = (error as { status?: unknown }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) throw error;
  throw new Problem(400, 'bad_request', 'body: could not be decoded as its Content-Encoding says');
}

/** Anything thrown becomes a problem; only our own `Problem`s and HTTP client errors keep their words. */
function toProblem(error: unknown): Problem {
  if (error instanceof Problem) return error;
  const status = (error as { status?: unknown }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const message = (error as { expose?: boolean; message?: string }).expose ? String((error as Error).message) : 'bad request';
    const code = status === 405 ? 'method_not_allowed' : status === 413 ? 'body_too_large' : status === 415 ? 'unsupported_media_type' : 'bad_request';
    return new Problem(status, code, status === 400 && /JSON/i.test(message) ? `body: ${message}` : message);
  }
  if (status === 501) return new Problem(501, 'method_not_implemented', 'this server does not implement that method');
  return new Problem(500, 'internal_error', 'something went wrong on our side; the request id identifies it in the logs');
}
