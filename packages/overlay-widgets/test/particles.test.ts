import { describe, expect, it } from 'vitest';
import { BURST_SIZE, burstSize, intensityScale, ParticleField } from '../src/particles.ts';

/** A repeatable pseudo-random sequence. */
function seeded(seed = 1): () => number {
  let s = seed;
  return () => ((s = (s * 16807) % 2147483647) - 1) / 2147483646;
}

describe('ParticleField', () => {
  it('spawns a burst per effect and caps live particles', () => {
    const field = new ParticleField(250, seeded());
    expect(field.burst('confetti', 1920, 1080)).toBe(BURST_SIZE.confetti);
    expect(field.burst('confetti', 1920, 1080)).toBe(250 - BURST_SIZE.confetti);
    expect(field.burst('hearts', 1920, 1080)).toBe(0);
    expect(field.particles).toHaveLength(250);
  });

  for (const effect of ['confetti', 'hearts', 'rain'] as const) {
    it(`${effect} ends on its own, so the layer stops drawing`, () => {
      const field = new ParticleField(400, seeded(7));
      field.burst(effect, 1920, 1080);
      expect(field.idle).toBe(false);
      for (let t = 0; t < 15_000 && !field.idle; t += 16) field.step(16, 1920, 1080);
      expect(field.idle).toBe(true);
    });
  }

  it('moves confetti and rain down and hearts up', () => {
    const field = new ParticleField(400, seeded(3));
    field.burst('hearts', 1920, 1080);
    const before = field.particles.map((p) => p.y);
    field.step(100, 1920, 1080);
    expect(field.particles).toHaveLength(before.length);
    field.particles.forEach((p, i) => expect(p.y).toBeLessThan(before[i]!));
    const falling = new ParticleField(400, seeded(3));
    falling.burst('confetti', 1920, 1080);
    const top = falling.particles.map((p) => p.y);
    falling.step(100, 1920, 1080);
    expect(falling.particles).toHaveLength(top.length);
    falling.particles.forEach((p, i) => expect(p.y).toBeGreaterThan(top[i]!));
  });

  it('clamps a long frame gap so particles do not jump', () => {
    const field = new ParticleField(400, seeded(5));
    field.burst('confetti', 1920, 1080);
    const y = field.particles[0]!.y;
    field.step(10_000, 1920, 1080);
    expect(field.particles[0]!.y - y).toBeLessThan(100);
  });

  it('fades particles in and out', () => {
    const p = { age: 0, life: 5, delay: 0 } as never;
    expect(ParticleField.alpha(p)).toBe(0);
    expect(ParticleField.alpha({ age: 2, life: 5, delay: 0 } as never)).toBe(1);
    expect(ParticleField.alpha({ age: 4.5, life: 5, delay: 0 } as never)).toBeCloseTo(0.5);
    expect(ParticleField.alpha({ age: 2, life: 5, delay: 1 } as never)).toBe(0);
  });
});

describe('intensity', () => {
  it('scales a burst: about half at 1, BURST_SIZE at 3 (and when absent), about 2.5× at 10', () => {
    expect(intensityScale(1)).toBe(0.5);
    expect(intensityScale(3)).toBe(1);
    expect(intensityScale(10)).toBe(2.5);
    expect(intensityScale(undefined)).toBe(1);
    for (const effect of ['confetti', 'hearts', 'rain'] as const) {
      expect(burstSize(effect)).toBe(BURST_SIZE[effect]);
      expect(burstSize(effect, 3)).toBe(BURST_SIZE[effect]);
      expect(burstSize(effect, 1)).toBe(Math.round(BURST_SIZE[effect] / 2));
      expect(burstSize(effect, 10)).toBe(Math.round(BURST_SIZE[effect] * 2.5));
    }
    expect(new ParticleField(10_000, seeded()).burst('hearts', 1920, 1080, 1)).toBe(30);
    expect(new ParticleField(10_000, seeded()).burst('hearts', 1920, 1080)).toBe(60);
    expect(new ParticleField(10_000, seeded()).burst('hearts', 1920, 1080, 10)).toBe(150);
  });

  it('grows steadily from 1 to 10', () => {
    const sizes = Array.from({ length: 10 }, (_, i) => burstSize('confetti', i + 1));
    for (let i = 1; i < sizes.length; i++) expect(sizes[i]).toBeGreaterThan(sizes[i - 1]!);
    expect(burstSize('confetti', 5.5)).toBeGreaterThan(burstSize('confetti', 5));
  });

  it('clamps out-of-range values and ignores anything but a number', () => {
    expect(intensityScale(0)).toBe(0.5);
    expect(intensityScale(-4)).toBe(0.5);
    expect(intensityScale(50)).toBe(2.5);
    for (const odd of [Number.NaN, Number.POSITIVE_INFINITY, '10', null, {}, [7]]) expect(intensityScale(odd)).toBe(1);
  });

  it('stays under the hard cap however intense', () => {
    const field = new ParticleField(400, seeded(9));
    expect(field.burst('confetti', 1920, 1080, 10)).toBe(400);
    expect(field.burst('rain', 1920, 1080, 10)).toBe(0);
    expect(field.particles).toHaveLength(400);
    const partly = new ParticleField(400, seeded(9));
    partly.burst('confetti', 1920, 1080, 3);
    expect(partly.burst('hearts', 1920, 1080, 10)).toBe(150);
    expect(partly.burst('rain', 1920, 1080, 10)).toBe(400 - 180 - 150);
  });
});
