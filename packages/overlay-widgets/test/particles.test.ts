import { describe, expect, it } from 'vitest';
import { BURST_SIZE, ParticleField } from '../src/particles.ts';

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
