import { afterEach, describe, expect, it, vi } from 'vitest';
import { VerifiedTokens } from '../src/auth/verified-tokens.ts';

describe('the verified-token cache', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('forgets the least recently used token beyond its size', () => {
    const cache = new VerifiedTokens<string>({ maxEntries: 2, ttlMs: 60_000 });
    const forever = Number.POSITIVE_INFINITY;
    cache.set('a', 'creator a', forever);
    cache.set('b', 'creator b', forever);
    expect(cache.get('a')).toBe('creator a'); // now b is the least recently used
    cache.set('c', 'creator c', forever);
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe('creator a');
    expect(cache.get('c')).toBe('creator c');
  });

  it('never answers for a token past its own expiry, nor longer than its time to live', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const cache = new VerifiedTokens<string>({ maxEntries: 10, ttlMs: 60_000 });
    cache.set('expires soon', 'creator a', Date.now() + 5_000);
    cache.set('expires late', 'creator b', Date.now() + 3_600_000);
    cache.set('already expired', 'creator c', Date.now() - 1);
    expect(cache.get('already expired')).toBeUndefined();
    vi.advanceTimersByTime(5_000);
    expect(cache.get('expires soon')).toBeUndefined();
    expect(cache.get('expires late')).toBe('creator b');
    vi.advanceTimersByTime(55_000);
    expect(cache.get('expires late')).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});
