/**
 * The one place secrets are taken out of text. An Events API URL carries the creator's token
 * in its path, and so can anything that quotes one: a URL, an error message, a fetch error's
 * `cause`. Everything this plugin logs or stores about a poll goes through here first.
 */

// `/events/<username>/<token>`: keep the user name (it helps), drop the token.
const EVENTS_PATH = /(\/events\/[^/\s?#"'<>]+\/)[^/\s?#"'<>]+/gi;
const REDACTED = '[redacted]';

/** `text` with every Events API token, and each of `secrets` wherever it appears, replaced. */
export function redact(text: string, ...secrets: string[]): string {
  let safe = text.replace(EVENTS_PATH, `$1${REDACTED}`);
  for (const secret of secrets) if (secret) safe = safe.replaceAll(secret, REDACTED);
  return safe;
}

const MAX_ERROR_LENGTH = 300;

/** An error and its `cause` chain as one redacted line (fetch hides the useful part, e.g. ECONNREFUSED, in `cause`). */
export function describeError(error: unknown, ...secrets: string[]): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 4; depth++) {
    parts.push(e instanceof Error ? `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}` : String(e));
    e = e instanceof Error ? e.cause : undefined;
  }
  return redact(parts.join(' <- '), ...secrets).slice(0, MAX_ERROR_LENGTH);
}
