import { rawRequest, startTestKernel, type TestKernel } from '@streaming-companion/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

/**
 * Methods no route takes. `fetch` refuses to send TRACE, so these go through `node:http`,
 * as any client (or scanner) on the network could send them.
 */

/** The levels the app logged at while `run` ran, by intercepting the per-request child loggers. */
async function loggedLevels(t: TestKernel, run: () => Promise<unknown>): Promise<Array<{ level: string; args: unknown[] }>> {
  const calls: Array<{ level: string; args: unknown[] }> = [];
  const parent = t.kernel.log;
  const original = parent.child.bind(parent);
  const spy = vi.spyOn(parent, 'child').mockImplementation(((...args: Parameters<typeof parent.child>) => {
    const child = original(...args);
    for (const level of ['fatal', 'error', 'warn', 'info'] as const) {
      const method = child[level].bind(child);
      child[level] = ((...logArgs: unknown[]) => {
        calls.push({ level, args: logArgs });
        return (method as (...a: unknown[]) => void)(...logArgs);
      }) as typeof child.info;
    }
    return child;
  }) as typeof parent.child);
  try {
    await run();
  } finally {
    spy.mockRestore();
  }
  return calls;
}

describe('methods no route takes', () => {
  let t: TestKernel;
  beforeAll(async () => {
    t = await startTestKernel();
  }, 60_000);
  afterAll(() => t?.stop());

  it('answers 405 problem+json with an Allow header when the path takes other methods', async () => {
    const res = await rawRequest(t.url, 'DELETE', '/api/health');
    expect(res.status).toBe(405);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers.allow).toBe('HEAD, GET');
    expect(JSON.parse(res.body)).toMatchObject({ status: 405, code: 'method_not_allowed', title: 'Method Not Allowed' });

    const post = await rawRequest(t.url, 'PUT', '/api/auth/login');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('POST');
  });

  it.each([
    ['TRACE', '/api/health'],
    ['PROPFIND', '/api/sessions'],
    ['MKCOL', '/'],
    ['TRACE', '/no/such/path'],
  ])('answers %s %s with 501 problem+json, not 500', async (method, path) => {
    const res = await rawRequest(t.url, method, path);
    expect(res.status).toBe(501);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(res.body)).toMatchObject({ status: 501, code: 'method_not_implemented', title: 'Not Implemented' });
    expect(res.headers['x-request-id']).toBeTruthy();
  });

  it('names the methods the path takes on a 501 when it exists, and sends no empty Allow when it does not', async () => {
    expect((await rawRequest(t.url, 'TRACE', '/api/health')).headers.allow).toBe('HEAD, GET');
    expect((await rawRequest(t.url, 'TRACE', '/no/such/path')).headers.allow).toBeUndefined();
  });

  it('logs them at info (the request line), never as an error', async () => {
    const calls = await loggedLevels(t, async () => {
      expect((await rawRequest(t.url, 'TRACE', '/api/health')).status).toBe(501);
      expect((await rawRequest(t.url, 'PROPFIND', '/api/sessions')).status).toBe(501);
      expect((await rawRequest(t.url, 'DELETE', '/api/health')).status).toBe(405);
    });
    expect(calls.filter((c) => c.level === 'error' || c.level === 'fatal')).toEqual([]);
    const requestLines = calls.filter((c) => c.level === 'info' && c.args[1] === 'request').map((c) => c.args[0]);
    expect(requestLines).toEqual([
      expect.objectContaining({ method: 'TRACE', path: '/api/health', status: 501 }),
      expect.objectContaining({ method: 'PROPFIND', path: '/api/sessions', status: 501 }),
      expect.objectContaining({ method: 'DELETE', path: '/api/health', status: 405 }),
    ]);
  });

  it('still answers OPTIONS with the allowed methods, and an unknown path with 404', async () => {
    const options = await rawRequest(t.url, 'OPTIONS', '/api/health');
    expect(options.status).toBe(200);
    expect(options.headers.allow).toBe('HEAD, GET');
    const missing = await rawRequest(t.url, 'GET', '/no/such/path');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body)).toMatchObject({ code: 'route_not_found' });
  });

  it('tells browsers not to sniff any answer: API, errors and all', async () => {
    for (const [method, path] of [
      ['GET', '/api/health'],
      ['GET', '/no/such/path'],
      ['GET', '/api/auth/me'],
      ['TRACE', '/api/health'],
    ]) {
      expect((await rawRequest(t.url, method!, path!)).headers['x-content-type-options'], `${method} ${path}`).toBe('nosniff');
    }
  });
});
