import { spawn } from 'node:child_process';
import { cleanEnv, repoRoot } from '../../../../apps/server/test/support/server-process.ts';

export interface Finished {
  code: number | null;
  /** stdout and stderr together, as they came. */
  output: string;
  stdout: string;
}

/** Each child process has this long unless told otherwise: a type-check or a kernel's boot is slow on a busy machine. */
export const CHILD_MS = 180_000;

/** Runs a command to its end (killed after `timeoutMs`); by default from the repository root, in `cleanEnv({})`. */
export function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd ?? repoRoot, env: options.env ?? cleanEnv({}), timeout: options.timeoutMs ?? CHILD_MS, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, stdout, output: signal ? `${output}\n(killed by ${signal})` : output }));
  });
}

/**
 * The environment for npm and the commands it runs: `cleanEnv` (no database, Redis or Vitest
 * variables) without this test run's own npm variables either, then `extra`.
 */
export function npmFreeEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env = cleanEnv(extra);
  for (const name of Object.keys(env)) if (name.startsWith('npm_')) delete env[name];
  return env;
}
