/**
 * Where the dashboard keeps the creator's token between visits, and how an SSO platform
 * hands one over: it opens the dashboard at `/#token=<jwt>` (or `#access_token=`). The
 * fragment never reaches the server or a referrer, and is wiped from the address bar. The
 * dashboard uses a handed-over token only when the server signs creators in through SSO
 * (`GET /api/auth/config`); with local accounts it is dropped.
 */
const KEY = 'streaming-companion.token';

export function takeHandedOverToken(location: Location, history: History): string | null {
  const params = new URLSearchParams(location.hash.replace(/^#\/?/, ''));
  const token = params.get('token') ?? params.get('access_token');
  if (!token) return null;
  history.replaceState(null, '', `${location.pathname}${location.search}#/live`);
  return token;
}

export const storedToken = (): string | null => localStorage.getItem(KEY);

export function storeToken(token: string | null): void {
  if (token) localStorage.setItem(KEY, token);
  else localStorage.removeItem(KEY);
}
