import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { Target } from './target-guard.ts';

/** What one POST came to: the status it was answered with (null without an answer), and why it failed (null on 2xx). */
export interface PostOutcome {
  status: number | null;
  error: string | null;
}

export interface WebhookPost {
  target: Target;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

/** How much of an answer is read: enough for a line of the receiver's error, never a download. */
const MAX_ANSWER_BYTES = 4 * 1024;
/** How much of a failed answer's body goes into `lastError`. */
const ANSWER_EXCERPT_CHARS = 200;
const MAX_ERROR_CHARS = 300;

/**
 * POST a delivery to its checked target. It connects to the address the guard checked (the
 * `lookup` answers it, whatever DNS says by now), follows no redirect (a 3xx is a failure),
 * gives up after `timeoutMs` all told, and reads at most a few KB of the answer. Never throws.
 */
export async function postWebhook({ target, headers, body, timeoutMs }: WebhookPost): Promise<PostOutcome> {
  const { url, address, family } = target;
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  try {
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = request(url, {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: pinned,
        // A fresh connection each time: a pooled one may have been made to an address checked for another endpoint.
        agent: false,
        signal: AbortSignal.timeout(timeoutMs),
      });
      req.once('response', resolve);
      req.once('error', reject);
      req.end(body);
    });
    const answer = await readCapped(response);
    const status = response.statusCode ?? 0;
    if (status >= 200 && status < 300) return { status, error: null };
    const excerpt = printable(answer).slice(0, ANSWER_EXCERPT_CHARS);
    const what = status >= 300 && status < 400 ? `a redirect (HTTP ${status}), which is not followed` : `HTTP ${status}`;
    return { status, error: `answered ${what}${excerpt ? `: ${excerpt}` : ''}` };
  } catch (error) {
    return { status: null, error: describeError(error, timeoutMs) };
  }
}

/** The first bytes of the answer; the rest is not waited for. */
async function readCapped(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size >= MAX_ANSWER_BYTES) {
      response.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, MAX_ANSWER_BYTES).toString('utf8');
}

/** One line, no control characters: it is shown in the delivery log. */
const printable = (text: string) => text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();

/** An error and its `cause` chain as one short line (Node hides the useful part, e.g. ECONNREFUSED, in `code` or `cause`). */
function describeError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `no answer within ${timeoutMs} ms`;
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    parts.push(e instanceof Error ? `${typeof code === 'string' && !e.message.includes(code) ? `${code}: ` : ''}${e.message}` : String(e));
    e = e instanceof Error ? e.cause : undefined;
  }
  return printable(parts.join(' <- ')).slice(0, MAX_ERROR_CHARS) || 'the request failed';
}
