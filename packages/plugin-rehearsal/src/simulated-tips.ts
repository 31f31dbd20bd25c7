import type { Cue, TipCue } from './cue.ts';

export interface SimulateOptions {
  tipCount: number;
  durationSeconds: number;
  minTokens: number;
  maxTokens: number;
  centsPerToken: number;
  /** The same seed gives the same tips. */
  seed: number;
}

const NAME_STARTS = ['Lucky', 'Midnight', 'Velvet', 'Cosmic', 'Sunny', 'Silent', 'Golden', 'Wild', 'Lazy', 'Brave', 'Neon', 'Shy', 'Happy', 'Salty', 'Dizzy', 'Mellow'];
const NAME_ENDS = ['Fox', 'Owl', 'Tiger', 'Rider', 'Bear', 'Wolf', 'Panda', 'Knight', 'Dreamer', 'Sailor', 'Pilot', 'Otter', 'Raven', 'Moose', 'Comet', 'Bard'];
const MESSAGES = [
  'Hi!',
  'You look amazing tonight',
  'Great show ❤️',
  'For the goal!',
  'Hello from Lisbon',
  '🔥🔥🔥',
  'Keep going!',
  'Happy Friday',
  'lol that was funny',
  'Song request: anything 80s',
  'Thanks for the smile',
  'First time here, love it',
];
/** Amounts viewers like to tip: round numbers and a few jokes. */
const FAVOURITE_TOKENS = [1, 2, 5, 10, 11, 15, 20, 25, 33, 35, 50, 69, 75, 77, 99, 100, 111, 150, 200, 222, 250, 333, 500, 555, 666, 777, 1_000, 1_500, 2_000, 5_000, 10_000];
const ANONYMOUS_SHARE = 0.1;
const MESSAGE_SHARE = 0.25;
const FAVOURITE_SHARE = 0.7;

/**
 * Tips for a creator with none to replay: a small crowd of named regulars (some tip much more
 * often than others), one tip in ten anonymous, one in four with a message, amounts mostly
 * small with a few big ones, spread over the duration with the first at once. Oldest first.
 */
export function simulateTips(options: SimulateOptions): Array<Cue & TipCue> {
  const random = mulberry32(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const crowd = Array.from({ length: Math.max(3, Math.ceil(options.tipCount / 3)) }, () => `${pick(NAME_STARTS)}${pick(NAME_ENDS)}${random() < 0.5 ? Math.floor(random() * 100) : ''}`);
  const durationMs = options.durationSeconds * 1_000;
  const offsets = Array.from({ length: options.tipCount }, (_, i) => (i === 0 ? 0 : Math.floor(random() * durationMs))).sort((a, b) => a - b);
  return offsets.map((offsetMs) => {
    const isAnonymous = random() < ANONYMOUS_SHARE;
    // Squaring leans towards the front of the crowd: its first few are the regulars.
    const tipperName = isAnonymous ? null : crowd[Math.floor(random() ** 2 * crowd.length)]!;
    const tokens = tipTokens(random, options.minTokens, options.maxTokens);
    return {
      kind: 'tip' as const,
      offsetMs,
      amountCents: tokens * options.centsPerToken,
      tokens,
      centsPerToken: options.centsPerToken,
      tipperName,
      message: random() < MESSAGE_SHARE ? pick(MESSAGES) : null,
      isAnonymous,
    };
  });
}

/**
 * Log-scaled and leaning low, so most tips are small and a few are big, like a real room; then
 * usually moved to the nearest favourite amount in range.
 */
function tipTokens(random: () => number, min: number, max: number): number {
  const scaled = Math.round(Math.exp(Math.log(min) + random() ** 2 * (Math.log(max) - Math.log(min))));
  const favourites = FAVOURITE_TOKENS.filter((tokens) => tokens >= min && tokens <= max);
  if (!favourites.length || random() >= FAVOURITE_SHARE) return scaled;
  return favourites.reduce((best, tokens) => (Math.abs(tokens - scaled) < Math.abs(best - scaled) ? tokens : best));
}

/** A small seeded generator (mulberry32): the same seed gives the same numbers in [0, 1). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
