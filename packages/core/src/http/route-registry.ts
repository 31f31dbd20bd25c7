import { hash } from 'node:crypto';
import Router from '@koa/router';
import type { EntityManager } from '@mikro-orm/sql';
import { Problem, type CreatorIdentity, type HttpRegistrar, type Logger, type ProblemFieldError, type RouteSpec } from '@streaming-companion/sdk';
import type { Context } from 'koa';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { z } from 'zod';
import { unstorableTextFaults } from './unstorable-text.ts';
import { fieldErrors, fieldsProblem } from './problem.ts';
import { consumeOrRefuse } from './rate-limit.ts';
import { readUpload } from './upload-body.ts';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Everything known about one route: mounts it on Koa and feeds the OpenAPI document. */
export interface RouteRecord {
  method: HttpMethod;
  path: string;
  spec: RouteSpec<z.ZodType | undefined, z.ZodType | undefined, z.ZodType | undefined, z.ZodType | undefined>;
  /** Plugin id, or `core`. */
  owner: string;
  handler: (req: any) => unknown;
}

export interface Authenticator {
  /** The creator a bearer token belongs to, or null when it is unknown, expired or revoked. */
  authenticate(token: string): Promise<CreatorIdentity | null>;
}

export interface RouteDependencies {
  authenticator: Authenticator;
  forkEm(): EntityManager;
  /** Check handler output against `spec.response` (development and tests). */
  validateResponses: boolean;
  /** A limiter for a route's `rateLimit` (one per route, keyed by client address). */
  rateLimiter(keyPrefix: string, points: number, windowSeconds: number): RateLimiterAbstract;
}

export class RouteRegistry {
  readonly routes: RouteRecord[] = [];

  /** The registrar a plugin (or kernel module) gets: same routes table, tagged with its owner. */
  registrar(owner: string): HttpRegistrar {
    const add = (method: HttpMethod) => (path: string, spec: RouteRecord['spec'], handler: RouteRecord['handler']) => {
      if (!path.startsWith('/')) throw new Error(`${owner}: route path "${path}" must start with /`);
      const clash = this.routes.find((r) => r.method === method && r.path === path);
      if (clash) throw new Error(`${owner}: route ${method.toUpperCase()} ${path} is already registered by ${clash.owner}`);
      if (spec.upload && spec.body) throw new Error(`${owner}: route ${method.toUpperCase()} ${path} takes an upload, so it cannot also take a JSON body`);
      this.routes.push({ method, path, spec, owner, handler });
    };
    return {
      get: add('get'),
      post: add('post'),
      put: add('put'),
      patch: add('patch'),
      delete: add('delete'),
    } as HttpRegistrar;
  }

  /** Build the Koa router. Static routes are mounted before parameterised ones so `/active` beats `/:id`. */
  buildRouter(deps: RouteDependencies): Router {
    const router = new Router();
    const ordered = [...this.routes].sort((a, b) => paramCount(a.path) - paramCount(b.path));
    for (const route of ordered) {
      const { rateLimit } = route.spec;
      const limiter = rateLimit ? deps.rateLimiter(`route:${route.method}:${route.path}`, rateLimit.requests, rateLimit.windowSeconds) : undefined;
      router[route.method](route.path, (ctx) => runRoute(route, ctx, deps, limiter));
    }
    return router;
  }
}

function paramCount(path: string): number {
  return (path.match(/:/g) ?? []).length;
}

async function runRoute(route: RouteRecord, ctx: Context, deps: RouteDependencies, limiter?: RateLimiterAbstract): Promise<void> {
  const { spec } = route;
  const creator = await resolveCreator(ctx, deps.authenticator, spec.auth === 'creator');
  // Counted once the caller is known: a request with no valid token is a 401 whatever the route's budget.
  if (limiter) await consumeOrRefuse(limiter, ctx.ip, 'rate_limited', 'requests');
  // Every location is checked before answering, so one reply names every bad field.
  const faults: ProblemFieldError[] = [];
  const params = parse(spec.params, ctx.params, 'params', faults);
  const query = parse(spec.query, ctx.query, 'query', faults);
  const body = parse(spec.body, (ctx.request as { body?: unknown }).body, 'body', faults);
  if (faults.length) throw fieldsProblem(faults);
  const upload = spec.upload && (await readUpload(ctx, spec.upload));
  let status = spec.status ?? 200;
  const result = await route.handler({
    params,
    query,
    body,
    upload,
    headers: ctx.headers,
    creator,
    requestId: ctx.state.requestId as string,
    ip: ctx.ip,
    em: deps.forkEm(),
    log: ctx.state.log as Logger,
    reply: {
      status: (code: number) => {
        status = code;
      },
      header: (name: string, value: string) => ctx.set(name, value),
    },
  });
  if (deps.validateResponses && spec.response) {
    const checked = spec.response.safeParse(result);
    if (!checked.success) {
      (ctx.state.log as Logger).error({ route: `${route.method} ${route.path}`, issues: checked.error.issues }, 'response does not match its schema');
      throw new Error(`response of ${route.method.toUpperCase()} ${route.path} does not match its schema`);
    }
  }
  ctx.status = status;
  if (status === 204) return;
  if (spec.cacheControl) ctx.set('cache-control', spec.cacheControl);
  if (typeof spec.contentType === 'string') ctx.type = spec.contentType;
  if (spec.etag && notModified(ctx, result)) return;
  ctx.body = result ?? null;
}

/** Tag the answer with a weak ETag of its JSON; true (and 304, no body) when the client already has it. */
function notModified(ctx: Context, result: unknown): boolean {
  const etag = `W/"${hash('sha256', JSON.stringify(result ?? null), 'base64url').slice(0, 27)}"`;
  ctx.set('etag', etag);
  const known = ctx.get('if-none-match').split(',').map((tag) => tag.trim());
  if (!known.includes(etag) && !known.includes('*')) return false;
  ctx.status = 304;
  return true;
}

function parse(schema: z.ZodType | undefined, input: unknown, location: string, faults: ProblemFieldError[]): unknown {
  if (!schema) return undefined;
  const parsed = schema.safeParse(input ?? (location === 'body' ? undefined : {}));
  if (!parsed.success) faults.push(...fieldErrors(parsed.error, location));
  else faults.push(...unstorableTextFaults(parsed.data, location));
  return parsed.success ? parsed.data : undefined;
}

/** Public routes ignore a bad token rather than refusing a viewer's request over it. */
async function resolveCreator(ctx: Context, authenticator: Authenticator, required: boolean): Promise<CreatorIdentity | null> {
  const match = /^Bearer\s+(\S+)$/i.exec(ctx.get('authorization'));
  const creator = match ? await authenticator.authenticate(match[1]!) : null;
  if (creator || !required) return creator;
  throw new Problem(
    401,
    'unauthorized',
    match ? 'the bearer token is invalid, expired or revoked' : 'a bearer token is required (Authorization: Bearer <token>)',
  );
}
