import { RE2JS } from 're2js';

/** Longest pattern a creator may save. */
export const PATTERN_MAX_LENGTH = 200;
/** Compiled patterns kept, so a busy chat compiles each once. */
const CACHE_SIZE = 500;
const cache = new Map<string, RE2JS>();

/**
 * Regex triggers run on RE2 (re2js): linear time in the message, whatever the pattern, so
 * neither a hostile pattern nor a hostile message can stall the server. RE2 has no
 * backreferences or lookarounds; such a pattern does not compile and is refused when saved.
 * Matching is case-insensitive and unanchored.
 */
export function compileSafePattern(pattern: string): RE2JS {
  let compiled = cache.get(pattern);
  if (!compiled) {
    compiled = RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(pattern, compiled);
  }
  return compiled;
}

/** Why RE2 cannot run `pattern`, or null when it can. */
export function patternError(pattern: string): string | null {
  try {
    compileSafePattern(pattern);
    return null;
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^error parsing regexp: /, '') : String(error);
    return `RE2 cannot run this pattern (${reason}); backreferences and lookarounds are not supported`;
  }
}
