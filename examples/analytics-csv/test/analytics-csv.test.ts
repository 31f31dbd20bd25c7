import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, type StreamingCompanionClient } from '@streaming-companion/client';
import { analyticsPlugin } from '@streaming-companion/plugin-analytics';
import { tipsPlugin } from '@streaming-companion/plugin-tips';
import { startTestKernel, type TestKernel } from '@streaming-companion/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toCsv } from '../src/csv.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const HOSTILE = '=HYPERLINK("http://evil.example","click")';

let t: TestKernel;
let outDir: string;
beforeAll(async () => {
  t = await startTestKernel({ plugins: [tipsPlugin, analyticsPlugin] });
  outDir = await mkdtemp(join(tmpdir(), 'analytics-csv-'));
});
afterAll(async () => {
  await t?.stop();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

/** A fresh creator signed up through the API, and an API token of theirs for the script. */
async function creatorWithToken(): Promise<{ client: StreamingCompanionClient; token: string }> {
  const client = createClient({ baseUrl: t.url });
  await client.auth.signup({ email: `csv-${randomUUID().slice(0, 8)}@example.test`, password: 'correct horse battery staple', displayName: 'CSV' });
  const { token } = await client.tokens.create('analytics export');
  return { client, token };
}

/** Runs the script as the README says, until it exits (killed, and failing, after 30 s). */
function runExport(token: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, STREAMING_COMPANION_URL: t.url, STREAMING_COMPANION_TOKEN: token };
  for (const name of Object.keys(env)) if (name.startsWith('VITEST') || name === 'NODE_OPTIONS') delete env[name];
  return new Promise((resolve) =>
    execFile(process.execPath, ['--conditions=source', 'examples/analytics-csv/src/main.ts', ...args], { cwd: repoRoot, env, timeout: 30_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    ),
  );
}

const isoDate = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
// A range around today, so a run near midnight UTC still covers the tips.
const range = ['--from', isoDate(-1), '--to', isoDate(2)];

describe('analytics CSV export', () => {
  let token: string;
  const sessions: Array<{ id: string; startedAt: string; endedAt: string | null }> = [];

  beforeAll(async () => {
    const creator = await creatorWithToken();
    token = creator.token;
    const { client } = creator;
    const first = await client.sessions.start({ platform: 'chaturbate', title: 'Friday "special", live' });
    for (const tip of [
      { tipperName: HOSTILE, amountCents: 900 },
      { tipperName: 'Kai', amountCents: 500 },
      { tipperName: 'Kai', amountCents: 100 },
      { isAnonymous: true, amountCents: 200 },
    ]) {
      await client.tips.record({ sessionId: first.id, ...tip });
    }
    sessions.push(await client.sessions.end(first.id));
    const second = await client.sessions.start({ platform: 'chaturbate', title: 'Late' });
    await client.tips.record({ sessionId: second.id, tipperName: '@Mia', amountCents: 300 });
    sessions.push(await client.sessions.end(second.id));
    await t.drain();
  });

  it('writes one row per session, oldest first, quoting titles and neutralising hostile names', async () => {
    const run = await runExport(token, [...range, '--by', 'session']);
    expect(run.code, run.stderr).toBe(0);
    const [first, second] = sessions;
    expect(run.stdout).toBe(
      'session_id,title,platform,started_at,ended_at,tip_count,revenue_cents,unique_tippers,top_tipper,top_tipper_cents\r\n' +
        `${first!.id},"Friday ""special"", live",chaturbate,${first!.startedAt},${first!.endedAt},4,1700,2,"'=HYPERLINK(""http://evil.example"",""click"")",900\r\n` +
        `${second!.id},Late,chaturbate,${second!.startedAt},${second!.endedAt},1,300,1,'@Mia,300\r\n`,
    );
  });

  it('writes one row per day with tips to a file given with --out, leaving nothing else behind', async () => {
    const out = join(outDir, 'by-day.csv');
    const run = await runExport(token, [...range, '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const day = sessions[0]!.startedAt.slice(0, 10);
    expect(await readFile(out, 'utf8')).toBe(
      'date,tip_count,revenue_cents,unique_tippers,top_tipper,top_tipper_cents\r\n' + `${day},5,2000,3,"'=HYPERLINK(""http://evil.example"",""click"")",900\r\n`,
    );
    expect(await readdir(outDir)).toEqual(['by-day.csv']);
  });

  it("shows another creator none of this creator's figures", async () => {
    const other = await creatorWithToken();
    const run = await runExport(other.token, [...range, '--by', 'session']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('session_id,title,platform,started_at,ended_at,tip_count,revenue_cents,unique_tippers,top_tipper,top_tipper_cents\r\n');
  });

  it('refuses bad arguments, naming each one, and a refused token', async () => {
    const bad = await runExport(token, ['--from', '2025-02-01', '--to', '2025-01-01', '--by', 'week']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--by: must be day or session');
    const backwards = await runExport(token, ['--from', '2025-02-01', '--to', '2025-01-01']);
    expect(backwards.code).toBe(2);
    expect(backwards.stderr).toContain('--to: must be after --from');
    const refused = await runExport('scp_not-a-token', range);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('401');
  });
});

describe('toCsv', () => {
  it('quotes what RFC 4180 says to and keeps viewer text from becoming a formula', () => {
    expect(toCsv(['a', 'b'], [['x,y', 'say "hi"'], ['two\nlines', '-1+2'], [-5, '+cmd'], ['\tTab', 'plain']])).toBe(
      'a,b\r\n"x,y","say ""hi"""\r\n"two\nlines",\'-1+2\r\n-5,\'+cmd\r\n\'\tTab,plain\r\n',
    );
  });
});
