import type { EntityManager } from '@mikro-orm/sql';
import type { z } from 'zod';
import type { CreatorIdentity, Logger } from './context-types.ts';

export type RouteAuth = 'creator' | 'public';
type AnyZod = z.ZodType;
type Infer<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteSpec<P extends AnyZod | undefined, Q extends AnyZod | undefined, B extends AnyZod | undefined, R extends AnyZod | undefined> {
  auth: RouteAuth;
  summary?: string;
  description?: string;
  tags?: string[];
  params?: P;
  query?: Q;
  body?: B;
  /** Response schema: documents the route and is checked in development and tests. */
  response?: R;
  /** Success status; 200 unless set. */
  status?: number;
  /** Response media type; JSON unless set (a string body is sent as is, e.g. CSV). */
  contentType?: string;
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

export interface HttpRequest<P, Q, B, A extends RouteAuth> {
  params: P;
  query: Q;
  body: B;
  headers: Record<string, string | string[] | undefined>;
  /** The calling creator; present on every `auth: 'creator'` route. */
  creator: A extends 'creator' ? CreatorIdentity : CreatorIdentity | null;
  requestId: string;
  ip: string;
  /** An entity manager forked for this request. */
  em: EntityManager;
  log: Logger;
  /** Set a different success status or a header on the reply (e.g. 200 for an idempotent replay). */
  reply: { status(code: number): void; header(name: string, value: string): void };
}

export type RouteHandler<P, Q, B, R, A extends RouteAuth> = (req: HttpRequest<P, Q, B, A>) => Promise<R> | R;

type RouteMethod = <
  A extends RouteAuth,
  P extends AnyZod | undefined = undefined,
  Q extends AnyZod | undefined = undefined,
  B extends AnyZod | undefined = undefined,
  R extends AnyZod | undefined = undefined,
>(
  path: string,
  spec: RouteSpec<P, Q, B, R> & { auth: A },
  handler: RouteHandler<Infer<P>, Infer<Q>, Infer<B>, R extends z.ZodType ? z.input<R> : unknown, A>,
) => void;

export interface HttpRegistrar {
  get: RouteMethod;
  post: RouteMethod;
  put: RouteMethod;
  patch: RouteMethod;
  delete: RouteMethod;
}

