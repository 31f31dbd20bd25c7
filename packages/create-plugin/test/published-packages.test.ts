import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tipsPlugin } from '@streaming-companion/plugin-tips';
import { startTestKernel, type TestKernel } from '@streaming-companion/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, ServerProcess } from '../../../apps/server/test/support/server-process.ts';
import { CHILD_MS, npmFreeEnv, run } from './support/run.ts';

/**
 * The packages as npm publishes them: each packed (`npm pack`, which builds it first), then
 * installed from its tarball into an empty folder outside the workspace, where nothing of the
 * workspace can be reached, and used as an integration and a plugin author use them.
 * Third-party dependencies come from the npm registry (or npm's cache of it).
 */

interface Packed {
  name: string;
  filename: string;
  files: Array<{ path: string }>;
}

interface PackageJson {
  name: string;
  private?: boolean;
  exports?: Record<string, string | Record<string, string>>;
  bin?: Record<string, string>;
  scripts?: Record<string, string>;
}

const outside = await mkdtemp(join(tmpdir(), 'sc-published-'));
const tarballs = join(outside, 'tarballs');
const packed = new Map<string, Packed>();
const tarball = (name: string) => join(tarballs, packed.get(name)!.filename);

const manifestOf = async (name: string): Promise<PackageJson> => JSON.parse(await readFile(join(repoRoot, 'node_modules', name, 'package.json'), 'utf8'));

/** The published packages, in the order the root `build` script builds them (each needs the ones before it built). */
async function publishedInBuildOrder(): Promise<string[]> {
  const root: PackageJson = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8'));
  const names = [...String(root.scripts?.build).matchAll(/-w (\S+)/g)].map((match) => match[1]!);
  const manifests = await Promise.all(names.map(manifestOf));
  return manifests.filter((pkg) => !pkg.private).map((pkg) => pkg.name);
}

/** `npm install` in `dir` of the given tarballs (and registry packages), scripts off as an installing user's npm has them. */
async function install(dir: string, specs: string[]) {
  await mkdir(dir, { recursive: true });
  if (!existsSync(join(dir, 'package.json'))) await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'outside', private: true, type: 'module' }));
  const installed = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', ...specs], { cwd: dir, env: npmFreeEnv() });
  expect(installed, installed.output).toMatchObject({ code: 0 });
}

