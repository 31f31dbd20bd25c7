import { randomUUID } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ApiError, createClient } from '@streaming-companion/client';
import { z } from 'zod';
import { rowsByDay, rowsBySession } from './analytics-rows.ts';
import { toCsv } from './csv.ts';

const USAGE = `Exports your analytics for a date range to CSV, one row per day (with tips) or per session.
  STREAMING_COMPANION_URL=https://companion.example.com STREAMING_COMPANION_TOKEN=scp_… \\
    node --conditions=source examples/analytics-csv/src/main.ts --from 2025-01-01 --to 2025-02-01 [--by day|session] [--tz Europe/Paris] [--out report.csv]
--to is excluded; days begin at midnight in --tz (UTC by default). Without --out the CSV goes to stdout.
Exit codes: 0 written, 1 the server failed or refused, 2 bad arguments or environment.`;

const Env = z.object({
  STREAMING_COMPANION_URL: z.url({ protocol: /^https?$/, error: "must be the server's http(s) address" }).transform((url) => url.replace(/\/+$/, '')),
  STREAMING_COMPANION_TOKEN: z.string({ error: 'must be set to an API token (scp_…)' }).trim().min(1, 'must be set to an API token (scp_…)'),
});

const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

const Options = z
  .object({
    from: z.iso.date({ error: 'must be a date, YYYY-MM-DD' }),
    to: z.iso.date({ error: 'must be a date, YYYY-MM-DD' }),
    by: z.enum(['day', 'session'], { error: 'must be day or session' }).default('day'),
    tz: z.string().refine(isTimeZone, 'must be an IANA time zone, e.g. Europe/Paris').default('UTC'),
    out: z.string().min(1).optional(),
  })
  .refine((o) => o.to > o.from, { path: ['to'], message: 'must be after --from' });

/** A problem with how the script was started, reported as is (exit code 2). */
class UsageError extends Error {}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: { from: { type: 'string' }, to: { type: 'string' }, by: { type: 'string' }, tz: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean' } },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const env = Env.safeParse(process.env);
  const args = Options.safeParse(values);
  if (!env.success || !args.success) throw new UsageError([...problems(env, ''), ...problems(args, '--')].join('\n'));
  const options = args.data;

  const client = createClient({ baseUrl: env.data.STREAMING_COMPANION_URL, token: env.data.STREAMING_COMPANION_TOKEN });
  const range = { from: options.from, to: options.to, tz: options.tz };
  const table = options.by === 'day' ? await rowsByDay(client, range) : await rowsBySession(client, range);
  const csv = toCsv(table.columns, table.rows);
  if (!options.out) process.stdout.write(csv);
  else {
    try {
      await writeWhole(options.out, csv);
    } catch (error) {
      console.error(`analytics-csv: could not write ${options.out}: ${(error as Error).message}`);
      return 1;
    }
  }
  console.error(`${table.rows.length} row(s) by ${options.by}${options.out ? ` written to ${options.out}` : ''}`);
  return 0;
}

/** Written beside the target and renamed over it: a failed run never leaves half a report. */
async function writeWhole(path: string, text: string): Promise<void> {
  const partial = `${path}.${randomUUID().slice(0, 8)}.partial`;
  try {
    await writeFile(partial, text);
    await rename(partial, path);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

/** Every rule a parse broke, one line each, named as the user wrote it (`--to`, `STREAMING_COMPANION_URL`). */
function problems(parsed: z.ZodSafeParseResult<unknown>, prefix: string): string[] {
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${prefix}${issue.path.join('.')}: ${issue.message}`);
}

try {
  process.exitCode = await main();
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`analytics-csv: ${error.message}\n\n${USAGE}`);
    process.exitCode = 2;
  } else if (error instanceof ApiError) {
    const fields = error.errors.map((field) => `\n  ${field.field}: ${field.message}`).join('');
    console.error(`analytics-csv: ${error.unreachable ? `${process.env.STREAMING_COMPANION_URL} could not be reached` : `${error.status} ${error.code}: ${error.detail}${fields}`}`);
    process.exitCode = 1;
  } else throw error;
}
