import { setTimeout as delay } from 'node:timers/promises';
import { ApiError, type StreamingCompanionClient } from '@streaming-companion/client';
import { idempotencyKey, parseTipLine, type TipLine } from './tip-line.ts';

/** Where the relay reports: one JSON object per event on `event` (stdout), plain text on `problem` (stderr). */
export interface RelayOutput {
  event(record: Record<string, unknown>): void;
  problem(text: string): void;
}

export interface RelayOptions {
  client: StreamingCompanionClient;
  sessionId: string;
  lines: AsyncIterable<string>;
  out: RelayOutput;
  /** After the input ends, how long to wait for the live echo of tips recorded in this run. */
  echoWaitMs: number;
}

export interface RelayResult {
  recorded: number;
  skipped: number;
}

/** A failure no later line can get past (the token was revoked): the relay stops. */
export class RelayStopped extends Error {}

/** Waits before each retry of a call that did not reach the server or failed on its side. */
const RETRY_DELAYS_MS = [500, 1_000, 2_000];

/**
 * Records each line's tip into the session, in order, and prints every `tip_received` the live
 * connection hears (this run's tips and any other). Bad lines are reported and skipped.
 */
export async function relayTips({ client, sessionId, lines, out, echoWaitMs }: RelayOptions): Promise<RelayResult> {
  const live = client.connect();
  const recordedIds = new Set<string>();
  const heardIds = new Set<string>();
  const echoesPending = () => [...recordedIds].some((id) => !heardIds.has(id));
  let allHeard = () => {};

  live.onStatus((status) => out.problem(`live connection: ${status}`));
  live.on('tip_received', ({ tip, sessionTotals }) => {
    out.event({
      event: 'tip_received',
      tipId: tip.id,
      tipperName: tip.tipperName,
      amountCents: tip.amountCents,
      message: tip.message,
      sessionTotalCents: sessionTotals.totalTipsCents,
    });
    heardIds.add(tip.id);
    if (!echoesPending()) allHeard();
  });

  const result: RelayResult = { recorded: 0, skipped: 0 };
  try {
    await live.joinSession(sessionId);
    let lineNo = 0;
    for await (const text of lines) {
      lineNo++;
      if (!text.trim()) continue;
      const parsed = parseTipLine(text);
      if (!parsed.ok) {
        out.problem(`line ${lineNo} skipped: ${parsed.reason}`);
        result.skipped++;
        continue;
      }
      try {
        const tip = await recordWithRetry(client, sessionId, parsed.tip);
        recordedIds.add(tip.id);
        out.event({ event: 'recorded', line: lineNo, sourceId: parsed.tip.id, tipId: tip.id, amountCents: tip.amountCents });
        result.recorded++;
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        if (error.status === 401) throw new RelayStopped(`the server refused the token (${error.detail})`);
        out.problem(`line ${lineNo} skipped: ${describe(error)}`);
        result.skipped++;
      }
    }

    if (echoesPending()) {
      const timeout = new AbortController();
      const heard = new Promise<void>((resolve) => (allHeard = resolve));
      await Promise.race([heard, delay(echoWaitMs, undefined, { signal: timeout.signal }).catch(() => {})]);
      timeout.abort();
      const missing = [...recordedIds].filter((id) => !heardIds.has(id)).length;
      // A tip first recorded by an earlier run is not broadcast again: no echo is expected for it.
      if (missing) out.problem(`${missing} recorded tip(s) not heard back live within ${echoWaitMs} ms (recorded by an earlier run, or the connection is down)`);
    }
  } finally {
    live.close();
  }
  return result;
}

/** The same Idempotency-Key on every attempt, so a retry after a lost answer records the tip once. */
async function recordWithRetry(client: StreamingCompanionClient, sessionId: string, tip: TipLine) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await client.tips.record(
        {
          sessionId,
          amountCents: tip.amountCents,
          tokens: tip.tokens,
          centsPerToken: tip.centsPerToken,
          tipperName: tip.name,
          message: tip.message,
        },
        { idempotencyKey: idempotencyKey(tip) },
      );
    } catch (error) {
      const transient = error instanceof ApiError && (error.unreachable || error.status >= 500 || error.status === 429);
      if (!transient || attempt >= RETRY_DELAYS_MS.length) throw error;
      await delay(RETRY_DELAYS_MS[attempt]);
    }
  }
}

function describe(error: ApiError): string {
  const fields = error.errors.map((field) => `${field.field}: ${field.message}`);
  return [`${error.status || 'no answer'} ${error.code}`, error.detail, ...fields].join('; ');
}
