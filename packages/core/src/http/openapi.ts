import { readFile } from 'node:fs/promises';
import { STATUS_CODES } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Router from '@koa/router';
import type { UploadSpec } from '@streaming-companion/sdk';
import { z } from 'zod';
import {
  createDocument,
  type CreateDocumentOptions,
  type ZodOpenApiOperationObject,
  type ZodOpenApiParameters,
  type ZodOpenApiRequestBodyObject,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponseObject,
  type ZodOpenApiResponsesObject,
  type ZodObjectInput,
} from 'zod-openapi';
import type { ProblemBody } from './problem.ts';
import type { RouteRecord } from './route-registry.ts';

const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** `ProblemBody` as a schema; loose because a problem may carry extra members (e.g. `retryAfterSeconds`). */
const ProblemSchema = z
  .looseObject({
    type: z.url().meta({ example: 'https://streaming-companion.dev/problems/validation_failed' }),
    title: z.string().meta({ example: 'Bad Request' }),
    status: z.int().min(400).max(599).meta({ example: 400 }),
    detail: z.string(),
    code: z.string().meta({ description: 'Stable machine-readable error code', example: 'validation_failed' }),
    instance: z.string().optional().meta({ description: 'Identifies the request in the server logs', example: 'urn:request:6f1c…' }),
    errors: z
      .array(
        z.object({
          field: z.string().meta({ example: 'body.amountCents' }),
          rule: z.string().meta({ example: 'too_small' }),
          message: z.string(),
        }),
      )
      .optional()
      .meta({ description: 'One entry per field that broke a rule' }),
  })
  .meta({ id: 'Problem', description: 'An RFC 9457 problem detail; every 4xx and 5xx answer is one.' }) satisfies z.ZodType<ProblemBody>;

const problemResponse = (description: string): ZodOpenApiResponseObject => ({
  description,
  content: { [PROBLEM_MEDIA_TYPE]: { schema: ProblemSchema } },
});

const ref = (name: string) => ({ $ref: `#/components/responses/${name}` });

const DOCUMENT_OPTIONS: CreateDocumentOptions = {
  // A field computed by a transform (or a z.custom) has no JSON Schema of its own: document it as
  // "any value" instead of refusing to build the whole document over one route.
  allowEmptySchema: { transform: true, pipe: { output: true }, custom: true },
};

/** An OpenAPI 3.1 document of every registered route. Request schemas are rendered as inputs, responses as outputs. */
export function buildOpenApiDocument(routes: RouteRecord[], info: { title: string; version: string }): object {
  const operationIds = assignOperationIds(routes);
  const paths: ZodOpenApiPathsObject = {};
  for (const route of routes) {
    const item = (paths[toOpenApiPath(route.path)] ??= {});
    item[route.method] = operation(route, operationIds.get(route)!);
  }
  return createDocument(
    {
      openapi: '3.1.0',
      info,
      paths,
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'A creator access token: `Authorization: Bearer <token>`' },
        },
        responses: {
          BadRequest: problemResponse('The request is malformed or breaks a rule; `errors` names each offending field'),
          Unauthorized: problemResponse('The bearer token is missing, invalid, expired or revoked'),
          Error: problemResponse('Any other failure, as a problem'),
        },
      },
    },
    DOCUMENT_OPTIONS,
  );
}

function operation(route: RouteRecord, operationId: string): ZodOpenApiOperationObject {
  const { spec } = route;
  const requestParams: ZodOpenApiParameters = {};
  const path = spec.params && objectShaped(spec.params);
  const query = spec.query && objectShaped(spec.query);
  if (path) requestParams.path = path;
  if (query) requestParams.query = query;
  // OpenAPI requires every templated path segment to be declared, schema or not.
  const untyped = path ? [] : pathParamNames(route.path).map((name) => ({ name, in: 'path' as const, required: true, schema: { type: 'string' as const } }));
  const responses: Record<string, ZodOpenApiResponseObject | { $ref: string }> = { [spec.status ?? 200]: success(route) };
  if (spec.params || spec.query || spec.body || spec.upload) responses['400'] = ref('BadRequest');
  if (spec.auth === 'creator') responses['401'] = ref('Unauthorized');
  if (spec.upload) {
    responses['413'] = problemResponse(`The file is over ${spec.upload.maxBytes} bytes`);
    responses['415'] = problemResponse('The `Content-Type` is not one this route takes');
  }
  responses.default = ref('Error');
  return {
    operationId,
    tags: spec.tags?.length ? spec.tags : [route.owner],
    ...(spec.summary ? { summary: spec.summary } : {}),
    ...(spec.description ? { description: spec.description } : {}),
    ...(path || query ? { requestParams } : {}),
    ...(untyped.length ? { parameters: untyped } : {}),
    ...(spec.body ? { requestBody: { required: !acceptsUndefined(spec.body), content: { 'application/json': { schema: spec.body } } } } : {}),
    ...(spec.upload ? { requestBody: uploadBody(spec.upload) } : {}),
    responses: responses as ZodOpenApiResponsesObject,
    ...(spec.auth === 'creator' ? { security: [{ bearerAuth: [] }] } : {}),
  };
}

/** The file as the raw body, under each media type it may have. */
function uploadBody(upload: UploadSpec): ZodOpenApiRequestBodyObject {
  const file = { schema: { type: 'string' as const, format: 'binary' } };
  return {
    required: true,
    description: `The file itself, at most ${upload.maxBytes} bytes, with its media type as the \`Content-Type\``,
    content: Object.fromEntries(upload.mediaTypes.map((mediaType) => [mediaType, file])),
  };
}

