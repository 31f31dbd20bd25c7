import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** Each overlay page's JavaScript may weigh this much gzipped. */
export const BUDGET_BYTES = 40 * 1024;

export const pagesDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'pages');

export interface PageWeight {
  page: string;
  files: number;
  raw: number;
  gzip: number;
}

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}

/**
 * Each built overlay page's JavaScript (its entry and every chunk it imports), gzipped file by
 * file as a browser downloads it. Null when the pages are not built.
 */
export function pageWeights(dir = pagesDir): PageWeight[] | null {
  const manifestPath = join(dir, '.vite', 'manifest.json');
  if (!existsSync(manifestPath)) return null;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, ManifestChunk>;

  const scriptsOf = (key: string, seen = new Set<string>()): Set<string> => {
    const chunk = manifest[key];
    if (!chunk || seen.has(key)) return new Set();
    seen.add(key);
    const files = new Set<string>(chunk.file.endsWith('.js') ? [chunk.file] : []);
    for (const next of [...(chunk.imports ?? []), ...(chunk.dynamicImports ?? [])]) for (const f of scriptsOf(next, seen)) files.add(f);
    return files;
  };

  const rows: PageWeight[] = [];
  for (const [key, chunk] of Object.entries(manifest)) {
    if (!chunk.isEntry || !key.endsWith('.html')) continue;
    let raw = 0;
    let gzip = 0;
    const files = scriptsOf(key);
    for (const file of files) {
      const bytes = readFileSync(join(dir, file));
      raw += bytes.length;
      gzip += gzipSync(bytes, { level: 9 }).length;
    }
    rows.push({ page: key.replace(/\.html$/, ''), files: files.size, raw, gzip });
  }
  return rows.sort((a, b) => a.page.localeCompare(b.page));
}
