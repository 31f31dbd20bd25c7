/**
 * A creator's Events API URL: `<baseUrl><username>/<token>/`, e.g.
 * `https://eventsapi.chaturbate.com/events/creator/AbC123…/`. The token is the secret.
 */
export interface EventsUrl {
  /** Normalized: no query, no fragment, a trailing slash. */
  url: string;
  username: string;
  token: string;
}

const USERNAME = /^[A-Za-z0-9_]{1,64}$/;
const TOKEN = /^[A-Za-z0-9_-]{8,200}$/;

/**
 * The URL taken apart, or why it is not an Events API URL under `baseUrl` (same scheme, same
 * host and port, the path `<base path><username>/<token>/`). The reason never quotes the input.
 */
export function parseEventsUrl(input: string, baseUrl: string): EventsUrl | string {
  const base = new URL(baseUrl);
  const shape = `${base.origin}${base.pathname}<username>/<token>/`;
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return `must be a URL like ${shape}`;
  }
  if (url.protocol !== base.protocol) return `must be an ${base.protocol.slice(0, -1)} URL like ${shape}`;
  if (url.username || url.password) return 'must not carry a user name or password before the host';
  if (url.host !== base.host) return `must be on ${base.host}, like ${shape}`;
  if (!url.pathname.startsWith(base.pathname)) return `must look like ${shape}`;
  const parts = url.pathname.slice(base.pathname.length).split('/');
  if (parts.at(-1) === '') parts.pop();
  const [username, token] = parts;
  if (parts.length !== 2 || !username || !token) return `must look like ${shape}`;
  if (!USERNAME.test(username)) return 'the user name in it must be 1-64 letters, digits or underscores';
  if (!TOKEN.test(token)) return 'the token in it must be 8-200 letters, digits, dashes or underscores';
  return { url: `${base.origin}${base.pathname}${username}/${token}/`, username, token };
}

/** The token of a normalized Events URL (its last path segment). */
export function tokenOf(eventsUrl: string): string {
  return new URL(eventsUrl).pathname.split('/').filter(Boolean).at(-1) ?? '';
}

/** What the creator may see of a token: its last four characters. */
export function tokenHint(token: string): string {
  return `…${token.slice(-4)}`;
}

/**
 * Whether a `nextUrl` the API handed out stays on this connection (same origin, same path), so
 * a tampered or broken answer can never send the token, or the poller, anywhere else.
 */
export function isOnConnection(nextUrl: string, eventsUrl: string): boolean {
  if (!URL.canParse(nextUrl)) return false;
  const next = new URL(nextUrl);
  const own = new URL(eventsUrl);
  const path = (p: string) => (p.endsWith('/') ? p : `${p}/`);
  return next.origin === own.origin && !next.username && !next.password && path(next.pathname) === path(own.pathname);
}

/** The URL to request: the API's own URL, holding the request open for `seconds` at most. */
export function withLongPoll(url: string, seconds: number): string {
  const polled = new URL(url);
  polled.searchParams.set('timeout', String(seconds));
  return polled.toString();
}
