import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { ApiError, createClient } from '@streaming-companion/client';
import { z } from 'zod';
import { relayTips, RelayStopped } from './relay.ts';

const USAGE = `Records tips from newline-delimited JSON on stdin into your live session.
  STREAMING_COMPANION_URL=https://companion.example.com STREAMING_COMPANION_TOKEN=scp_… \\
    node --conditions=source examples/tip-relay-bot/src/main.ts [--echo-wait-ms=5000] < tips.ndjson
One tip a line: {"id": "evt-1", "name": "Kai", "amountCents": 500, "message": "hi"} (or "tokens" instead of "amountCents").
Exit codes: 0 every line recorded, 1 some lines skipped, 2 could not run (configuration, server, token, no live session).`;

const Env = z.object({
  STREAMING_COMPANION_URL: z.url({ protocol: /^https?$/, error: "must be the server's http(s) address" }).transform((url) => url.replace(/\/+$/, '')),
  STREAMING_COMPANION_TOKEN: z.string({ error: 'must be set to an API token (scp_…)' }).trim().min(1, 'must be set to an API token (scp_…)'),
});

const Options = z.object({
  'echo-wait-ms': z.coerce.number().int().min(0).max(60_000).default(5_000),
});

/** A problem with how the bot was started, reported as is (exit code 2). */
class UsageError extends Error {}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ options: { 'echo-wait-ms': { type: 'string' }, help: { type: 'boolean' } }, strict: true }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const env = valid(Env, process.env);
  const options = valid(Options, values);

  const client = createClient({ baseUrl: env.STREAMING_COMPANION_URL, token: env.STREAMING_COMPANION_TOKEN });
  const session = await client.sessions.active();
  if (!session) throw new UsageError('no live session: start one (in the dashboard, or client.sessions.start) and run the bot again');
  console.error(`recording into session ${session.id} (${session.platform})`);

  const { recorded, skipped } = await relayTips({
    client,
    sessionId: session.id,
    lines: stdinLines(),
    out: { event: (record) => console.log(JSON.stringify(record)), problem: (text) => console.error(text) },
    echoWaitMs: options['echo-wait-ms'],
  });
  console.error(`done: ${recorded} recorded, ${skipped} skipped`);
  return skipped ? 1 : 0;
}

/**
 * Stdin's lines, read from the first time they are asked for: a readline interface made earlier
 * would drop the lines (and the end) that arrive while the bot is still joining the session.
 */
async function* stdinLines(): AsyncGenerator<string> {
  yield* createInterface({ input: process.stdin, crlfDelay: Infinity });
}

function valid<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new UsageError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('\n'));
}

try {
  process.exitCode = await main();
} catch (error) {
  if (error instanceof UsageError || error instanceof RelayStopped) console.error(`tip-relay-bot: ${error.message}`);
  else if (error instanceof ApiError) console.error(`tip-relay-bot: ${error.unreachable ? `${process.env.STREAMING_COMPANION_URL} could not be reached` : `${error.status} ${error.code}: ${error.detail}`}`);
  else throw error;
  process.exitCode = 2;
}
