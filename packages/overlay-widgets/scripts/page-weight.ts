/**
 * Page weight, run after the pages build: each overlay page's JavaScript, gzipped, printed as
 * a table. Fails the build when a page is above the budget (40 KB gzipped).
 */
import { BUDGET_BYTES, pagesDir, pageWeights } from './page-weights.ts';

const rows = pageWeights();
if (!rows) {
  console.error(`page weight: no manifest in ${pagesDir}; build the pages first`);
  process.exit(1);
}
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
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
