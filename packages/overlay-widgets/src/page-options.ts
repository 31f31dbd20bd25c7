/**
 * Overlay page options: query parameters become attributes of the page's elements, and the
 * overlay key comes from the URL fragment (`#key=…`) and only from there: browsers never send
 * the fragment to the server, so the key stays out of request logs and referrers. A key in
 * the query (`?key=`) is ignored, so a URL that would leak it never works by accident.
 */

/** Query parameters copied as element attributes of the same name. */
export const PAGE_OPTIONS = [
  'server',
  'session-id',
  'duration',
  'tiers',
  'currency',
  'locale',
  'limit',
  'cents-per-token',
  'celebration-duration',
  'celebration-text',
  'font-size',
  'columns',
  'text-color',
  'background',
  'accent-color',
  'highlight-duration',
] as const;

/** Other names accepted for an attribute. */
const ALIASES: Record<string, string> = { session: 'session-id' };
const TIER_OPTION = /^tier-[a-z0-9][a-z0-9_-]{0,31}-(sound|animation)$/;
const MAX_VALUE_CHARS = 2000;

/** Attributes for the page's elements from `location.search` and `location.hash`. */
export function pageAttributes(search: string, hash: string): Map<string, string> {
  const attributes = new Map<string, string>();
  const query = new URLSearchParams(search);
  for (const [rawName, value] of query) {
    const name = ALIASES[rawName.toLowerCase()] ?? rawName.toLowerCase();
    if (((PAGE_OPTIONS as readonly string[]).includes(name) || TIER_OPTION.test(name)) && value.length <= MAX_VALUE_CHARS) {
      attributes.set(name, value.trim());
    }
  }
  const fragment = new URLSearchParams(hash.replace(/^#/, ''));
  const key = fragment.get('key') ?? fragment.get('overlay-key');
  if (key && key.length <= MAX_VALUE_CHARS) attributes.set('overlay-key', key.trim());
  const session = fragment.get('session');
  if (session && !attributes.has('session-id')) attributes.set('session-id', session.trim());
  return attributes;
}

/** Whether the query carries an overlay key (which is ignored): the page says where it goes instead. */
export function keyInQuery(search: string): boolean {
  const query = new URLSearchParams(search);
  return [...query.keys()].some((name) => ['key', 'overlay-key'].includes(name.toLowerCase()));
}
