import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';

/**
 * The real server as a child process, started the way the README tells people to
 * (`npm start`: `node --max-semi-space-size=16 --import ./apps/server/src/module-resolution.ts apps/server/src/main.ts`), with its JSON log lines collected.
 * Every wait ends on a log line or an exit, never on a timer.
 */

export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

export type LogLine = Record<string, unknown> & { msg?: string; level?: number };

const SERVER_ENTRY = 'apps/server/src/main.ts';

/** The node flags `npm start` gives the server (read from the root package.json, so the two cannot drift apart). */
export function serverNodeFlags(): string[] {
  const { scripts } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const words = scripts.start!.split(/\s+/);
  return words.slice(1, words.indexOf('--import'));
}

/**
 * This process's environment as a person would have it: nothing pointing at Postgres or
 * Redis and none of the test runner's variables (Vitest sets NODE_ENV=test); then `extra`
 * (an undefined value removes a variable).
 */
export function cleanEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['DATABASE_URL', 'POSTGRES_HOST', 'REDIS_URL', 'REDIS_HOST', 'PORT', 'HOST', 'DATA_DIR', 'AUTH_MODE', 'JWT_SECRET', 'PLUGIN_CONFIG']) {
    delete env[name];
  }
  for (const name of Object.keys(env)) if (name.startsWith('VITEST') || name === 'NODE_OPTIONS' || name === 'NODE_ENV') delete env[name];
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

export class ServerProcess {
  readonly child: ChildProcess;
  readonly lines: LogLine[] = [];
  /** Output that was not a JSON log line (should stay empty). */
  readonly other: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly #waiters: Array<Waiter<LogLine>> = [];
  readonly #textWaiters: Array<Waiter<string>> = [];

  /** `entry` is the script to run, relative to the repository root (another one: `npm run dev`'s); the server gets `npm start`'s node flags. */
  constructor(args: string[], env: Record<string, string | undefined>, entry = SERVER_ENTRY) {
    const flags = entry === SERVER_ENTRY ? serverNodeFlags() : [];
    this.child = spawn(process.execPath, [...flags, '--import', './apps/server/src/module-resolution.ts', entry, ...args], {
      cwd: repoRoot,
      env: cleanEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      let buffer = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        buffer += chunk;
        let newline: number;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          this.#take(buffer.slice(0, newline));
          buffer = buffer.slice(newline + 1);
        }
      });
      stream.on('end', () => buffer && this.#take(buffer));
    }
  }

  /** The first log line (already seen or still to come) that matches; fails if the process exits first. */
  waitFor(match: (line: LogLine) => boolean, what: string): Promise<LogLine> {
    return this.#first(this.lines, this.#waiters, match, `logging ${what}`);
  }

  /** The first line of plain (not JSON) output that matches, such as a dev server's banner. */
  waitForText(match: (text: string) => boolean, what: string): Promise<string> {
    return this.#first(this.other, this.#textWaiters, match, `printing ${what}`);
  }

  async #first<T>(seen: T[], waiters: Array<Waiter<T>>, match: (item: T) => boolean, what: string): Promise<T> {
    const found = seen.find(match);
    if (found !== undefined) return found;
    const next = new Promise<T>((resolve) => waiters.push({ match, resolve }));
    const exit = this.exited.then(async ({ code, signal }) => {
      await this.#drained();
      const late = seen.find(match);
      if (late !== undefined) return late;
      throw new Error(`the process exited (code ${code}, signal ${signal}) before ${what}:\n${this.output()}`);
    });
    return Promise.race([next, exit]);
  }

  /** The exit code, once the process has exited and its output is read in full. */
  async exitCode(): Promise<number | null> {
    const { code } = await this.exited;
    await this.#drained();
    return code;
  }

  /** SIGTERM (or `signal`), then the exit code. */
  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exitCode();
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  /** Every line of output, as written. */
  rawLines(): string[] {
    return [...this.lines.map((l) => JSON.stringify(l)), ...this.other];
  }

  output(): string {
    return this.rawLines().join('\n');
  }

  /** Log lines at error level or worse. */
  errors(): LogLine[] {
    return this.lines.filter((line) => (line.level ?? 0) >= 50);
  }

  #drained(): Promise<unknown> {
    return Promise.all([this.child.stdout!, this.child.stderr!].map((s) => finished(s).catch(() => {})));
  }

  #take(text: string): void {
    if (!text.trim()) return;
    let line: LogLine;
    try {
      line = JSON.parse(text);
    } catch {
      this.other.push(text);
      settle(this.#textWaiters, text);
      return;
    }
    this.lines.push(line);
    settle(this.#waiters, line);
  }
}

interface Waiter<T> {
  match: (item: T) => boolean;
  resolve: (item: T) => void;
}

/** Resolves (and forgets) every waiter that `item` matches. */
function settle<T>(waiters: Array<Waiter<T>>, item: T): void {
  for (let i = waiters.length - 1; i >= 0; i--) {
    if (!waiters[i]!.match(item)) continue;
    waiters[i]!.resolve(item);
    waiters.splice(i, 1);
  }
}
