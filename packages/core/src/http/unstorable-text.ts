import type { ProblemFieldError } from '@streaming-companion/sdk';
import { fieldsProblem } from './problem.ts';

/** Enough to tell a client what to fix, without answering a huge body with a huge problem. */
const MAX_FAULTS = 20;
const NUL = '\u0000';

const NUL_MESSAGE = 'must not contain the NUL character (U+0000)';
const SURROGATE_MESSAGE = 'must be well-formed Unicode (a lone surrogate, like \\ud800, is not a character)';

/**
 * Every string (and object key) in validated input that Postgres cannot store, as field
 * errors: text holding U+0000 (refused in `text` and `jsonb`) or a lone UTF-16 surrogate
 * (refused in `jsonb`), either of which would fail at the database as a 500. The kernel checks
 * every route's params, query and body and every socket command's payload with this after its
 * schema, whatever the schema says (a `z.unknown()` inside metadata too). Walked without
 * recursion: a deeply nested body cannot overflow the stack.
 */
export function unstorableTextFaults(value: unknown, location?: string): ProblemFieldError[] {
  const faults: ProblemFieldError[] = [];
  const queue: Array<{ value: unknown; path: string[] }> = [{ value, path: [] }];
  for (let next = 0; next < queue.length && faults.length < MAX_FAULTS; next++) {
    const item = queue[next]!;
    if (typeof item.value === 'string') {
      const problem = textProblem(item.value);
      if (problem) faults.push(fault(location, item.path, problem.rule, problem.message));
      continue;
    }
    for (const [key, child] of children(item.value)) {
      const path = [...item.path, key];
      const problem = textProblem(key);
      if (problem) faults.push(fault(location, path.map(visible), problem.rule, `${problem.message} in a key`));
      else queue.push({ value: child, path });
    }
  }
  return faults;
}

/** Throws a 400 naming each field holding text Postgres cannot store. */
export function refuseUnstorableText(value: unknown, location?: string): void {
  const faults = unstorableTextFaults(value, location);
  if (faults.length) throw fieldsProblem(faults);
}

function textProblem(text: string): { rule: string; message: string } | null {
  if (text.includes(NUL)) return { rule: 'nul_character', message: NUL_MESSAGE };
  if (!text.isWellFormed()) return { rule: 'unpaired_surrogate', message: SURROGATE_MESSAGE };
  return null;
}

function children(value: unknown): Array<[string, unknown]> {
  if (Array.isArray(value)) return value.map((child, index) => [String(index), child]);
  if (value === null || typeof value !== 'object') return [];
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null ? Object.entries(value) : [];
}

function fault(location: string | undefined, path: string[], rule: string, message: string): ProblemFieldError {
  const field = [location, path.join('.')].filter(Boolean).join('.') || '(root)';
  return { field, rule, message };
}

const visible = (key: string) => key.replaceAll(NUL, '\\u0000').toWellFormed();
