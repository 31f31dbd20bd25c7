import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, ServerProcess } from '../../../apps/server/test/support/server-process.ts';
import { CHILD_MS, npmFreeEnv, run } from './support/run.ts';

/**
 * The scaffold as a plugin author meets it: the CLI run from source with plain node, then the
 * package it wrote put through its own tests, its own scripts and the real server. Every child
 * process is bounded by a timeout; every wait on the server ends on a log line or an answer.
 */

const CLI = join(repoRoot, 'packages/create-plugin/src/cli.ts');
// Inside the repository, so the generated plugin finds @streaming-companion/*, zod, vitest and
// typescript in the root node_modules, as an installed one finds them in its own.
const workspace = join(repoRoot, `.scaffold-test-${randomBytes(4).toString('hex')}`);
const pluginDir = join(workspace, 'clip-marks');
const PACKAGE_NAME = '@acme/streaming-companion-plugin-clip-marks';

const runCli = (...args: string[]) => run(process.execPath, [CLI, ...args], { timeoutMs: 30_000 });

/**
 * The environment for the generated plugin's own commands: none of this test run's npm or
 * Vitest variables, but the database and Redis it runs against, which the test kit reads too.
 */
function pluginEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return npmFreeEnv({
    ...extra,
    DATABASE_URL: process.env.DATABASE_URL,
    POSTGRES_HOST: process.env.POSTGRES_HOST,
    REDIS_URL: process.env.REDIS_URL,
    REDIS_HOST: process.env.REDIS_HOST,
  });
}

const versionOf = async (workspacePackage: string) => JSON.parse(await readFile(join(repoRoot, 'packages', workspacePackage, 'package.json'), 'utf8')).version as string;

beforeAll(async () => {
  await mkdir(workspace);
  const created = await runCli(pluginDir, '--name', PACKAGE_NAME);
  expect(created, created.output).toMatchObject({ code: 0 });
  expect(created.output).toContain(`Created ${PACKAGE_NAME} (plugin id "clip-marks")`);
});
afterAll(async () => {
  await rm(workspace, { recursive: true, force: true });
});

