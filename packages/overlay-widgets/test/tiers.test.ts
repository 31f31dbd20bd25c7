import { describe, expect, it } from 'vitest';
import { parseTiers, tierFor, withTierOptions } from '../src/tiers.ts';

describe('parseTiers', () => {
  it('parses minimum cents and names, sorted by minimum', () => {
    expect(parseTiers('5000:huge,100:small,1000:big')).toEqual([
      { name: 'small', minCents: 100 },
      { name: 'big', minCents: 1000 },
      { name: 'huge', minCents: 5000 },
    ]);
  });

  it('tolerates spaces and case, and skips malformed entries instead of failing', () => {
    expect(parseTiers(' 100 : Small , oops, -5:neg, 1.5:frac, 200:bad name, 300:<b>, 400:a:b, :x, 500:, 600:ok ')).toEqual([
      { name: 'small', minCents: 100 },
      { name: 'ok', minCents: 600 },
    ]);
  });

  it('is empty for nothing', () => {
    expect(parseTiers(undefined)).toEqual([]);
    expect(parseTiers(null)).toEqual([]);
    expect(parseTiers('')).toEqual([]);
  });

  it('keeps the last minimum for a repeated name', () => {
    expect(parseTiers('100:big,900:big')).toEqual([{ name: 'big', minCents: 900 }]);
  });

  it('accepts a tier from zero (every tip)', () => {
    expect(tierFor(1, parseTiers('0:base,1000:big'))?.name).toBe('base');
  });
});

describe('tierFor', () => {
  const tiers = parseTiers('100:small,1000:big,5000:huge');
  it('picks the highest tier the amount reaches', () => {
    expect(tierFor(99, tiers)).toBeUndefined();
    expect(tierFor(100, tiers)?.name).toBe('small');
    expect(tierFor(999, tiers)?.name).toBe('small');
    expect(tierFor(1000, tiers)?.name).toBe('big');
    expect(tierFor(4999, tiers)?.name).toBe('big');
    expect(tierFor(5000, tiers)?.name).toBe('huge');
    expect(tierFor(1_000_000, tiers)?.name).toBe('huge');
  });
  it('has no tier without tiers', () => {
    expect(tierFor(1000, [])).toBeUndefined();
  });
});

describe('withTierOptions', () => {
  const options: Record<string, string> = {
    'tier-big-sound': 'https://cdn.example.com/big.mp3',
    'tier-big-animation': 'Confetti',
    'tier-huge-sound': 'javascript:alert(1)',
    'tier-huge-animation': 'fireworks',
    'tier-small-sound': '/sounds/small.mp3',
  };
  it('adds http(s) sounds and known animations per tier, dropping anything else', () => {
    const tiers = withTierOptions(parseTiers('100:small,1000:big,5000:huge'), (name) => options[name], 'http://localhost:3130/overlay/alerts');
    expect(tiers).toEqual([
      { name: 'small', minCents: 100, sound: 'http://localhost:3130/sounds/small.mp3' },
      { name: 'big', minCents: 1000, sound: 'https://cdn.example.com/big.mp3', animation: 'confetti' },
      { name: 'huge', minCents: 5000 },
    ]);
  });
});
