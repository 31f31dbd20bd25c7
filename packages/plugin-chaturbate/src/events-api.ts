import { z } from 'zod';
import { describeError } from './redact.ts';

/** What one request to the Events API came to. */
export type PollOutcome =
  /** 200: the events (maybe none), and the URL to ask next. */
  | { kind: 'events'; events: unknown[]; nextUrl: string }
  /** 400 "waited too long or too many events in queue": carry on at `nextUrl`. */
  | { kind: 'resume'; nextUrl: string }
  /** 401/403: the token is wrong or revoked; asking again will not help. */
  | { kind: 'refused'; status: number }
  /** 5xx, 429, a network failure, a time-out, an answer that makes no sense: worth retrying later. */
  | { kind: 'failed'; error: string; retryAfterMs?: number };

const EventsPage = z.object({ events: z.array(z.unknown()), nextUrl: z.string().min(1).max(2_000) });
const ResumePage = z.object({ nextUrl: z.string().min(1).max(2_000) });

/** A long poll answer is events, not files: anything bigger is not the Events API talking. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** How much longer than the long poll itself a request may take before it is given up. */
const GRACE_SECONDS = 5;

export interface PollRequest {
  /** The full URL, `timeout` included. */
  url: string;
  timeoutSeconds: number;
  /** Secrets to take out of any error text (the token). */
  secrets: string[];
}

/** One request to the Events API, classified. Never throws; no text it returns carries the token. */
export async function requestEvents({ url, timeoutSeconds, secrets }: PollRequest): Promise<PollOutcome> {
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: 'application/json' },
      // A redirect would carry the token somewhere nobody checked.
      redirect: 'error',
      signal: AbortSignal.timeout((timeoutSeconds + GRACE_SECONDS) * 1_000),
    });
  } catch (error) {
    return { kind: 'failed', error: describeError(error, ...secrets) };
  }
  const { status } = response;
  if (status === 401 || status === 403) {
    await response.body?.cancel();
    return { kind: 'refused', status };
  }
  if (status !== 200 && status !== 400) {
    await response.body?.cancel();
    return { kind: 'failed', error: `the Events API answered HTTP ${status}`, retryAfterMs: status === 429 ? retryAfterMs(response) : undefined };
  }
  let body: unknown;
  try {
    body = JSON.parse(await readCapped(response, MAX_BODY_BYTES));
  } catch (error) {
    return { kind: 'failed', error: `the Events API answered HTTP ${status} with an unreadable body (${describeError(error, ...secrets)})` };
  }
  if (status === 400) {
    const resume = ResumePage.safeParse(body);
    return resume.success ? { kind: 'resume', nextUrl: resume.data.nextUrl } : { kind: 'failed', error: 'the Events API answered HTTP 400 without a nextUrl' };
  }
  const page = EventsPage.safeParse(body);
  return page.success ? { kind: 'events', ...page.data } : { kind: 'failed', error: 'the Events API answered HTTP 200 without events and a nextUrl' };
}

async function readCapped(response: Response, maxBytes: number): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body ?? []) {
    size += chunk.byteLength;
    if (size > maxBytes) throw new Error(`the answer is over ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** `Retry-After` in seconds (the date form is not worth the parsing here). */
function retryAfterMs(response: Response): number | undefined {
  const seconds = Number(response.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1_000 : undefined;
}
