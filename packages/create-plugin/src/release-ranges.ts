import { readFile } from 'node:fs/promises';

/**
 * This package is released together with the kernel, the SDK and the test kit: the four are one
 * changesets `fixed` group (.changeset/config.json), so they always share a version, and this
 * package's own version is the one a new plugin is written against. Read when the scaffold runs,
 * so a release needs no edit to the template. In `src/` and `dist/` alike, package.json is one level up.
 */
const OWN_PACKAGE_JSON = new URL('../package.json', import.meta.url);

/** The template's package.json with `^` this release's version for the kernel (its engine range), the SDK and the test kit. */
export async function pinReleaseRanges(packageJson: string): Promise<string> {
  const { version } = JSON.parse(await readFile(OWN_PACKAGE_JSON, 'utf8')) as { version: string };
  const range = `^${version}`;
  const pkg = JSON.parse(packageJson);
  pkg.streamingCompanion.engine = range;
  pkg.peerDependencies['@streaming-companion/sdk'] = range;
  pkg.devDependencies['@streaming-companion/sdk'] = range;
  pkg.devDependencies['@streaming-companion/testing'] = range;
  return `${JSON.stringify(pkg, null, 2)}\n`;
}
