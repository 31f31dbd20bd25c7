import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The committed API reference (docs/api/sdk) is what `npm run docs:api` makes of the SDK as it
 * is now: a changed type or doc comment without a regenerated reference fails here.
 */

const root = fileURLToPath(new URL('../../../', import.meta.url));
const sdk = join(root, 'packages/sdk');
const committed = join(root, 'docs/api/sdk');
const run = promisify(execFile);

let out: string;
let generated: Map<string, string>;

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'sdk-api-reference-'));
  // The CLI, as `npm run docs:api` runs it: with `treatWarningsAsErrors`, an undocumented export or
  // a type referenced but not exported fails the run.
  await run(process.execPath, [join(root, 'node_modules/typedoc/bin/typedoc'), '--options', join(sdk, 'typedoc.json'), '--out', out], { cwd: root });
  generated = await readTree(out);
}, 120_000);

afterAll(async () => {
  if (out) await rm(out, { recursive: true, force: true });
});

describe('the SDK API reference', () => {
  it('is generated from every entry point the package exports', async () => {
    const pkg = JSON.parse(await readFile(join(sdk, 'package.json'), 'utf8')) as { exports: Record<string, { source: string }> };
    const config = ts.parseConfigFileTextToJson('typedoc.json', await readFile(join(sdk, 'typedoc.json'), 'utf8'));
    const entryPoints = (config.config as { entryPoints: string[] }).entryPoints.map((path) => resolve(sdk, path));
    expect(entryPoints).toEqual(Object.values(pkg.exports).map((entry) => resolve(sdk, entry.source)));
  });

  it('is committed as generated (`npm run docs:api` regenerates it)', async () => {
    const stored = await readTree(committed);
    const stale = [...new Set([...generated.keys(), ...stored.keys()])].filter((path) => generated.get(path) !== stored.get(path)).sort();
    expect(stale, 'pages that differ from a fresh `npm run docs:api`').toEqual([]);
  });

  it.each([
    ['sdk/functions/definePlugin.md', '# Function: definePlugin()'],
    ['sdk/functions/defineEvents.md', '# Function: defineEvents()'],
    ['sdk/functions/createServiceRef.md', '# Function: createServiceRef()'],
    ['sdk/variables/coreServices.md', '# Variable: coreServices'],
    ['sdk/classes/Problem.md', '# Class: Problem'],
    ['sdk/webhooks/functions/verifyWebhook.md', '# Function: verifyWebhook()'],
  ])('documents %s', (page, heading) => {
    const text = generated.get(page);
    expect(text, `${page} is generated`).toBeDefined();
    expect(text).toContain(heading);
    // Its doc comment, not only its signature: what follows the heading and the signature is prose, not the next section.
    const lines = text!.slice(text!.indexOf(heading) + heading.length).split('\n').filter((line) => line.trim() !== '');
    expect(lines.find((line) => !line.startsWith('>'))).not.toMatch(/^#/);
  });
});

async function readTree(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(path.slice(dir.length + 1), await readFile(path, 'utf8'));
  }
  return files;
}
