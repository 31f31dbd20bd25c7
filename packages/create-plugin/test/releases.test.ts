import { existsSync } from 'node:fs';
import { cp, glob, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import semver from 'semver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../../apps/server/test/support/server-process.ts';
import { npmFreeEnv, run } from './support/run.ts';

/**
 * The release flow of the README's "Releasing" section, for real: the changesets CLI's
 * `changeset version` run on a copy of the workspace's manifests and pending changesets, checked
 * against a release plan worked out here from the changesets' front matter and
 * .changeset/config.json; then the lockfile, `npm publish --dry-run` and the scaffold on the new
 * versions. Building and packing each package is published-packages.test.ts's part.
 */

type Bump = 'patch' | 'minor' | 'major';
const BUMPS: readonly Bump[] = ['patch', 'minor', 'major'];
const higher = (a: Bump | undefined, b: Bump | undefined): Bump | undefined => (!a ? b : !b ? a : BUMPS.indexOf(a) >= BUMPS.indexOf(b) ? a : b);

/** The dependency fields that make a package depend on another when it is installed (devDependencies do not). */
const RUNTIME_DEPS = ['dependencies', 'optionalDependencies', 'peerDependencies'] as const;
const ALL_DEPS = [...RUNTIME_DEPS, 'devDependencies'] as const;

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  workspaces?: string[];
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

interface WorkspacePackage {
  /** Relative to the workspace root. */
  dir: string;
  manifest: Manifest;
}

interface ChangesetsConfig {
  access?: 'public' | 'restricted';
  fixed: string[][];
  ignore: string[];
  privatePackages?: { version?: boolean; tag?: boolean } | boolean;
}

interface Changeset {
  file: string;
  releases: Map<string, Bump>;
  summary: string;
}

const readJson = async <T>(path: string): Promise<T> => JSON.parse(await readFile(path, 'utf8')) as T;

async function workspacePackages(root: string): Promise<WorkspacePackage[]> {
  const { workspaces = [] } = await readJson<Manifest>(join(root, 'package.json'));
  const packages: WorkspacePackage[] = [];
  for await (const file of glob(workspaces.map((pattern) => `${pattern}/package.json`), { cwd: root })) {
    packages.push({ dir: join(file, '..'), manifest: await readJson<Manifest>(join(root, file)) });
  }
  return packages.sort((a, b) => a.dir.localeCompare(b.dir));
}

/** The pending changesets: each one's front matter (`"package": bump` lines) and its summary. */
async function pendingChangesets(changesetDir: string): Promise<Changeset[]> {
  const changesets: Changeset[] = [];
  for (const file of (await readdir(changesetDir)).filter((name) => name.endsWith('.md') && name !== 'README.md').sort()) {
    const text = await readFile(join(changesetDir, file), 'utf8');
    const parts = /^---\r?\n([\s\S]*?)\r?\n---\r?\n([\s\S]*)$/.exec(text);
    if (!parts) throw new Error(`${file}: no front matter`);
    const releases = new Map<string, Bump>();
    for (const line of parts[1]!.split(/\r?\n/).filter((line) => line.trim())) {
      const release = /^\s*["']?([^"':]+)["']?\s*:\s*(patch|minor|major)\s*$/.exec(line);
      if (!release) throw new Error(`${file}: front matter line "${line}" is not "package": bump`);
      releases.set(release[1]!, higher(releases.get(release[1]!), release[2] as Bump)!);
    }
    changesets.push({ file, releases, summary: parts[2]!.trim() });
  }
  return changesets;
}

const versionsPrivatePackages = (config: ChangesetsConfig) =>
  typeof config.privatePackages === 'boolean' ? config.privatePackages : (config.privatePackages?.version ?? false);

/**
 * What `changeset version` should do, from the changesets and the config alone: each named package
 * bumped by the most its changesets ask; a fixed group all bumped alike, from its highest version;
 * a package whose runtime dependency leaves its range bumped at least a patch (changesets' default
 * "out-of-range"), repeated until nothing moves. Ignored packages, and private ones unless the
 * config versions them, are never bumped.
 */
function plannedVersions(packages: WorkspacePackage[], changesets: Changeset[], config: ChangesetsConfig): Map<string, string> {
  const byName = new Map(packages.map((pkg) => [pkg.manifest.name, pkg.manifest]));
  const skipped = (name: string) => config.ignore.includes(name) || (!!byName.get(name)!.private && !versionsPrivatePackages(config));
  const bumps = new Map<string, Bump>();
  for (const changeset of changesets) for (const [name, bump] of changeset.releases) bumps.set(name, higher(bumps.get(name), bump)!);

  const versions = () => {
    const next = new Map<string, string>();
    for (const [name, manifest] of byName) {
      const group = config.fixed.find((members) => members.includes(name));
      const base = group ? semver.rsort(group.map((member) => byName.get(member)!.version))[0]! : manifest.version;
      const bump = bumps.get(name);
      next.set(name, bump ? semver.inc(base, bump)! : manifest.version);
    }
    return next;
  };
  for (;;) {
    const before = JSON.stringify([...bumps]);
    for (const group of config.fixed) {
      const bump = group.reduce<Bump | undefined>((most, name) => higher(most, bumps.get(name)), undefined);
      if (bump) for (const name of group) bumps.set(name, bump);
    }
    const next = versions();
    for (const [name, manifest] of byName) {
      if (skipped(name)) continue;
      for (const field of RUNTIME_DEPS) {
        for (const [dep, range] of Object.entries(manifest[field] ?? {})) {
          if (byName.has(dep) && bumps.has(dep) && !semver.satisfies(next.get(dep)!, range)) bumps.set(name, higher(bumps.get(name), 'patch')!);
        }
      }
    }
    if (JSON.stringify([...bumps]) === before) return next;
  }
}

/** The part of a CHANGELOG.md under `## <version>`. */
function changelogSection(changelog: string, version: string): string {
  const start = changelog.indexOf(`\n## ${version}\n`);
  if (start < 0) return '';
  const end = changelog.indexOf('\n## ', start + 1);
  return changelog.slice(start, end < 0 ? undefined : end);
}

describe('changeset version', () => {
  let workspace: string;
  let config: ChangesetsConfig;
  let changesets: Changeset[];
  let before: WorkspacePackage[];
  let after: Map<string, WorkspacePackage>;
  let planned: Map<string, string>;
  const createPlugin = 'create-streaming-companion-plugin';
  const oldVersion = (name: string) => before.find((pkg) => pkg.manifest.name === name)?.manifest.version;

  beforeAll(async () => {
    workspace = await mkdtemp(join(tmpdir(), 'sc-release-'));
    // What changesets reads (the workspace's manifests, changelogs and lockfile: its npm detection
    // needs package-lock.json), plus the scaffold's source, to write a plugin after the bump.
    for (const file of ['package.json', 'package-lock.json', '.npmrc', '.changeset']) await cp(join(repoRoot, file), join(workspace, file), { recursive: true });
    before = await workspacePackages(repoRoot);
    for (const { dir } of before) {
      await mkdir(join(workspace, dir), { recursive: true });
      for (const file of ['package.json', 'CHANGELOG.md']) if (existsSync(join(repoRoot, dir, file))) await cp(join(repoRoot, dir, file), join(workspace, dir, file));
    }
    const scaffold = before.find((pkg) => pkg.manifest.name === createPlugin)!.dir;
    for (const part of ['src', 'templates']) {
      await cp(join(repoRoot, scaffold, part), join(workspace, scaffold, part), { recursive: true, filter: (path) => !/[\\/](node_modules|dist)$/.test(path) });
    }

    config = await readJson<ChangesetsConfig>(join(repoRoot, '.changeset/config.json'));
    changesets = await pendingChangesets(join(repoRoot, '.changeset'));
    planned = plannedVersions(before, changesets, config);

    const versioned = await run(join(repoRoot, 'node_modules/.bin/changeset'), ['version'], { cwd: workspace, env: npmFreeEnv(), timeoutMs: 60_000 });
    expect(versioned, versioned.output).toMatchObject({ code: 0 });
    after = new Map((await workspacePackages(workspace)).map((pkg) => [pkg.manifest.name, pkg]));
  });
  afterAll(async () => {
    if (workspace) await rm(workspace, { recursive: true, force: true });
  });

  it('has changesets to release, naming only packages of the workspace that are not ignored', () => {
    expect(changesets.length).toBeGreaterThan(0);
    const names = new Set(before.map((pkg) => pkg.manifest.name));
    for (const changeset of changesets) {
      for (const name of changeset.releases.keys()) {
        expect(names.has(name), `${changeset.file} names ${name}`).toBe(true);
        expect(config.ignore, `${changeset.file} names ${name}`).not.toContain(name);
      }
    }
  });

  it('bumps each package as its changesets, the fixed group and its dependencies say, and nothing else', () => {
    const versions = Object.fromEntries([...after].map(([name, pkg]) => [name, pkg.manifest.version]));
    expect(versions).toEqual(Object.fromEntries(planned));
  });

  it('gives the fixed group one version', () => {
    expect(config.fixed.length).toBeGreaterThan(0);
    for (const group of config.fixed) expect(new Set(group.map((name) => after.get(name)!.manifest.version)).size, group.join(', ')).toBe(1);
  });

  it('leaves ignored packages, and private ones unless the config versions them, at their version', () => {
    const unchanged = before.filter(({ manifest }) => config.ignore.includes(manifest.name) || (manifest.private && !versionsPrivatePackages(config)));
    expect(unchanged.length).toBeGreaterThan(0);
    for (const { manifest } of unchanged) expect(after.get(manifest.name)!.manifest.version, manifest.name).toBe(manifest.version);
  });

  it('moves every range on a workspace package to its new version, so npm still links the workspace', async () => {
    const released = (name: string) => after.has(name) && after.get(name)!.manifest.version !== oldVersion(name);
    const root = await readJson<Manifest>(join(workspace, 'package.json'));
    for (const manifest of [root, ...[...after.values()].map((pkg) => pkg.manifest)]) {
      for (const field of ALL_DEPS) {
        for (const [dep, range] of Object.entries(manifest[field] ?? {})) {
          if (!after.has(dep)) continue;
          const version = after.get(dep)!.manifest.version;
          expect(semver.satisfies(version, range), `${manifest.name} ${field} ${dep}@${range}`).toBe(true);
          // updateInternalDependencies "patch": a released package's range on a released one is moved even when still in range.
          if (released(manifest.name) && released(dep)) expect(range, `${manifest.name} ${field} ${dep}`).toBe(`${/^[\^~]?/.exec(range)![0]}${version}`);
        }
      }
    }
    // The lockfile, refreshed from the new manifests alone (offline): every workspace package a link, none fetched.
    const locked = await run('npm', ['install', '--package-lock-only', '--ignore-scripts', '--offline'], { cwd: workspace, env: npmFreeEnv(), timeoutMs: 60_000 });
    expect(locked, locked.output).toMatchObject({ code: 0 });
    const lock = await readJson<{ packages: Record<string, { version?: string; link?: boolean; resolved?: string }> }>(join(workspace, 'package-lock.json'));
    for (const { dir, manifest } of after.values()) {
      expect(lock.packages[dir]?.version, dir).toBe(manifest.version);
      expect(lock.packages[`node_modules/${manifest.name}`], manifest.name).toMatchObject({ link: true, resolved: dir });
      expect(Object.keys(lock.packages).filter((path) => path.endsWith(`node_modules/${manifest.name}`))).toEqual([`node_modules/${manifest.name}`]);
    }
  });

  it('writes each released package’s changelog: its changesets’ summaries, and the dependencies that moved', async () => {
    for (const { dir, manifest } of before) {
      const version = after.get(manifest.name)!.manifest.version;
      if (version === manifest.version) continue;
      const changelog = await readFile(join(workspace, dir, 'CHANGELOG.md'), 'utf8');
      expect(changelog.startsWith(`# ${manifest.name}\n`), manifest.name).toBe(true);
      const section = changelogSection(changelog, version);
      expect(section, `${manifest.name}: ## ${version}`).not.toBe('');
      for (const changeset of changesets.filter((changeset) => changeset.releases.has(manifest.name))) {
        for (const line of changeset.summary.split('\n').map((line) => line.trim()).filter(Boolean)) {
          expect(section, `${manifest.name}: ${changeset.file}`).toContain(line);
        }
      }
      const movedDeps = RUNTIME_DEPS.flatMap((field) => Object.entries(manifest[field] ?? {}))
        .filter(([dep, range]) => after.has(dep) && !semver.satisfies(after.get(dep)!.manifest.version, range));
      if (movedDeps.length > 0) expect(section, manifest.name).toContain('Updated dependencies');
      for (const [dep] of movedDeps) expect(section, manifest.name).toContain(`  - ${dep}@${after.get(dep)!.manifest.version}`);
    }
  });

  it('leaves every package changesets would publish acceptable to npm publish at its new version, offline', async () => {
    // `changeset publish` runs `npm publish` (with the config's access) in each package that is not
    // private and whose version is not on the registry yet. `--offline` shows the dry run needs no
    // network (online, it only asks the registry whether the version is out yet).
    const published = [...after.values()].filter(({ manifest }) => !manifest.private && !config.ignore.includes(manifest.name));
    expect(published.length).toBeGreaterThan(0);
    const access = config.access ?? 'restricted';
    const dryRun = await run('npm', ['publish', '--dry-run', '--ignore-scripts', '--offline', '--json', '--access', access, ...published.flatMap(({ manifest }) => ['-w', manifest.name])], { cwd: workspace, env: npmFreeEnv(), timeoutMs: 60_000 });
    expect(dryRun, dryRun.output).toMatchObject({ code: 0 });
    const results = JSON.parse(dryRun.stdout) as Record<string, { id: string }>;
    expect(Object.fromEntries(Object.entries(results).map(([name, result]) => [name, result.id]))).toEqual(
      Object.fromEntries(published.map(({ manifest }) => [manifest.name, `${manifest.name}@${manifest.version}`])),
    );
  });

  it('consumes the changesets', async () => {
    expect((await readdir(join(workspace, '.changeset'))).filter((name) => name.endsWith('.md'))).toEqual(['README.md']);
  });

  it('moves the scaffold with the packages it writes plugins for', async () => {
    const target = join(workspace, 'scaffolded', 'clip-marks');
    const written = await run(process.execPath, [join(workspace, after.get(createPlugin)!.dir, 'src/cli.ts'), target], { cwd: workspace, timeoutMs: 30_000 });
    expect(written, written.output).toMatchObject({ code: 0 });
    const plugin = await readJson<Manifest & { streamingCompanion: { engine: string } }>(join(target, 'package.json'));
    const group = config.fixed.find((members) => members.includes(createPlugin)) ?? [];
    const pinned: Array<[string, string]> = [
      ['@streaming-companion/core', plugin.streamingCompanion.engine],
      ...ALL_DEPS.flatMap((field) => Object.entries(plugin[field] ?? {})).filter(([dep]) => after.has(dep)),
    ];
    expect(pinned.length).toBeGreaterThanOrEqual(4);
    for (const [dep, range] of pinned) {
      // In the scaffold's fixed group, so a release that moves them republishes the scaffold with them.
      expect(group, dep).toContain(dep);
      expect(range, dep).toBe(`^${after.get(createPlugin)!.manifest.version}`);
      expect(semver.satisfies(after.get(dep)!.manifest.version, range), `${dep}@${range}`).toBe(true);
    }
  });
});
