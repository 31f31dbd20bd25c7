import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createClient, type StreamingCompanionClient } from '@streaming-companion/client';
import { tipsPlugin } from '@streaming-companion/plugin-tips';
import { startTestKernel, type TestKernel } from '@streaming-companion/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

let t: TestKernel;
beforeAll(async () => {
  t = await startTestKernel({ plugins: [tipsPlugin] });
});
afterAll(async () => {
  await t?.stop();
});

/** A fresh creator signed up through the API, and an API token of theirs for the bot. */
async function creatorWithToken(): Promise<{ client: StreamingCompanionClient; token: string }> {
  const client = createClient({ baseUrl: t.url });
  await client.auth.signup({ email: `relay-${randomUUID().slice(0, 8)}@example.test`, password: 'correct horse battery staple', displayName: 'Relay' });
  const { token } = await client.tokens.create('tip relay bot');
  return { client, token };
}

/** Runs the bot as the README says, `input` on its stdin, until it exits on its own (killed, and failing, after 30 s). */
function runBot(token: string, input: string, args: string[] = []) {
  const env: NodeJS.ProcessEnv = { ...process.env, STREAMING_COMPANION_URL: t.url, STREAMING_COMPANION_TOKEN: token };
  for (const name of Object.keys(env)) if (name.startsWith('VITEST') || name === 'NODE_OPTIONS') delete env[name];
  const child = spawn(process.execPath, ['--conditions=source', 'examples/tip-relay-bot/src/main.ts', ...args], { cwd: repoRoot, env });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin.end(input);
  const hung = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise<{ code: number | null; events: Array<Record<string, any>>; stderr: string }>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(hung);
      resolve({ code, events: stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line)), stderr });
    }),
  );
}

const line = (tip: Record<string, unknown>) => `${JSON.stringify(tip)}\n`;

describe('tip relay bot', () => {
  it('records each line once, replays included, reports bad lines, and prints the tips it hears back', async () => {
    const { client, token } = await creatorWithToken();
    const session = await client.sessions.start({ platform: 'chaturbate', title: 'Relay test' });
    const kai = line({ id: 'evt-1', name: 'Kai', amountCents: 500, message: 'hello' });
    const input = [
      kai,
      line({ id: 'evt-2', name: '<img src=x onerror=alert(1)>', tokens: 20, centsPerToken: 5 }),
      line({ id: 'evt-3', amountCents: -5 }),
      'not json\n',
      kai,
    ].join('');

    const run = await runBot(token, input);

    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/line 3 skipped: amountCents: /);
    expect(run.stderr).toContain('line 4 skipped: not JSON');
    const recorded = run.events.filter((e) => e.event === 'recorded');
    expect(recorded.map((e) => [e.line, e.sourceId, e.amountCents])).toEqual([
      [1, 'evt-1', 500],
      [2, 'evt-2', 100],
      [5, 'evt-1', 500],
    ]);
    expect(recorded[2]!.tipId).toBe(recorded[0]!.tipId);
    const heard = run.events.filter((e) => e.event === 'tip_received');
    expect(heard.map((e) => [e.tipId, e.tipperName, e.amountCents])).toEqual([
      [recorded[0]!.tipId, 'Kai', 500],
      [recorded[1]!.tipId, '<img src=x onerror=alert(1)>', 100],
    ]);
    expect(heard[1]!.sessionTotalCents).toBe(600);

    const tips = await client.tips.list({ sessionId: session.id });
    expect(tips.total).toBe(2);

    // Another run replaying the first line (a restart halfway through a log) records nothing new.
    const again = await runBot(token, kai, ['--echo-wait-ms=0']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.events.filter((e) => e.event === 'recorded').map((e) => e.tipId)).toEqual([recorded[0]!.tipId]);
    expect((await client.tips.list({ sessionId: session.id })).total).toBe(2);
  });

  it('will not run without a live session of its own creator, and says why', async () => {
    const other = await creatorWithToken();
    const run = await runBot(other.token, line({ id: 'evt-1', amountCents: 500 }));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no live session');
    expect(run.events).toEqual([]);
  });

  it('refuses a bad configuration, naming what is wrong', async () => {
    const run = await runBot('', '', ['--echo-wait-ms=soon']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('STREAMING_COMPANION_TOKEN');
  });
});
