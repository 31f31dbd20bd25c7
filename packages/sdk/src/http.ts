import type { EntityManager } from '@mikro-orm/sql';
import type { z } from 'zod';
import type { CreatorIdentity, Logger } from './context-types.ts';

/** Who may call a route: `creator` needs a signed-in creator (who is `req.creator`); `public`, anyone. */
export type RouteAuth = 'creator' | 'public';
type AnyZod = z.ZodType;
type Infer<S> = S extends z.ZodType ? z.output<S> : undefined;

/** A route that takes a file as its raw body (not JSON), with its media type as the `Content-Type`. */
export interface UploadSpec {
  /** A larger body is refused with 413 naming `body`; reading stops at the limit. */
  maxBytes: number;
  /** The `Content-Type`s taken (without parameters); any other is refused with 415 naming `Content-Type`. */
  mediaTypes: readonly string[];
}

/** The file an `upload` route was sent. */
export interface UploadedBody {
  bytes: Uint8Array;
  /** The request's `Content-Type`, lowercased, parameters dropped: one of the route's `mediaTypes`. */
  mediaType: string;
}

/** How a route is declared: who may call it, zod schemas for what it takes and answers, and its OpenAPI text. */
export interface RouteSpec<P extends AnyZod | undefined, Q extends AnyZod | undefined, B extends AnyZod | undefined, R extends AnyZod | undefined> {
  auth: RouteAuth;
  summary?: string;
  description?: string;
  tags?: string[];
  params?: P;
  query?: Q;
  body?: B;
  /** Take the raw body as a file (`req.upload`) instead of JSON; not with `body`. */
  upload?: UploadSpec;
  /** Response schema: documents the route and is checked in development and tests. */
  response?: R;
  /** Success status; 200 unless set. */
  status?: number;
  /**
   * Response media type; JSON unless set (a string body is sent as is, e.g. CSV). With several
   * (a file route), the handler names the one it answers with: `reply.header('content-type', …)`.
   */
  contentType?: string | readonly string[];
  /**
   * At most `requests` per `windowSeconds` from one client address; more answer 429 with
   * `Retry-After`. Counted in Redis when it is configured, so across every instance.
   */
  rateLimit?: { requests: number; windowSeconds: number };
  /** Tag a successful JSON answer with an ETag of its body, and answer 304 to a request that already has it. */
  etag?: boolean;
  /** `Cache-Control` on a successful answer, e.g. `public, max-age=30`. */
  cacheControl?: string;
}

/** What a route's handler receives: the parsed params, query and body, the caller, and an entity manager of its own. */
export interface HttpRequest<P, Q, B, A extends RouteAuth, U extends UploadedBody | undefined = undefined> {
  params: P;
  query: Q;
  body: B;
  /** The file, on a route with `upload`. */
  upload: U;
  headers: Record<string, string | string[] | undefined>;
  /** The calling creator; present on every `auth: 'creator'` route. */
  creator: A extends 'creator' ? CreatorIdentity : CreatorIdentity | null;
  requestId: string;
  ip: string;
  /** An entity manager forked for this request. */
  em: EntityManager;
  log: Logger;
  /** Set a different success status or a header on the reply (e.g. 200 for an idempotent replay). */
  reply: {
    /** Answer with this status instead of the route's. */
    status(code: number): void;
    /** Set a header on the answer. */
    header(name: string, value: string): void;
  };
}

/** A route's handler: what it returns is the answer's body (checked against `response` in development and tests); a thrown `Problem` is a 4xx. */
export type RouteHandler<P, Q, B, R, A extends RouteAuth, U extends UploadedBody | undefined = undefined> = (req: HttpRequest<P, Q, B, A, U>) => Promise<R> | R;

/**
 * Registers a route: its path (Koa style, `/api/goals/:id`), its spec, and the handler, typed
 * from the spec's schemas. A path another plugin already registered for the method stops boot.
 */
export type RouteMethod = <
  A extends RouteAuth,
  P extends AnyZod | undefined = undefined,
  Q extends AnyZod | undefined = undefined,
  B extends AnyZod | undefined = undefined,
  R extends AnyZod | undefined = undefined,
  U extends UploadSpec | undefined = undefined,
>(
  path: string,
  spec: RouteSpec<P, Q, B, R> & { auth: A; upload?: U },
  handler: RouteHandler<Infer<P>, Infer<Q>, Infer<B>, R extends z.ZodType ? z.input<R> : unknown, A, U extends UploadSpec ? UploadedBody : undefined>,
) => void;

/** `ctx.http`: a plugin's routes, one method per HTTP verb; each route is in the OpenAPI document at `/api/docs`. */
export interface HttpRegistrar {
  get: RouteMethod;
  post: RouteMethod;
  put: RouteMethod;
  patch: RouteMethod;
  delete: RouteMethod;
}

