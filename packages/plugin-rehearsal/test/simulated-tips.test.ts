import { describe, expect, it } from 'vitest';
import { simulateTips } from '../src/simulated-tips.ts';

const options = { tipCount: 500, durationSeconds: 600, minTokens: 1, maxTokens: 1_000, centsPerToken: 5, seed: 42 };

describe('simulated tips', () => {
  it('spread over the duration, first at once, oldest first, amounts in range and in tokens', () => {
    const tips = simulateTips(options);
    expect(tips).toHaveLength(500);
    expect(tips[0]!.offsetMs).toBe(0);
    for (let i = 1; i < tips.length; i++) expect(tips[i]!.offsetMs).toBeGreaterThanOrEqual(tips[i - 1]!.offsetMs);
    expect(tips.at(-1)!.offsetMs).toBeLessThan(600_000);
    expect(tips.at(-1)!.offsetMs).toBeGreaterThan(500_000);
    for (const tip of tips) {
      expect(tip.tokens).toBeGreaterThanOrEqual(1);
      expect(tip.tokens).toBeLessThanOrEqual(1_000);
      expect(tip.amountCents).toBe(tip.tokens! * 5);
      expect(tip.centsPerToken).toBe(5);
      expect(tip.isAnonymous).toBe(tip.tipperName === null);
    }
  });

  it('look like a room: mostly small amounts with a few big ones, regulars, some anonymous, a few messages', () => {
    const tips = simulateTips(options);
    const tokens = tips.map((t) => t.tokens!).sort((a, b) => a - b);
    const median = tokens[tokens.length / 2]!;
    expect(median).toBeLessThan(100);
    expect(tokens.filter((t) => t >= 500).length).toBeGreaterThan(0);
    expect(tokens.filter((t) => t >= 500).length).toBeLessThan(tips.length / 10);

    const named = tips.filter((t) => t.tipperName !== null);
    const perTipper = new Map<string, number>();
    for (const t of named) perTipper.set(t.tipperName!, (perTipper.get(t.tipperName!) ?? 0) + 1);
    expect(perTipper.size).toBeGreaterThan(20);
    // The busiest tipper tips far more than the average one.
    expect(Math.max(...perTipper.values())).toBeGreaterThan((3 * named.length) / perTipper.size);
    for (const name of perTipper.keys()) expect(name).toMatch(/^[A-Z][a-z]+[A-Z][a-z]+\d*$/);

    const anonymousShare = (tips.length - named.length) / tips.length;
    expect(anonymousShare).toBeGreaterThan(0.03);
    expect(anonymousShare).toBeLessThan(0.2);
    const messageShare = tips.filter((t) => t.message !== null).length / tips.length;
    expect(messageShare).toBeGreaterThan(0.1);
    expect(messageShare).toBeLessThan(0.4);
  });

  it('are the same for the same seed, and differ for another', () => {
    expect(simulateTips(options)).toEqual(simulateTips(options));
    expect(simulateTips({ ...options, seed: 43 })).not.toEqual(simulateTips(options));
  });

  it('keep to a narrow range, even a single amount', () => {
    const tips = simulateTips({ ...options, tipCount: 50, minTokens: 25, maxTokens: 25 });
    expect(new Set(tips.map((t) => t.tokens))).toEqual(new Set([25]));
    const one = simulateTips({ ...options, tipCount: 1 });
    expect(one).toHaveLength(1);
    expect(one[0]!.offsetMs).toBe(0);
  });
});
