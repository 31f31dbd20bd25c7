import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createKernel, createLogger, type Kernel } from '@streaming-companion/core';
import { rawRequest, type RawResponse } from '@streaming-companion/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardDir, dashboardRoutes } from '../src/dashboard.ts';
import { overlayPageRoutes, overlayPagesDir } from '../src/overlay-pages.ts';

/**
 * The headers of what the server serves: the dashboard page and assets, the overlay pages
 * and assets, and the API, on a kernel with the server's page routers (the built pages).
 */

/** The policy as directive → sources. */
function csp(res: RawResponse): Map<string, string[]> {
  const header = res.headers['content-security-policy'];
  expect(typeof header, 'a Content-Security-Policy header').toBe('string');
  return new Map(
    (header as string)
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

const dashboard = dashboardDir()!;
const pages = overlayPagesDir()!;
const firstAsset = (dir: string, ext: string) => readdirSync(join(dir, 'assets')).find((file) => file.endsWith(ext))!;

describe('security headers', () => {
  let kernel: Kernel;
  let base: string;
  let host: string;

  beforeAll(async () => {
    for (const [file, build] of [
      [join(dashboard, 'index.html'), 'npm run build -w @streaming-companion/dashboard'],
      [join(pages, 'alerts.html'), 'npm run build -w @streaming-companion/overlay-widgets'],
    ]) {
      if (!existsSync(file!)) throw new Error(`${file} is not built: ${build}`);
    }
    kernel = createKernel({
      plugins: [],
      env: { LOG_LEVEL: 'silent' },
      config: { port: 0, host: '127.0.0.1', databaseUrl: undefined, dataDir: 'memory://', redisUrl: undefined },
      logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent', { pretty: false }),
      routers: [overlayPageRoutes(pages), dashboardRoutes(dashboard)],
    });
    await kernel.start();
    base = kernel.url;
    host = new URL(base).host;
  }, 90_000);
  afterAll(() => kernel?.stop());

  it('the dashboard page: scripts, styles, images and sockets from this server only, never framed', async () => {
    const res = await rawRequest(base, 'GET', '/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['strict-transport-security'], 'TLS (and HSTS) is the proxy\'s business').toBeUndefined();
    const policy = csp(res);
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('style-src'), 'Lit adopts its styles; no inline style is needed').toEqual(["'self'"]);
    expect(policy.get('img-src')).toEqual(["'self'", 'data:']);
    expect(policy.get('media-src'), 'the voice preview, played from a blob: URL of the page').toEqual(["'self'", 'blob:']);
    expect(policy.get('connect-src')).toEqual(["'self'", `ws://${host}`, `wss://${host}`]);
    expect(policy.get('frame-src'), 'the overlay preview').toEqual(["'self'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.has('upgrade-insecure-requests'), 'a LAN server on plain http keeps working').toBe(false);
  });

  it('the dashboard assets carry nosniff and the same policy', async () => {
    for (const file of [firstAsset(dashboard, '.js'), firstAsset(dashboard, '.css')]) {
      const res = await rawRequest(base, 'GET', `/assets/${file}`);
      expect(res.status, file).toBe(200);
      expect(res.headers['x-content-type-options'], file).toBe('nosniff');
      expect(csp(res).get('frame-ancestors'), file).toEqual(["'none'"]);
    }
    const missing = await rawRequest(base, 'GET', '/assets/nope.js');
    expect(missing.status).toBe(404);
    expect(missing.headers['x-content-type-options']).toBe('nosniff');
  });

  it('the overlay pages: scripts from this server only, media the creator picks from https, framed only by this server', async () => {
    for (const page of ['alerts', 'goal', 'events', 'leaderboard', 'highlights', 'animations', 'menu', 'all']) {
      const res = await rawRequest(base, 'GET', `/overlay/${page}`);
      expect(res.status, page).toBe(200);
      expect(res.headers['x-content-type-options'], page).toBe('nosniff');
      expect(res.headers['x-frame-options'], page).toBe('SAMEORIGIN');
      expect(res.headers['referrer-policy'], page).toBe('no-referrer');
      const policy = csp(res);
      expect(policy.get('default-src'), page).toEqual(["'self'"]);
      expect(policy.get('script-src'), page).toEqual(["'self'"]);
      expect(policy.get('frame-ancestors'), `${page}: the dashboard's live preview frames it`).toEqual(["'self'"]);
      expect(policy.get('img-src'), `${page}: custom animation images`).toEqual(["'self'", 'data:', 'https:']);
      expect(policy.get('media-src'), `${page}: custom animation videos, tier sounds, TTS as data:`).toEqual(["'self'", 'data:', 'https:', 'http:']);
      expect(policy.get('style-src'), `${page}: OBS's Custom CSS arrives as a <style> element`).toEqual(["'self'", "'unsafe-inline'", 'https:']);
      expect(policy.get('connect-src'), page).toEqual(["'self'", `ws://${host}`, `wss://${host}`]);
      expect(policy.has('upgrade-insecure-requests'), page).toBe(false);
    }
  });

  it('lets an overlay page connect to the server its ?server= option names, and to nothing a Host header makes up', async () => {
    const other = await rawRequest(base, 'GET', '/overlay/alerts?server=http%3A%2F%2F10.0.0.2%3A3130');
    expect(csp(other).get('connect-src')).toEqual(["'self'", `ws://${host}`, `wss://${host}`, 'http://10.0.0.2:3130', 'ws://10.0.0.2:3130']);
    expect(csp(other).get('img-src'), 'a custom animation on that server').toEqual(["'self'", 'data:', 'https:', 'http://10.0.0.2:3130']);
    const odd = await rawRequest(base, 'GET', '/overlay/alerts?server=javascript:alert(1)');
    expect(csp(odd).get('connect-src')).toEqual(["'self'", `ws://${host}`, `wss://${host}`]);

    const forged = await rawRequest(base, 'GET', '/', { host: "evil.test; script-src 'unsafe-inline'" });
    expect(forged.status).toBe(200);
    expect(csp(forged).get('connect-src')).toEqual(["'self'"]);
    expect(csp(forged).get('script-src')).toEqual(["'self'"]);
  });

  it('the overlay assets carry nosniff and the overlay policy', async () => {
    const file = firstAsset(pages, '.js');
    const res = await rawRequest(base, 'GET', `/overlay/assets/${file}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(csp(res).get('frame-ancestors')).toEqual(["'self'"]);
  });

  it('the API: nosniff, and no page policy', async () => {
    const res = await rawRequest(base, 'GET', '/api/health');
    expect(res.status).toBe(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBeUndefined();
  });

  it('answers methods the pages do not take with 405 (and Allow) or 501, as problem+json', async () => {
    for (const path of ['/', '/overlay/alerts', `/overlay/assets/${firstAsset(pages, '.js')}`]) {
      const notAllowed = await rawRequest(base, 'DELETE', path);
      expect(notAllowed.status, `DELETE ${path}`).toBe(405);
      expect(notAllowed.headers.allow, `DELETE ${path}`).toBe('HEAD, GET');
      expect(notAllowed.headers['content-type']).toMatch(/^application\/problem\+json/);
      const unknown = await rawRequest(base, 'PROPFIND', path);
      expect(unknown.status, `PROPFIND ${path}`).toBe(501);
      expect(JSON.parse(unknown.body)).toMatchObject({ status: 501, code: 'method_not_implemented' });
      expect((await rawRequest(base, 'TRACE', path)).status, `TRACE ${path}`).toBe(501);
    }
  });
});