function success(route: RouteRecord): ZodOpenApiResponseObject {
  const status = route.spec.status ?? 200;
  const description = STATUS_CODES[status] ?? 'Success';
  if (status === 204) return { description };
  const { contentType, response } = route.spec;
  const schema = response ?? (contentType ? { type: 'string' as const } : undefined);
  const mediaTypes = typeof contentType === 'string' ? [contentType] : (contentType ?? ['application/json']);
  return schema ? { description, content: Object.fromEntries(mediaTypes.map((mediaType) => [mediaType, { schema }])) } : { description };
}

/**
 * The object whose fields become parameters. zod-openapi looks through pipes, but not through wrappers
 * (`.default({})`), nor `z.preprocess`. Anything not object-shaped (a union) is left undocumented rather
 * than failing the whole document.
 */
function objectShaped(schema: z.ZodType): ZodObjectInput | undefined {
  const def = schema._zod.def as { type: string; innerType?: z.ZodType; in?: z.ZodType; out?: z.ZodType; getter?: () => z.ZodType };
  if (def.type === 'object') return schema as ZodObjectInput;
  if (def.type === 'pipe') return objectShaped(def.in!._zod.def.type === 'transform' ? def.out! : def.in!);
  if (def.type === 'lazy') return objectShaped(def.getter!());
  return def.innerType ? objectShaped(def.innerType) : undefined;
}

/** Mirrors how the route runs: a missing body is parsed as `undefined`. */
function acceptsUndefined(schema: z.ZodType): boolean {
  try {
    return schema.safeParse(undefined).success;
  } catch {
    // A transform that throws on `undefined` was only reached because the schema accepted it.
    return true;
  }
}

const PATH_PARAM = /:(\w+)/g;

function toOpenApiPath(path: string): string {
  return path.replace(PATH_PARAM, '{$1}');
}

function pathParamNames(path: string): string[] {
  return [...path.matchAll(PATH_PARAM)].map((m) => m[1]!);
}

/**
 * `get /api/things/:id` → `getApiThingsById`. Distinct paths can still collide (`/a-b`, `/a_b`), so ids are
 * handed out in path order, not registration order, and a clash gets a numeric suffix: the same routes always
 * get the same ids, which generated clients depend on.
 */
function assignOperationIds(routes: RouteRecord[]): Map<RouteRecord, string> {
  const ids = new Map<RouteRecord, string>();
  const taken = new Set<string>();
  const ordered = [...routes].sort((a, b) => compare(a.path, b.path) || compare(a.method, b.method));
  for (const route of ordered) {
    const base = camelCase([route.method, ...route.path.split('/').map((s) => (s.startsWith(':') ? `by ${s.slice(1)}` : s))]);
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}${n}`;
    taken.add(id);
    ids.set(route, id);
  }
  return ids;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function camelCase(parts: string[]): string {
  const words = parts.flatMap((p) => p.split(/[^A-Za-z0-9]+/)).filter(Boolean);
  return words.map((w, i) => (i === 0 ? w.toLowerCase() : w[0]!.toUpperCase() + w.slice(1))).join('');
}

// ---------- Swagger UI ----------

const DOCS = '/api/docs';
const ASSETS_PATH = `${DOCS}/assets`;

const swaggerUiDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/** The only names served under /api/docs/assets: a lookup, never a path join on user input. */
const ASSETS = new Map<string, { type: string; load: () => Promise<Buffer | string> }>([
  ...['swagger-ui.css', 'index.css', 'swagger-ui-bundle.js', 'favicon-32x32.png', 'favicon-16x16.png'].map(
    (name) => [name, { type: name.slice(name.lastIndexOf('.')), load: () => readFile(join(swaggerUiDir, name)) }] as const,
  ),
  // Kept out of the page so a CSP without 'unsafe-inline' scripts still works.
  ['init.js', { type: '.js', load: async () => initScript() }],
]);

function initScript(): string {
  return `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: ${JSON.stringify(`${DOCS}/openapi.json`)},
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
});
`;
}

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>API documentation</title>
    <link rel="stylesheet" href="${ASSETS_PATH}/swagger-ui.css">
    <link rel="stylesheet" href="${ASSETS_PATH}/index.css">
    <link rel="icon" type="image/png" href="${ASSETS_PATH}/favicon-32x32.png" sizes="32x32">
    <link rel="icon" type="image/png" href="${ASSETS_PATH}/favicon-16x16.png" sizes="16x16">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="${ASSETS_PATH}/swagger-ui-bundle.js"></script>
    <script src="${ASSETS_PATH}/init.js"></script>
  </body>
</html>
`;

/** `GET /api/docs` (Swagger UI, served from swagger-ui-dist, no CDN) and `GET /api/docs/openapi.json`. */
export function openApiRoutes(getDocument: () => object): Router {
  let json: string | undefined;
  const loaded = new Map<string, Buffer | string>();
  const router = new Router();
  router.get(`${DOCS}/openapi.json`, (ctx) => {
    // Routes are all registered before the server listens, so the first build is the final one.
    json ??= JSON.stringify(getDocument());
    ctx.type = 'json';
    ctx.body = json;
  });
  router.get(DOCS, (ctx) => {
    ctx.type = 'html';
    ctx.body = PAGE;
  });
  router.get(`${ASSETS_PATH}/:name`, async (ctx) => {
    const name = ctx.params.name!;
    const asset = ASSETS.get(name);
    if (!asset) return;
    let body = loaded.get(name);
    if (body === undefined) loaded.set(name, (body = await asset.load()));
    ctx.type = asset.type;
    ctx.set('cache-control', 'public, max-age=3600');
    ctx.set('x-content-type-options', 'nosniff');
    ctx.body = body;
  });
  return router;
}
