import type { ProblemFieldError } from '@streaming-companion/sdk';
import { fieldsProblem } from './problem.ts';

/** Enough to tell a client what to fix, without answering a huge body with a huge problem. */
const MAX_FAULTS = 20;
const NUL = '\u0000';

/**
 * Every string (and object key) in validated input that holds U+0000, as field errors. Postgres
 * stores no NUL in `text` or `jsonb`, so such a value would fail at the database as a 500; the
 * kernel checks every route's params, query and body and every socket command's payload with
 * this after its schema, whatever the schema says (a `z.unknown()` inside metadata too).
 * Walked without recursion: a deeply nested body cannot overflow the stack.
 */
export function nulCharacterFaults(value: unknown, location?: string): ProblemFieldError[] {
  const faults: ProblemFieldError[] = [];
  const queue: Array<{ value: unknown; path: string[] }> = [{ value, path: [] }];
  for (let next = 0; next < queue.length && faults.length < MAX_FAULTS; next++) {
    const item = queue[next]!;
    if (typeof item.value === 'string') {
      if (item.value.includes(NUL)) faults.push(fault(location, item.path, 'must not contain the NUL character (U+0000)'));
      continue;
    }
    for (const [key, child] of children(item.value)) {
      const path = [...item.path, key];
      if (key.includes(NUL)) faults.push(fault(location, path.map(visible), 'must not contain the NUL character (U+0000) in a key'));
      else queue.push({ value: child, path });
    }
  }
  return faults;
}

/** Throws a 400 naming each field that holds a NUL character. */
export function refuseNulCharacters(value: unknown, location?: string): void {
  const faults = nulCharacterFaults(value, location);
  if (faults.length) throw fieldsProblem(faults);
}

function children(value: unknown): Array<[string, unknown]> {
  if (Array.isArray(value)) return value.map((child, index) => [String(index), child]);
  if (value === null || typeof value !== 'object') return [];
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null ? Object.entries(value) : [];
}

function fault(location: string | undefined, path: string[], message: string): ProblemFieldError {
  const field = [location, path.join('.')].filter(Boolean).join('.') || '(root)';
  return { field, rule: 'nul_character', message };
}

const visible = (key: string) => key.replaceAll(NUL, '\\u0000');
