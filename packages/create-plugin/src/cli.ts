#!/usr/bin/env node
import { isAbsolute, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { ScaffoldError } from './plugin-names.ts';
import { scaffoldPlugin } from './scaffold.ts';

// `npm create streaming-companion-plugin@latest <dir>` runs this. It has no dependencies, so
// `npm create` installs nothing else: arguments are checked by hand, not with zod.

const USAGE = `Usage: npm create streaming-companion-plugin@latest <dir> -- [--id <plugin-id>] [--name <npm name>]

Writes a Streaming Companion plugin package into <dir> (new or empty): a route, a socket
command and event, a domain event and a subscriber, a job, an entity with its migration,
config, and a passing test on the test kit.

  --id <plugin-id>   lowercase letters, digits and dashes (default: from the package name)
  --name <npm name>  the npm package name, e.g. @acme/streaming-shoutouts (default: <dir>'s name)
  --help             this text`;

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { id: { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    return fail(`${(error as Error).message}\n\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length !== 1) return fail(`give one folder to write the plugin into\n\n${USAGE}`);

  try {
    const { dir, names } = await scaffoldPlugin({ dir: positionals[0]!, packageName: values.name, id: values.id });
    const below = relative(process.cwd(), dir);
    const where = below && !below.startsWith('..') && !isAbsolute(below) ? below : dir;
    console.log(`Created ${names.packageName} (plugin id "${names.id}") in ${where}

Next:
  cd ${where}
  npm install
  npm test

Its README says how to load it into a server (PLUGINS) and how to publish it.`);
    return 0;
  } catch (error) {
    if (error instanceof ScaffoldError) return fail(error.message);
    throw error;
  }
}

function fail(message: string): number {
  console.error(`create-streaming-companion-plugin: ${message}`);
  return 1;
}

process.exitCode = await main(process.argv.slice(2));
