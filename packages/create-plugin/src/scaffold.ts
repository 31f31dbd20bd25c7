import { mkdir, mkdtemp, readdir, readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pluginNames, ScaffoldError, type PluginNames } from './plugin-names.ts';
import { pinReleaseRanges } from './release-ranges.ts';

/**
 * The template is a working plugin, id `starter-kit`, kept as real files so it reads (and
 * type-checks) as the code it becomes. Each spelling of its names is swapped for the new
 * plugin's; in `src/` and `dist/` alike, the folder sits one level up.
 */
const TEMPLATE_DIR = fileURLToPath(new URL('../templates/plugin/', import.meta.url));

/** Longest first, so the package name is replaced whole before the id inside it. */
const TEMPLATE_NAMES = new Map<string, keyof PluginNames>([
  ['streaming-companion-starter-kit', 'packageName'],
  ['starter-kit', 'id'],
  ['starter_kit', 'snake'],
  ['starterKit', 'camel'],
  ['StarterKit', 'pascal'],
]);
const TEMPLATE_NAME_PATTERN = new RegExp([...TEMPLATE_NAMES.keys()].join('|'), 'g');

/** npm leaves a package's `.gitignore` out when it is published, so the template ships it under another name. */
const RENAMED_FILES: Record<string, string> = { _gitignore: '.gitignore' };
/** What running the template in place leaves in it (installs, builds, Vitest's cache), none of it the template's. */
const NOT_TEMPLATE = /^(node_modules|dist)([\\/]|$)/;

export interface ScaffoldOptions {
  /** Where to write the plugin: a folder that does not exist yet, or an empty one. */
  dir: string;
  /** The npm package name; the folder's name when not given. */
  packageName?: string;
  /** The plugin id; taken from the package name when not given. */
  id?: string;
}

export interface ScaffoldedPlugin {
  dir: string;
  names: PluginNames;
  /** Paths relative to `dir`. */
  files: string[];
}

/** Writes a new plugin package, all of it or (on any failure) nothing. */
export async function scaffoldPlugin(options: ScaffoldOptions): Promise<ScaffoldedPlugin> {
  const dir = resolve(options.dir);
  const names = pluginNames(options.packageName ?? basename(dir), options.id);
  await refuseNonEmpty(dir);
  const files = await renderTemplate(names);
  await writeWhole(dir, files);
  return { dir, names, files: [...files.keys()].sort() };
}

/** The template's files as the new plugin's: path → contents. */
async function renderTemplate(names: PluginNames): Promise<Map<string, string>> {
  const swapNames = (text: string) => text.replace(TEMPLATE_NAME_PATTERN, (name) => names[TEMPLATE_NAMES.get(name)!]);
  const files = new Map<string, string>();
  for (const entry of await readdir(TEMPLATE_DIR, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = relative(TEMPLATE_DIR, join(entry.parentPath, entry.name));
    if (NOT_TEMPLATE.test(path)) continue;
    const target = join(dirname(path), RENAMED_FILES[entry.name] ?? entry.name);
    const contents = swapNames(await readFile(join(TEMPLATE_DIR, path), 'utf8'));
    files.set(swapNames(target), path === 'package.json' ? await pinReleaseRanges(contents) : contents);
  }
  return files;
}

async function refuseNonEmpty(dir: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code === 'ENOTDIR') throw new ScaffoldError(`${dir} is a file, not a folder`);
    throw error;
  }
  if (entries.length > 0) throw new ScaffoldError(`${dir} is not empty: choose a new folder, or empty this one`);
}

/** Written beside the target first and moved into place last, so a failure leaves no half a plugin behind. */
async function writeWhole(dir: string, files: Map<string, string>): Promise<void> {
  await mkdir(dirname(dir), { recursive: true });
  const staging = await mkdtemp(join(dirname(dir), `.${basename(dir)}-`));
  try {
    for (const [path, contents] of files) {
      await mkdir(dirname(join(staging, path)), { recursive: true });
      await writeFile(join(staging, path), contents);
    }
    await rmdir(dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    await rename(staging, dir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}