beforeAll(async () => {
  const names = await publishedInBuildOrder();
  await mkdir(tarballs);
  const packing = await run('npm', ['pack', '--json', '--pack-destination', tarballs, ...names.flatMap((name) => ['-w', name])], { env: npmFreeEnv(), timeoutMs: 600_000 });
  expect(packing, packing.output).toMatchObject({ code: 0 });
  // The builds' own output (Vite's) shares stdout with npm's JSON, which comes last.
  for (const result of JSON.parse(packing.stdout.slice(packing.stdout.search(/^\[\s*\{/m))) as Packed[]) packed.set(result.name, result);
  expect([...packed.keys()].sort()).toEqual([...names].sort());
}, 660_000);

afterAll(() => rm(outside, { recursive: true, force: true }));

describe('every published package', () => {
  it('packs its build with types for each export, its README, and neither tests nor the workspace', async () => {
    for (const [name, result] of packed) {
      const files = new Set(result.files.map((file) => file.path));
      const manifest = await manifestOf(name);
      expect(files, name).toContain('README.md');
      for (const [entry, target] of Object.entries(manifest.exports ?? {})) {
        if (typeof target === 'string') {
          expect(files, `${name} ${entry}`).toContain(target.replace(/^\.\//, ''));
          continue;
        }
        expect(Object.keys(target), `${name} ${entry} has types`).toContain('types');
        for (const [condition, path] of Object.entries(target)) expect(files, `${name} ${entry} (${condition})`).toContain(path.replace(/^\.\//, ''));
      }
      for (const bin of Object.values(manifest.bin ?? {})) expect(files, `${name} bin`).toContain(bin.replace(/^\.\//, ''));
      // The scaffold's template is a plugin package, tests and all: what it writes, not what it runs.
      const shipped = [...files].filter((path) => !path.startsWith('templates/'));
      expect(shipped.filter((path) => /(^|\/)(test|node_modules)\//.test(path) || path.endsWith('.test.ts')), name).toEqual([]);
    }
  });

  it('passes `npm publish --dry-run` as built', async () => {
    const names = [...packed.keys()];
    const published = await run('npm', ['publish', '--dry-run', '--offline', '--ignore-scripts', '--access', 'public', ...names.flatMap((name) => ['-w', name])], { env: npmFreeEnv() });
    expect(published, published.output).toMatchObject({ code: 0 });
    for (const name of names) expect(published.output).toContain(`${name}@`);
  }, CHILD_MS);
});

describe('an integration that installs the client', () => {
  const app = join(outside, 'integration');
  let t: TestKernel;

  beforeAll(async () => {
    // The client's own dependencies are published packages too: their tarballs stand in for the registry.
    const ours = [...packed.keys()].filter((name) => name === '@streaming-companion/client' || name === '@streaming-companion/sdk' || name.startsWith('@streaming-companion/plugin-'));
    await install(app, [...ours.map(tarball), 'typescript@~6.0.3', '@types/node@^24']);
    t = await startTestKernel({ plugins: [tipsPlugin] });
  }, CHILD_MS);
  afterAll(() => t?.stop());

  it('pulls in neither the ORM nor a database, Redis or server library', () => {
    for (const name of ['@mikro-orm/core', '@mikro-orm/sql', 'pg', '@electric-sql/pglite', 'ioredis', 'bullmq', 'koa', 'socket.io', '@streaming-companion/core']) {
      expect(existsSync(join(app, 'node_modules', name)), name).toBe(false);
    }
  });

  it('type-checks a script against the installed types and runs it with plain node: a tip recorded and received live', async () => {
    await writeFile(
      join(app, 'record-tip.ts'),
      `import { createClient, type TipDto } from '@streaming-companion/client';
import { tipEvents } from '@streaming-companion/plugin-tips/contract';

const client = createClient({ baseUrl: process.env.SC_URL!, token: process.env.SC_TOKEN });
const session = await client.sessions.start({ platform: 'chaturbate', title: 'From outside' });
const live = client.connect();
const received = new Promise<TipDto>((resolve) => live.on('tip_received', ({ tip }) => resolve(tip)));
await live.joinSession(session.id);
const recorded = await client.tips.record({ sessionId: session.id, amountCents: 250, tipperName: 'Outside' }, { idempotencyKey: 'outside-1' });
const tip: TipDto = await received;
// The contracts load at run time without the ORM: an integration can validate with them.
const valid = tipEvents.socket.tip_received.schema.safeParse({}).success;
console.log(JSON.stringify({ sessionId: session.id, recorded: recorded.id, received: tip.id, amountCents: tip.amountCents, valid }));
live.close();
`,
    );
    await writeFile(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'es2024', module: 'nodenext', strict: true, noEmit: true, skipLibCheck: true, types: ['node'] }, files: ['record-tip.ts'] }));
    const checked = await run(process.execPath, [join(app, 'node_modules/typescript/bin/tsc'), '-p', app], { cwd: app, env: npmFreeEnv() });
    expect(checked, checked.output).toMatchObject({ code: 0 });

    const { token } = await t.createCreator();
    const ran = await run(process.execPath, ['record-tip.ts'], { cwd: app, env: npmFreeEnv({ SC_URL: t.url, SC_TOKEN: token }), timeoutMs: 60_000 });
    expect(ran, ran.output).toMatchObject({ code: 0 });
    const result = JSON.parse(ran.stdout.trim().split('\n').at(-1)!);
    expect(result).toEqual({ sessionId: expect.any(String), recorded: result.received, received: expect.any(String), amountCents: 250, valid: false });
    const stored = await t.http.get(`/api/tips?sessionId=${result.sessionId}`, { token });
    expect(stored.body.items.map((tip: { id: string }) => tip.id)).toEqual([result.recorded]);
  }, CHILD_MS);
});

describe('a plugin author outside the workspace', () => {
  const tools = join(outside, 'tools');
  const pluginDir = join(outside, 'clip-marks');

  beforeAll(async () => {
    await install(tools, [tarball('create-streaming-companion-plugin')]);
    const created = await run(join(tools, 'node_modules/.bin/create-streaming-companion-plugin'), [pluginDir, '--name', '@acme/clip-marks'], { cwd: outside, env: npmFreeEnv(), timeoutMs: 60_000 });
    expect(created, created.output).toMatchObject({ code: 0 });
    // The generated package asks for the SDK and the test kit by version; the tarballs (and the kernel the kit boots) stand in for the registry.
    await install(pluginDir, ['--save-dev', ...['@streaming-companion/sdk', '@streaming-companion/testing', '@streaming-companion/core'].map(tarball)]);
  }, CHILD_MS * 2);

  it('builds and passes its own tests against the installed SDK and test kit', async () => {
    const built = await run('npm', ['run', 'build'], { cwd: pluginDir, env: npmFreeEnv() });
    expect(built, built.output).toMatchObject({ code: 0 });
    const tested = await run('npm', ['test'], { cwd: pluginDir, env: npmFreeEnv({ DATABASE_URL: process.env.DATABASE_URL, REDIS_URL: process.env.REDIS_URL, NO_COLOR: '1' }) });
    expect(tested, tested.output).toMatchObject({ code: 0 });
    expect(tested.output).toMatch(/Tests\s+\d+ passed/);
  }, CHILD_MS * 2);

  it('loads into the server through PLUGINS beside its own copies of the SDK and the ORM, sharing the server\'s', async () => {
    expect(existsSync(join(pluginDir, 'node_modules/@streaming-companion/sdk/dist/index.js'))).toBe(true);
    const dataDir = await mkdtemp(join(tmpdir(), 'sc-published-server-'));
    const server = new ServerProcess([], { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', PLUGINS: pluginDir });
    try {
      const listening = await server.waitFor((line) => line.msg === 'listening', 'the "listening" line');
      const base = new URL(String(listening.url)).origin;
      const call = async (method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) => {
        const headers: Record<string, string> = { ...options.headers };
        if (options.body !== undefined) headers['content-type'] = 'application/json';
        if (options.token) headers.authorization = `Bearer ${options.token}`;
        const response = await fetch(`${base}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
        return { status: response.status, body: await response.json() };
      };
      const signup = await call('POST', '/api/auth/signup', { body: { email: `outside-${randomBytes(4).toString('hex')}@example.test`, password: 'correct horse battery staple', displayName: 'Ada' } });
      const token: string = signup.body.token;
      const session = await call('POST', '/api/sessions', { token, body: { platform: 'chaturbate' } });

      const marked = await call('POST', '/api/clip-marks/highlights', { token, body: { sessionId: session.body.id, label: 'Installed' } });
      expect(marked).toMatchObject({ status: 201, body: { label: 'Installed' } });
      // A Problem thrown by the plugin is the server's Problem: the SDK it imports is the server's.
      const refused = await call('POST', '/api/clip-marks/highlights', { token, body: { sessionId: session.body.id, label: 'Again' }, headers: { 'idempotency-key': 'k'.repeat(201) } });
      expect(refused).toMatchObject({ status: 400, body: { errors: [{ field: 'Idempotency-Key' }] } });
      expect(await server.stop()).toBe(0);
    } finally {
      server.kill();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, CHILD_MS);
});