describe('a generated plugin', () => {
  it('is a package named for the plugin, on the current versions of this repository’s packages', async () => {
    const pkg = JSON.parse(await readFile(join(pluginDir, 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({
      name: PACKAGE_NAME,
      type: 'module',
      streamingCompanion: { pluginId: 'clip-marks', engine: `^${await versionOf('core')}` },
      peerDependencies: { '@streaming-companion/sdk': `^${await versionOf('sdk')}` },
      devDependencies: { '@streaming-companion/sdk': `^${await versionOf('sdk')}`, '@streaming-companion/testing': `^${await versionOf('testing')}` },
      scripts: { test: 'vitest run', build: 'tsc -p tsconfig.build.json' },
    });
    expect(Object.keys(pkg.exports)).toEqual(['.', './contract', './package.json']);

    const files = (await readdir(pluginDir, { recursive: true })).filter((path) => !path.startsWith('node_modules')).sort();
    expect(files).toEqual(
      expect.arrayContaining([
        '.gitignore',
        'README.md',
        'src/config.ts',
        'src/contract.ts',
        'src/entities/highlight.ts',
        'src/migrations.ts',
        'src/plugin.ts',
        'test/clip-marks.test.ts',
        'tsconfig.json',
      ]),
    );
    // Every spelling of the template's name is the new plugin's.
    for (const file of files.filter((path) => path.includes('.'))) {
      expect(await readFile(join(pluginDir, file), 'utf8'), file).not.toMatch(/starter[-_]?kit/i);
    }
    const plugin = await readFile(join(pluginDir, 'src/plugin.ts'), 'utf8');
    expect(plugin).toContain('export const clipMarksPlugin = definePlugin(');
    expect(await readFile(join(pluginDir, 'src/migrations.ts'), 'utf8')).toContain('create table clip_marks_highlights');
  });

  it('type-checks', async () => {
    // The workspace's packages are TypeScript source, with no dist/ types: read them through the `source` condition.
    const checked = await run('npm', ['run', 'typecheck', '--', '--customConditions', 'source'], { cwd: pluginDir, env: pluginEnv() });
    expect(checked, checked.output).toMatchObject({ code: 0 });
  }, CHILD_MS);

  it('passes its own tests, run by Vitest in its own folder', async () => {
    const report = join(workspace, 'vitest-report.json');
    const tested = await run(
      process.execPath,
      [
        join(repoRoot, 'node_modules/vitest/vitest.mjs'),
        'run',
        '--root',
        pluginDir,
        '--config',
        join(repoRoot, 'packages/create-plugin/test/support/workspace-source.vitest.config.ts'),
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${report}`,
      ],
      { env: pluginEnv({ SCAFFOLDED_PLUGIN_DIR: pluginDir }) },
    );
    expect(tested, tested.output).toMatchObject({ code: 0 });
    const results = JSON.parse(await readFile(report, 'utf8'));
    expect(results.numTotalTests).toBeGreaterThanOrEqual(5);
    expect(results.numPassedTests).toBe(results.numTotalTests);
  }, CHILD_MS);

  it('loads into the real server through PLUGINS and answers its routes', async () => {
    // What the server loads is dist/. Built without type checks: the workspace has no dist/ types
    // for it to check against (the test above checks them, from source).
    const built = await run('npm', ['run', 'build', '--', '--noCheck'], { cwd: pluginDir, env: pluginEnv() });
    expect(built, built.output).toMatchObject({ code: 0 });

    const dataDir = await mkdtemp(join(tmpdir(), 'sc-scaffold-server-'));
    const server = new ServerProcess([], { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', PLUGINS: pluginDir });
    try {
      const listening = await server.waitFor((line) => line.msg === 'listening', 'the "listening" line');
      const base = new URL(String(listening.url)).origin;
      const call = async (method: string, path: string, token?: string, body?: unknown) => {
        const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
        if (token) headers.authorization = `Bearer ${token}`;
        const response = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
        return { status: response.status, body: await response.json() };
      };

      const signup = await call('POST', '/api/auth/signup', undefined, { email: `scaffold-${randomBytes(4).toString('hex')}@example.test`, password: 'correct horse battery staple', displayName: 'Ada' });
      expect(signup.status).toBe(201);
      const token: string = signup.body.token;
      const session = await call('POST', '/api/sessions', token, { platform: 'chaturbate' });
      expect(session.status).toBe(201);

      const marked = await call('POST', '/api/clip-marks/highlights', token, { sessionId: session.body.id, label: 'The big goal' });
      expect(marked).toMatchObject({ status: 201, body: { sessionId: session.body.id, label: 'The big goal' } });
      // Its subscriber and job ran in the server too: the stream's start is marked by itself.
      await expect
        .poll(async () => (await call('GET', `/api/clip-marks/highlights?sessionId=${session.body.id}`, token)).body)
        .toEqual({ items: expect.arrayContaining([marked.body, expect.objectContaining({ label: 'Stream started' })]) });
      expect(Object.keys((await call('GET', '/api/docs/openapi.json')).body.paths)).toContain('/api/clip-marks/highlights');

      expect(await server.stop()).toBe(0);
    } finally {
      server.kill();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, CHILD_MS);
});

describe('the CLI', () => {
  it.each([
    ['an id with capitals', ['--id', 'ClipMarks'], /plugin id "ClipMarks" must be 2-32 lowercase letters, digits and single dashes, starting with a letter/],
    ['an id starting with a digit', ['--id', '1clip'], /plugin id "1clip" must be/],
    ['an id with a double dash', ['--id', 'clip--marks'], /plugin id "clip--marks" must be/],
    ['a one-letter id', ['--id', 'c'], /plugin id "c" must be/],
    ['an id the kernel uses', ['--id', 'sessions'], /plugin id "sessions" is reserved for the kernel/],
    ['a package name with capitals', ['--name', 'Clip-Marks'], /package name "Clip-Marks" must be lowercase/],
    ['a package name with a space', ['--name', 'clip marks'], /package name "clip marks" must be/],
    ['a package name that makes no id', ['--name', '@acme/clip.marks'], /plugin id "clip\.marks" \(from the package name "@acme\/clip\.marks"\) must be .*; pass --id/],
    ['an unknown option', ['--plugin', 'clip'], /Unknown option '--plugin'[\s\S]*Usage:/],
  ])('refuses %s with a message and exit code 1, writing nothing', async (_, args, message) => {
    const target = join(workspace, `refused-${randomBytes(3).toString('hex')}`);
    const refused = await runCli(target, ...args);
    expect(refused.code, refused.output).toBe(1);
    expect(refused.output).toMatch(message);
    expect(existsSync(target)).toBe(false);
  });

  it('refuses a folder that is not empty, and leaves it as it was', async () => {
    const target = join(workspace, 'taken');
    await mkdir(target);
    await writeFile(join(target, 'notes.txt'), 'mine');
    const refused = await runCli(target);
    expect(refused.code, refused.output).toBe(1);
    expect(refused.output).toContain(`${target} is not empty`);
    expect(await readdir(target)).toEqual(['notes.txt']);
  });

  it('writes into an empty folder, and asks for a folder when given none', async () => {
    const target = join(workspace, 'empty-one');
    await mkdir(target);
    expect((await runCli(target)).code).toBe(0);
    expect(JSON.parse(await readFile(join(target, 'package.json'), 'utf8')).streamingCompanion.pluginId).toBe('empty-one');
    const none = await runCli();
    expect(none.code).toBe(1);
    expect(none.output).toMatch(/give one folder to write the plugin into[\s\S]*Usage:/);
  });
});
