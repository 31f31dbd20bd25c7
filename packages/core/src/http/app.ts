import cors from '@koa/cors';
import type Router from '@koa/router';
import { Problem } from '@streaming-companion/sdk';
import Koa from 'koa';
import { koaBody } from 'koa-body';
import type { PinoLogger } from '../logger.ts';
import { problemBody } from './problem.ts';

export interface AppOptions {
  log: PinoLogger;
  corsOrigins: string[];
  /** Believe X-Forwarded-For: only behind a proxy that overwrites it, else clients pick their own address (and rate-limit key). */
  trustProxy: boolean;
  routers: Router[];
}

const REQUEST_ID = /^[\w.-]{8,128}$/;

/** The Koa app: request ids and logs, problem+json errors, CORS, JSON bodies, then the routers. */
export function createHttpApp(options: AppOptions): Koa {
  const app = new Koa({ proxy: options.trustProxy, maxIpsCount: 1 });
  app.use(async (ctx, next) => {
    const incoming = ctx.get('x-request-id');
    const requestId = REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
    const log = options.log.child({ reqId: requestId });
    ctx.state.requestId = requestId;
    ctx.state.log = log;
    ctx.set('x-request-id', requestId);
    const started = performance.now();
    try {
      await next();
      if (ctx.status === 404 && ctx.body == null) throw new Problem(404, 'route_not_found', `no route for ${ctx.method} ${ctx.path}`);
    } catch (error) {
      const problem = toProblem(error);
      if (problem.status >= 500) log.error({ err: error }, 'request failed');
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
  app.use(koaBody({ json: true, multipart: false, urlencoded: false, text: false, jsonLimit: '100kb', jsonStrict: true }));
  for (const router of options.routers) {
    app.use(router.routes());
    app.use(router.allowedMethods({ throw: true }));
  }
  return app;
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
  return new Problem(500, 'internal_error', 'something went wrong on our side; the request id identifies it in the logs');
}
