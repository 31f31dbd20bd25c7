import type { IncomingMessage } from 'node:http';
import type { Middleware } from 'koa';
import helmet from 'koa-helmet';

/**
 * The security headers of the pages the server serves (the dashboard and the OBS overlay
 * pages, and their assets), through helmet. Scripts only ever come from this server.
 * (`X-Content-Type-Options: nosniff` is the kernel's, on every answer.)
 */

type Directive = string | ((req: IncomingMessage) => string);

/** A host name or address with an optional port, and nothing else (a Host header is the client's to write). */
const HOST = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/** `ws://host` and `wss://host` of the host the browser asked for: socket.io's WebSocket (`'self'` covers it in current browsers; older ones need it named). */
const sameHostSockets: Directive = (req) => {
  const host = req.headers.host ?? '';
  return HOST.test(host) ? `ws://${host} wss://${host}` : '';
};

/** What every page shares: no plugins, no `<base>`, no HSTS (TLS is the proxy's business), no `upgrade-insecure-requests` (a LAN server on http must keep working). */
const COMMON = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
};

/** Helmet with what every page shares, its own CSP directives on top of COMMON, and who may frame it. */
function pageHeaders(directives: Record<string, Directive[]>, frame: 'deny' | 'sameorigin'): Middleware {
  return helmet({
    strictTransportSecurity: false,
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    contentSecurityPolicy: { useDefaults: false, directives: { ...COMMON, ...directives } },
    xFrameOptions: { action: frame },
  }) as Middleware;
}

/**
 * The dashboard: everything from this server. Lit adopts its styles as constructable
 * stylesheets, chart.js sizes its canvas through the CSSOM, and the dashboard's templates carry
 * no `style` attributes, so `style-src 'self'` is enough. Its one sound, the voice preview, is a
 * WAV fetched with the creator's token and played from a `blob:` URL the page made. Never framed
 * (`frame-ancestors 'none'`); it frames the overlay preview (`/overlay/all`, same origin) itself.
 */
export function dashboardSecurityHeaders(): Middleware {
  return pageHeaders(
    {
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      mediaSrc: ["'self'", 'blob:'],
      fontSrc: ["'self'"],
      connectSrc: ["'self'", sameHostSockets],
      frameSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    'deny',
  );
}

/** The origin of an overlay page's `?server=` option (the server its widgets talk to), or undefined when absent or not http(s). */
function serverOption(req: IncomingMessage): { origin: string; socket: string } | undefined {
  const value = new URL(req.url ?? '/', 'http://localhost').searchParams.get('server');
  if (!value) return undefined;
  try {
    const { protocol, host } = new URL(value);
    if (!HOST.test(host)) return undefined;
    if (protocol === 'http:') return { origin: `http://${host}`, socket: `ws://${host}` };
    if (protocol === 'https:') return { origin: `https://${host}`, socket: `wss://${host}` };
  } catch {
    // Not a URL: the widgets ignore it too.
  }
  return undefined;
}
const otherServer: Directive = (req) => {
  const server = serverOption(req);
  return server ? `${server.origin} ${server.socket}` : '';
};
/** Custom animations may be a path on the server the page talks to. */
const otherServerMedia: Directive = (req) => serverOption(req)?.origin ?? '';

/**
 * The OBS overlay pages. Scripts from this server only; the socket to this server or the one
 * `?server=` names. Custom animations and tier sounds are URLs the creator picks, so images
 * come from any https URL (or that server) and media from any http(s) URL; TTS audio arrives
 * as `data:`. Styles allow inline and https: OBS applies a browser source's "Custom CSS" as a
 * `<style>` element (which may `@import` a web font), and each page lays out its widgets in
 * one. Framed only by this server's own pages (the dashboard's live preview): OBS shows them
 * as a top-level page, not in a frame.
 */
export function overlaySecurityHeaders(): Middleware {
  return pageHeaders(
    {
      styleSrc: ["'self'", "'unsafe-inline'", 'https:'],
      imgSrc: ["'self'", 'data:', 'https:', otherServerMedia],
      mediaSrc: ["'self'", 'data:', 'https:', 'http:'],
      fontSrc: ["'self'", 'data:', 'https:'],
      connectSrc: ["'self'", sameHostSockets, otherServer],
      formAction: ["'none'"],
      frameAncestors: ["'self'"],
    },
    'sameorigin',
  );
}
