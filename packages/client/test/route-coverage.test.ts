import { createClient } from '@streaming-companion/client';
import { SETTINGS_PARTS } from '@streaming-companion/plugin-widgets/contract';
import { startTestKernel, type TestKernel } from '@streaming-companion/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The server's own list, not a copy: a first-party plugin added there is checked here at once.
import { firstPartyPlugins } from '../../../apps/server/src/plugins.ts';

/** Server routes the client leaves out on purpose, each with why. */
const NOT_CALLED_BY_THE_CLIENT: Record<string, string> = {
  'GET /api/health': 'a liveness probe for load balancers and orchestrators; an integration learns the server is up from its calls',
  'GET /api/ready': 'a readiness probe for load balancers and orchestrators, not for integrations',
  'GET /api/widgets/media/{id}/file': 'overlays load an upload from the `url` its `WidgetMedia` carries (`widgets.media.list()`), a plain link',
};

/** Client methods that build something locally and send no request. */
const SENDS_NO_REQUEST = new Set(['overlay.pageUrls']);

/**
 * Arguments for methods whose route depends on an argument's value (one call per route); every other
 * method is called with a placeholder for each parameter it requires.
 */
const ARGUMENT_SETS: Record<string, unknown[][]> = {
  'widgets.save': SETTINGS_PARTS.map((part) => [part, {}]),
};

const PLACEHOLDER = 'placeholder';

interface Route {
  key: string;
  method: string;
  pattern: RegExp;
  /** Literal routes win over templated ones: `/api/sessions/active` is not `/api/sessions/{id}`. */
  templated: number;
}

let t: TestKernel;
let routes: Route[];

beforeAll(async () => {
  t = await startTestKernel({ plugins: firstPartyPlugins });
  const document = (await t.http.get<{ paths: Record<string, Record<string, unknown>> }>('/api/docs/openapi.json')).body;
  routes = Object.entries(document.paths).flatMap(([path, item]) =>
    Object.keys(item).map((method) => ({
      key: `${method.toUpperCase()} ${path}`,
      method: method.toUpperCase(),
      pattern: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '[^/]+')}$`),
      templated: path.split('{').length - 1,
    })),
  );
});
afterAll(async () => {
  await t?.stop();
});

interface SentRequest {
  method: string;
  path: string;
}

/** Every function reachable through the client's namespace objects, by dotted name. */
function clientMethods(namespace: object, prefix = ''): [string, (...args: unknown[]) => unknown][] {
  return Object.entries(namespace).flatMap(([name, value]): [string, (...args: unknown[]) => unknown][] => {
    if (typeof value === 'function') return [[`${prefix}${name}`, value as (...args: unknown[]) => unknown]];
    if (value && typeof value === 'object') return clientMethods(value, `${prefix}${name}.`);
    return [];
  });
}

/** The requests each client method sends, through a `fetch` that records them and answers `{}`. */
async function requestsByMethod(): Promise<Map<string, SentRequest[]>> {
  let sent: SentRequest[] = [];
  const client = createClient({
    baseUrl: 'http://recorder.invalid',
    token: 'scp_placeholder',
    fetch: async (input, init) => {
      sent.push({ method: init?.method ?? 'GET', path: new URL(String(input)).pathname });
      return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
    },
  });
  const requests = new Map<string, SentRequest[]>();
  for (const [name, method] of clientMethods(client)) {
    sent = [];
    for (const args of ARGUMENT_SETS[name] ?? [Array.from({ length: method.length }, () => PLACEHOLDER)]) {
      // What a method makes of the recorder's `{}` does not matter here, only what it asked for.
      await Promise.resolve()
        .then(() => method(...args))
        .catch(() => undefined);
    }
    requests.set(name, sent);
  }
  return requests;
}

/** The server route a request reaches: the most literal one matching its method and path. */
function routeOf(request: SentRequest): Route | undefined {
  return routes
    .filter((route) => route.method === request.method && route.pattern.test(request.path))
    .sort((a, b) => a.templated - b.templated)[0];
}

describe('route coverage', () => {
  let requests: Map<string, SentRequest[]>;
  let covered: Set<string | undefined>;
  beforeAll(async () => {
    requests = await requestsByMethod();
    covered = new Set([...requests.values()].flat().map((r) => routeOf(r)?.key));
  });

  it('calls every route of the kernel and of every first-party plugin, but those left out on purpose', () => {
    const uncovered = routes.map((r) => r.key).filter((key) => !covered.has(key) && !(key in NOT_CALLED_BY_THE_CLIENT));
    expect(uncovered, 'server routes no client method calls').toEqual([]);
  });

  it('calls only routes the server has', () => {
    const unknown = [...requests].flatMap(([name, sent]) => sent.filter((r) => !routeOf(r)).map((r) => `${name}: ${r.method} ${r.path}`));
    expect(unknown, 'client requests no server route answers').toEqual([]);
  });

  it('sends a request from every method but those that only build links', () => {
    expect(requests.size).toBeGreaterThan(50);
    const silent = [...requests].filter(([name, sent]) => sent.length === 0 && !SENDS_NO_REQUEST.has(name)).map(([name]) => name);
    expect(silent, 'client methods that sent no request').toEqual([]);
  });

  it('leaves out only routes the server has and the client does not call', () => {
    const stale = Object.keys(NOT_CALLED_BY_THE_CLIENT).filter((key) => covered.has(key) || !routes.some((r) => r.key === key));
    expect(stale, 'allow-listed routes the client calls, or the server no longer has').toEqual([]);
  });
});
