/**
 * Alert tiers by amount. A spec like `100:small,1000:big,5000:huge` maps a minimum amount in
 * cents to a tier name; a tip gets the highest tier whose minimum it reaches. The name is
 * used as `data-tier` and the class `tier-<name>`, so CSS can style each tier. Per tier, an
 * optional sound (`tier-<name>-sound="https://…/big.mp3"`) plays when the alert starts and an
 * optional animation (`tier-<name>-animation="confetti|hearts|rain"`) is requested from the
 * page's `<sc-animation-layer>`.
 */

import { httpUrl } from './media.ts';

export const TIER_ANIMATIONS = ['confetti', 'hearts', 'rain'] as const;
export type TierAnimation = (typeof TIER_ANIMATIONS)[number];

export interface Tier {
  name: string;
  minCents: number;
  sound?: string;
  animation?: TierAnimation;
}

/** Tier names are simple identifiers so they are safe as class names and attribute names. */
const TIER_NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/;
export const MAX_TIERS = 20;

/** Parse `min:name,min:name`; malformed entries are skipped, never an error. Sorted by minimum. */
export function parseTiers(spec: string | null | undefined): Tier[] {
  if (!spec) return [];
  const byName = new Map<string, Tier>();
  for (const entry of spec.split(',')) {
    const [rawMin, rawName, ...rest] = entry.split(':');
    if (rest.length || rawMin === undefined || rawName === undefined) continue;
    const min = rawMin.trim();
    const name = rawName.trim().toLowerCase();
    if (!/^\d{1,10}$/.test(min) || !TIER_NAME.test(name)) continue;
    byName.set(name, { name, minCents: Number(min) });
    if (byName.size >= MAX_TIERS) break;
  }
  return [...byName.values()].sort((a, b) => a.minCents - b.minCents);
}

/** The highest tier whose minimum `amountCents` reaches, if any. */
export function tierFor(amountCents: number, tiers: readonly Tier[]): Tier | undefined {
  let found: Tier | undefined;
  for (const tier of tiers) if (amountCents >= tier.minCents && (!found || tier.minCents >= found.minCents)) found = tier;
  return found;
}

/**
 * Add each tier's sound and animation from options named `tier-<name>-sound` and
 * `tier-<name>-animation` (attributes or URL options). Sounds must be http(s) URLs.
 */
export function withTierOptions(tiers: readonly Tier[], option: (name: string) => string | null | undefined, baseUrl?: string): Tier[] {
  return tiers.map((tier) => {
    const sound = httpUrl(option(`tier-${tier.name}-sound`), baseUrl);
    const animation = option(`tier-${tier.name}-animation`)?.trim().toLowerCase();
    return {
      ...tier,
      ...(sound ? { sound } : {}),
      ...(isTierAnimation(animation) ? { animation } : {}),
    };
  });
}

export function isTierAnimation(value: unknown): value is TierAnimation {
  return typeof value === 'string' && (TIER_ANIMATIONS as readonly string[]).includes(value);
}
