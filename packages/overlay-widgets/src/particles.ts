/**
 * The particles behind `<sc-animation-layer>`: confetti falling, hearts rising, tokens raining.
 * Plain numbers only (no canvas here), stepped by the layer's animation frame. The field has a
 * hard cap on live particles so a burst of triggers never bogs down an OBS scene.
 */

export type ParticleEffect = 'confetti' | 'hearts' | 'rain';
export type ParticleShape = 'confetti' | 'heart' | 'coin';

export interface Particle {
  shape: ParticleShape;
  x: number;
  y: number;
  /** px per second */
  vx: number;
  vy: number;
  /** px per second², added to vy */
  gravity: number;
  size: number;
  rotation: number;
  /** radians per second */
  spin: number;
  color: string;
  /** Seconds lived and seconds to live. */
  age: number;
  life: number;
  /** Side-to-side sway: amplitude px/s and phase. */
  sway: number;
  phase: number;
  /** Seconds before the particle appears (staggered rain). */
  delay: number;
}

export const DEFAULT_MAX_PARTICLES = 400;

const CONFETTI_COLORS = ['#ff4d8d', '#ffd23f', '#3ec1ff', '#7cff6b', '#b86bff', '#ff8a3d', '#ffffff'];
const HEART_COLORS = ['#ff2d6f', '#ff5c8a', '#ff85a8', '#e0115f', '#ff3d3d'];
const COIN_COLORS = ['#ffd23f', '#ffc21a', '#ffdf6b'];

/** How many particles one trigger of each effect spawns at the default intensity. */
export const BURST_SIZE: Record<ParticleEffect, number> = { confetti: 180, hearts: 60, rain: 120 };

/** The intensity a trigger without one plays at (the server's default too): `BURST_SIZE` as is. */
export const DEFAULT_INTENSITY = 3;
export const MIN_INTENSITY = 1;
export const MAX_INTENSITY = 10;

/**
 * How much bigger a burst is at `intensity` (1–10, clamped) than at the default 3: 0.5× at 1,
 * 1× at 3, 2.5× at 10, linear in between. Anything but a finite number counts as the default.
 */
export function intensityScale(intensity: unknown): number {
  if (typeof intensity !== 'number' || !Number.isFinite(intensity)) return 1;
  const i = Math.min(MAX_INTENSITY, Math.max(MIN_INTENSITY, intensity));
  return i <= DEFAULT_INTENSITY
    ? 0.5 + ((i - MIN_INTENSITY) / (DEFAULT_INTENSITY - MIN_INTENSITY)) * 0.5
    : 1 + ((i - DEFAULT_INTENSITY) / (MAX_INTENSITY - DEFAULT_INTENSITY)) * 1.5;
}

/** How many particles one burst of `effect` at `intensity` asks for (before the field's cap). */
export function burstSize(effect: ParticleEffect, intensity?: unknown): number {
  return Math.max(1, Math.round(BURST_SIZE[effect] * intensityScale(intensity)));
}

export class ParticleField {
  readonly maxParticles: number;
  readonly #random: () => number;
  #particles: Particle[] = [];

  constructor(maxParticles = DEFAULT_MAX_PARTICLES, random: () => number = Math.random) {
    this.maxParticles = maxParticles;
    this.#random = random;
  }

  get particles(): readonly Particle[] {
    return this.#particles;
  }

  /** Nothing left to draw: the layer stops its animation frames. */
  get idle(): boolean {
    return this.#particles.length === 0;
  }

  /**
   * Add one burst of `effect` for a `width`×`height` screen, sized by `intensity` (1–10, see
   * `intensityScale`; absent = `BURST_SIZE`); answers how many were added (the cap may cut it).
   */
  burst(effect: ParticleEffect, width: number, height: number, intensity?: unknown): number {
    const room = Math.max(0, this.maxParticles - this.#particles.length);
    const count = Math.min(room, burstSize(effect, intensity));
    for (let i = 0; i < count; i++) this.#particles.push(this.#spawn(effect, width, height));
    return count;
  }

  /** Advance by `dtMs` (clamped, so a hidden tab coming back does not jump) and drop finished particles. */
  step(dtMs: number, width: number, height: number): void {
    const dt = Math.min(Math.max(dtMs, 0), 100) / 1000;
    const alive: Particle[] = [];
    for (const p of this.#particles) {
      if (p.delay > 0) {
        p.delay -= dt;
        alive.push(p);
        continue;
      }
      p.age += dt;
      p.vy += p.gravity * dt;
      p.x += (p.vx + Math.sin(p.phase + p.age * 3) * p.sway) * dt;
      p.y += p.vy * dt;
      p.rotation += p.spin * dt;
      const margin = p.size * 2 + 20;
      // Off screen for good: below while falling, above while rising, or far to a side.
      const gone =
        p.age >= p.life || (p.y > height + margin && p.vy >= 0) || (p.y < -margin && p.vy <= 0) || p.x < -margin * 4 || p.x > width + margin * 4;
      if (!gone) alive.push(p);
    }
    this.#particles = alive;
  }

  /** Opacity for drawing: fades in quickly and out over the last second of life. */
  static alpha(p: Particle): number {
    if (p.delay > 0) return 0;
    return Math.max(0, Math.min(1, p.age / 0.15, (p.life - p.age) / 1));
  }

  clear(): void {
    this.#particles = [];
  }

  #spawn(effect: ParticleEffect, width: number, height: number): Particle {
    const r = this.#random;
    const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length) % list.length]!;
    const base = { rotation: r() * Math.PI * 2, age: 0, phase: r() * Math.PI * 2, delay: 0 };
    if (effect === 'confetti') {
      return {
        ...base,
        shape: 'confetti',
        x: r() * width,
        y: -20 - r() * height * 0.5,
        vx: (r() - 0.5) * 160,
        vy: 120 + r() * 220,
        gravity: 60,
        size: 10 + r() * 10,
        spin: (r() - 0.5) * 12,
        color: pick(CONFETTI_COLORS),
        life: 7,
        sway: 40 + r() * 60,
      };
    }
    if (effect === 'hearts') {
      return {
        ...base,
        shape: 'heart',
        x: width * 0.1 + r() * width * 0.8,
        y: height + 20 + r() * 200,
        vx: (r() - 0.5) * 40,
        vy: -(120 + r() * 160),
        gravity: 0,
        size: 18 + r() * 26,
        rotation: (r() - 0.5) * 0.5,
        spin: (r() - 0.5) * 0.6,
        color: pick(HEART_COLORS),
        life: 4 + r() * 3,
        sway: 30 + r() * 50,
      };
    }
    return {
      ...base,
      shape: 'coin',
      x: r() * width,
      y: -30 - r() * 60,
      vx: (r() - 0.5) * 30,
      vy: 250 + r() * 250,
      gravity: 400,
      size: 14 + r() * 12,
      spin: 4 + r() * 8,
      color: pick(COIN_COLORS),
      life: 6,
      sway: 0,
      delay: r() * 2.5,
    };
  }
}
