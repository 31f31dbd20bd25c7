import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildOpenApiDocument, openApiRoutes } from '../src/http/openapi.ts';
import { RouteRegistry } from '../src/http/route-registry.ts';

// The document is plain JSON; these are just enough shape to read it in assertions.
type Json = any;

const Thing = z
  .object({
    id: z.uuid(),
    name: z.string(),
    kind: z.enum(['performance', 'request']),
    priceCents: z.int(),
    note: z.string().nullable(),
  })
  .meta({ id: 'Thing' });

const aThing = (): z.input<typeof Thing> => ({ id: crypto.randomUUID(), name: 'x', kind: 'request', priceCents: 1, note: null });

function registry(): RouteRegistry {
  const routes = new RouteRegistry();
  const core = routes.registrar('core');
  core.post(
    '/api/things',
    {
      auth: 'creator',
      summary: 'Create a thing',
      tags: ['things'],
      status: 201,
      body: z
        .object({
          name: z.string().trim().min(1).max(80),
          kind: z.enum(['performance', 'request']),
          priceCents: z.int().min(1),
          note: z.string().max(200).optional(),
          emoji: z.string().optional().transform((e) => e ?? '✨'),
        })
        .transform((b) => ({ ...b, name: b.name.normalize() })),
      response: Thing,
    },
    () => aThing(),
  );
  core.get(
    '/api/things',
    {
      auth: 'creator',
      tags: ['things'],
      query: z.object({
        page: z.coerce.number().int().min(1).default(1),
        pageSize: z.coerce.number().int().min(1).max(100).default(20),
        kind: z.enum(['performance', 'request']).optional(),
      }),
      response: z.object({ items: z.array(Thing), total: z.int(), page: z.int() }),
    },
    () => ({ items: [], total: 0, page: 1 }),
  );
  core.get(
    '/api/things/:id',
    {
      auth: 'creator',
      tags: ['things'],
      params: z.object({ id: z.uuid() }),
      // A computed field in a response: must not stop the document from building.
      response: Thing.extend({ label: z.string().transform((s) => s.toUpperCase()) }),
    },
    () => ({ ...aThing(), label: 'x' }),
  );
  core.delete('/api/things/:id', { auth: 'creator', tags: ['things'], params: z.object({ id: z.uuid() }), status: 204 }, () => undefined);
  core.get(
    '/api/things/export.csv',
    {
      auth: 'creator',
      tags: ['things'],
      // Wrapped and preprocessed: the parameters must still be found.
      query: z.preprocess((q) => q, z.object({ from: z.iso.date().optional() }).default({ from: undefined })),
      contentType: 'text/csv',
      response: z.string(),
    },
    () => 'id,name\n',
  );
  const plugin = routes.registrar('tip-menu');
  plugin.get(
    '/api/overlay/:token/menu',
    { auth: 'public', params: z.object({ token: z.string().min(16) }), response: z.object({ items: z.array(Thing) }) },
    () => ({ items: [] }),
  );
  // No params schema: the path parameter must still be declared.
  plugin.get('/api/sessions/:sessionId/menu', { auth: 'creator' }, () => null);
  return routes;
}

const build = (): Json => buildOpenApiDocument(registry().routes, { title: 'Streaming Companion', version: '1.2.3' });

function operations(doc: Json): Array<{ path: string; method: string; op: Json }> {
  return Object.entries(doc.paths as Record<string, Json>).flatMap(([path, item]) =>
    Object.entries(item as Record<string, Json>).map(([method, op]) => ({ path, method, op })),
  );
}

function resolve(doc: Json, ref: string): Json {
  expect(ref.startsWith('#/')).toBe(true);
  return ref
    .slice(2)
    .split('/')
    .reduce((node: Json, key) => node?.[key.replaceAll('~1', '/').replaceAll('~0', '~')], doc);
}

function collectRefs(node: Json, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => collectRefs(n, out));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') out.push(value);
      else collectRefs(value, out);
    }
  }
  return out;
}

