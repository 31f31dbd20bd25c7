/**
 * Page weight: each overlay page's JavaScript (its entry and every chunk it imports), gzipped
 * file by file as a browser downloads it, printed as a table. Fails the build when a page is
 * above the budget (40 KB gzipped).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const BUDGET_BYTES = 40 * 1024;

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}

const pagesDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'pages');
const manifestPath = join(pagesDir, '.vite', 'manifest.json');
if (!existsSync(manifestPath)) {
  console.error(`page weight: ${manifestPath} is missing; build the pages first`);
  process.exit(1);
}
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, ManifestChunk>;

/** Every JS file a manifest entry loads, itself included. */
function scriptsOf(key: string, seen = new Set<string>()): Set<string> {
  const chunk = manifest[key];
  if (!chunk || seen.has(key)) return new Set();
  seen.add(key);
  const files = new Set<string>(chunk.file.endsWith('.js') ? [chunk.file] : []);
  for (const next of [...(chunk.imports ?? []), ...(chunk.dynamicImports ?? [])]) for (const f of scriptsOf(next, seen)) files.add(f);
  return files;
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
const rows: Array<{ page: string; files: number; raw: number; gzip: number }> = [];
for (const [key, chunk] of Object.entries(manifest)) {
  if (!chunk.isEntry || !key.endsWith('.html')) continue;
  let raw = 0;
  let gzip = 0;
  const files = scriptsOf(key);
  for (const file of files) {
    const bytes = readFileSync(join(pagesDir, file));
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  rows.push({ page: key.replace(/\.html$/, ''), files: files.size, raw, gzip });
}
rows.sort((a, b) => a.page.localeCompare(b.page));

console.log(`\nOverlay page JavaScript (budget ${kb(BUDGET_BYTES)} gzipped per page)`);
console.log(`${'page'.padEnd(12)}${'files'.padStart(6)}${'raw'.padStart(11)}${'gzipped'.padStart(11)}`);
for (const r of rows) console.log(`${r.page.padEnd(12)}${String(r.files).padStart(6)}${kb(r.raw).padStart(11)}${kb(r.gzip).padStart(11)}${r.gzip > BUDGET_BYTES ? '  OVER BUDGET' : ''}`);

const over = rows.filter((r) => r.gzip > BUDGET_BYTES);
if (!rows.length) {
  console.error('page weight: no pages found in the manifest');
  process.exit(1);
}
if (over.length) {
  console.error(`page weight: ${over.map((r) => r.page).join(', ')} above ${kb(BUDGET_BYTES)} gzipped`);
  process.exit(1);
}