describe('buildOpenApiDocument', () => {
  const doc = build();
  const op = (method: string, path: string): Json => doc.paths[path][method];

  it('is OpenAPI 3.1 with the given info', () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(doc.info).toEqual({ title: 'Streaming Companion', version: '1.2.3' });
  });

  it('uses {param} paths and declares every templated parameter', () => {
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/overlay/{token}/menu',
      '/api/sessions/{sessionId}/menu',
      '/api/things',
      '/api/things/export.csv',
      '/api/things/{id}',
    ]);
    for (const { path, op: operation } of operations(doc)) {
      const declared = (operation.parameters ?? []).filter((p: Json) => p.in === 'path');
      const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      expect(declared.map((p: Json) => p.name).sort()).toEqual(templated.sort());
      for (const p of declared) expect(p.required).toBe(true);
    }
    expect(op('get', '/api/sessions/{sessionId}/menu').parameters).toEqual([
      { name: 'sessionId', in: 'path', required: true, schema: { type: 'string' } },
    ]);
  });

  it('renders the request body as an input schema with its constraints', () => {
    const body = op('post', '/api/things').requestBody;
    expect(body.required).toBe(true);
    const schema = body.content['application/json'].schema;
    expect(schema.type).toBe('object');
    expect(schema.properties.kind).toEqual({ type: 'string', enum: ['performance', 'request'] });
    expect(schema.properties.priceCents).toMatchObject({ type: 'integer', minimum: 1 });
    expect(schema.properties.name).toMatchObject({ type: 'string', minLength: 1, maxLength: 80 });
    expect(schema.properties.note).toMatchObject({ type: 'string', maxLength: 200 });
    expect(schema.properties.emoji).toMatchObject({ type: 'string' });
    expect([...schema.required].sort()).toEqual(['kind', 'name', 'priceCents']);
  });

  it('renders path and query parameters', () => {
    const [id] = op('get', '/api/things/{id}').parameters;
    expect(id).toMatchObject({ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } });

    const query = Object.fromEntries(op('get', '/api/things').parameters.map((p: Json) => [p.name, p]));
    expect(Object.keys(query).sort()).toEqual(['kind', 'page', 'pageSize']);
    for (const p of Object.values<Json>(query)) {
      expect(p.in).toBe('query');
      expect(p.required ?? false).toBe(false);
    }
    expect(query.page.schema).toMatchObject({ type: 'integer', minimum: 1, default: 1 });
    expect(query.pageSize.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 100, default: 20 });
    expect(query.kind.schema).toEqual({ type: 'string', enum: ['performance', 'request'] });

    expect(op('get', '/api/things/export.csv').parameters).toEqual([{ in: 'query', name: 'from', schema: { type: 'string', format: 'date', pattern: expect.any(String) } }]);
    expect(op('post', '/api/things').parameters).toBeUndefined();
  });

  it('documents success responses by status and media type', () => {
    const created = op('post', '/api/things').responses['201'];
    expect(created.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Thing' });
    expect(resolve(doc, '#/components/schemas/Thing').properties.kind.enum).toEqual(['performance', 'request']);

    const list = op('get', '/api/things').responses['200'].content['application/json'].schema;
    expect(list.properties.items.items).toEqual({ $ref: '#/components/schemas/Thing' });

    const deleted = op('delete', '/api/things/{id}').responses;
    expect(deleted['204'].description).toBeTruthy();
    expect(deleted['204'].content).toBeUndefined();
    expect(deleted['200']).toBeUndefined();

    const csv = op('get', '/api/things/export.csv').responses['200'].content;
    expect(Object.keys(csv)).toEqual(['text/csv']);
    expect(csv['text/csv'].schema).toEqual({ type: 'string' });
  });

  it('puts bearer security and a 401 on creator routes only', () => {
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.security).toBeUndefined();
    for (const { path, method, op: operation } of operations(doc)) {
      const isPublic = path === '/api/overlay/{token}/menu';
      expect(operation.security, `${method} ${path}`).toEqual(isPublic ? undefined : [{ bearerAuth: [] }]);
      expect(operation.responses['401'], `${method} ${path}`).toEqual(isPublic ? undefined : { $ref: '#/components/responses/Unauthorized' });
    }
  });

  it('answers errors with the Problem schema as application/problem+json', () => {
    const problem = doc.components.schemas.Problem;
    expect(Object.keys(problem.properties).sort()).toEqual(['code', 'detail', 'errors', 'instance', 'status', 'title', 'type']);
    expect([...problem.required].sort()).toEqual(['code', 'detail', 'status', 'title', 'type']);
    expect(problem.properties.status.type).toBe('integer');
    expect(problem.properties.errors.items.properties).toMatchObject({ field: { type: 'string' }, rule: { type: 'string' }, message: { type: 'string' } });
    expect(problem.additionalProperties).not.toBe(false);

    for (const name of ['BadRequest', 'Unauthorized', 'Error']) {
      expect(doc.components.responses[name].content).toEqual({ 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } });
    }
    const withoutInput = new Set(['get /api/sessions/{sessionId}/menu']);
    for (const { path, method, op: operation } of operations(doc)) {
      const route = `${method} ${path}`;
      expect(operation.responses.default, route).toEqual({ $ref: '#/components/responses/Error' });
      expect(operation.responses['400'], route).toEqual(withoutInput.has(route) ? undefined : { $ref: '#/components/responses/BadRequest' });
    }
  });

  it('tags by spec.tags, else by owner', () => {
    expect(op('get', '/api/things').tags).toEqual(['things']);
    expect(op('get', '/api/overlay/{token}/menu').tags).toEqual(['tip-menu']);
  });

  it('gives every operation a unique, deterministic operationId', () => {
    const ids = operations(doc).map(({ op: operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(op('get', '/api/things/{id}').operationId).toBe('getApiThingsById');
    expect(op('delete', '/api/things/{id}').operationId).toBe('deleteApiThingsById');
    expect(op('get', '/api/things/export.csv').operationId).toBe('getApiThingsExportCsv');

    const reversed = buildOpenApiDocument([...registry().routes].reverse(), { title: 't', version: '1' }) as Json;
    for (const { path, method, op: operation } of operations(doc)) expect(reversed.paths[path][method].operationId).toBe(operation.operationId);
  });

  it('suffixes operationIds that would otherwise collide', () => {
    const routes = new RouteRegistry();
    const core = routes.registrar('core');
    core.get('/api/a-b', { auth: 'public' }, () => null);
    core.get('/api/a_b', { auth: 'public' }, () => null);
    const built = buildOpenApiDocument(routes.routes, { title: 't', version: '1' }) as Json;
    expect([built.paths['/api/a-b'].get.operationId, built.paths['/api/a_b'].get.operationId]).toEqual(['getApiAB', 'getApiAB2']);
  });

  it('is structurally sound: JSON-serialisable, every $ref resolves, every operation answers', () => {
    const json = JSON.parse(JSON.stringify(doc));
    expect(json).toEqual(doc);
    const refs = collectRefs(doc);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(resolve(doc, ref), ref).toBeDefined();
    for (const { method, op: operation } of operations(doc)) {
      expect(['get', 'post', 'put', 'patch', 'delete']).toContain(method);
      expect(Object.keys(operation.responses).length).toBeGreaterThan(0);
      for (const response of Object.values<Json>(operation.responses)) expect(response.$ref ?? response.description).toBeTruthy();
    }
  });
});

describe('openApiRoutes', () => {
  let server: Server;
  let base: string;
  let builds = 0;

  beforeAll(async () => {
    const app = new Koa();
    const router = openApiRoutes(() => {
      builds++;
      return build();
    });
    app.use(router.routes());
    app.use(router.allowedMethods());
    server = app.listen(0);
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.close();
    await once(server, 'close');
  });

  it('serves a Swagger UI page whose scripts and styles are all local files', async () => {
    const res = await fetch(`${base}/api/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).not.toMatch(/https?:\/\//);
    // No inline script: each <script> has a src and an empty body.
    expect(html.match(/<script\b[^>]*>[^<]+<\/script>/)).toBeNull();
    const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(urls).toContain('/api/docs/assets/swagger-ui-bundle.js');
    expect(urls).toContain('/api/docs/assets/swagger-ui.css');
    expect(urls).toContain('/api/docs/assets/init.js');
    for (const url of urls) expect((await fetch(`${base}${url}`)).status, url).toBe(200);
  });

  it('serves the Swagger UI bundle from swagger-ui-dist', async () => {
    const res = await fetch(`${base}/api/docs/assets/swagger-ui-bundle.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect((await res.text()).length).toBeGreaterThan(100_000);
  });

  it('serves an init script pointing Swagger UI at the document', async () => {
    const res = await fetch(`${base}/api/docs/assets/init.js`);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(await res.text()).toContain('"/api/docs/openapi.json"');
  });

  it('serves nothing that is not whitelisted', async () => {
    for (const name of ['package.json', 'oauth2-redirect.html', 'swagger-ui-bundle.js.map', '__proto__', 'constructor', '..%2Fpackage.json', '..%2F..%2F..%2Fpackage.json']) {
      expect((await fetch(`${base}/api/docs/assets/${name}`)).status, name).toBe(404);
    }
    expect((await fetch(`${base}/api/docs/assets/../../../package.json`)).status).toBe(404);
  });

  it('serves the document as JSON, built once', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${base}/api/docs/openapi.json`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const body = await res.json();
      expect(body.openapi).toMatch(/^3\.1\./);
      expect(body.paths['/api/things/{id}'].get.operationId).toBe('getApiThingsById');
    }
    expect(builds).toBe(1);
  });
});
