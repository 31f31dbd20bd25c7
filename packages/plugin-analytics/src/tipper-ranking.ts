import type { TipperTotal } from './report-queries.ts';

/**
 * Who gave most over many periods, without adding up every tipper of every period: a year of a
 * big room has tens of thousands of tippers, summing them all takes longer than a report may.
 * Fagin's threshold algorithm: read each period's tippers from the top down to some depth, add
 * up exactly what those candidates gave everywhere, and stop once the last of the top `limit`
 * gave more than anyone not yet seen could have (the sum of the deepest amounts read in each
 * period not read to its end). Otherwise read deeper. Exact; a few reads when, as in every real
 * room, a few people give most.
 */

export interface RankingSource {
  /** How many segments (periods on a platform) there are to read. */
  segmentCount: number;
  /** Each segment's `depth` biggest tippers, biggest first. */
  ranked(depth: number): Promise<Array<{ segment: number; tipperNo: number; totalCents: number }>>;
  /** What these tippers gave over all the segments. */
  totals(tipperNos: number[]): Promise<Map<number, TipperTotal>>;
  /** Every tipper of the parts of the range read from the tips, with what they gave there. */
  rawTippers: Map<number, TipperTotal>;
}

export interface RankedTipper extends TipperTotal {
  tipperNo: number;
}

const FIRST_DEPTH_OVER_LIMIT = 16;

export async function rankTippers(source: RankingSource, limit: number): Promise<RankedTipper[]> {
  for (let depth = limit + FIRST_DEPTH_OVER_LIMIT; ; depth *= 4) {
    const rows = source.segmentCount ? await source.ranked(depth) : [];
    // The most an unseen tipper can have given: in each segment read to `depth`, no more than its deepest row.
    const deepest = new Map<number, { read: number; last: number }>();
    for (const row of rows) {
      const seen = deepest.get(row.segment) ?? { read: 0, last: row.totalCents };
      deepest.set(row.segment, { read: seen.read + 1, last: Math.min(seen.last, row.totalCents) });
    }
    let threshold = 0;
    for (const { read, last } of deepest.values()) if (read === depth) threshold += last;

    // Those read, exactly. Then those of the raw parts who, with the most they could have given
    // in the segments, might still pass the last of the top: so no one unread gave anything there.
    const read = new Set(rows.map((r) => r.tipperNo));
    const seen = [...read];
    const withRaw = (tipperNos: number[], inSegments: Map<number, TipperTotal>) =>
      tipperNos.map((tipperNo) => ({ tipperNo, ...add(inSegments.get(tipperNo), source.rawTippers.get(tipperNo)) }));
    let ranked = withRaw(seen, await source.totals(seen)).sort(byGiven);
    const bar = ranked[limit - 1]?.totalCents ?? 0;
    const rawOnly = [...source.rawTippers].filter(([no, raw]) => !read.has(no) && raw.totalCents + threshold >= bar).map(([no]) => no);
    const rawOnlyInSegments = threshold === 0 ? new Map<number, TipperTotal>() : await source.totals(rawOnly);
    ranked = [...ranked, ...withRaw(rawOnly, rawOnlyInSegments)].sort(byGiven);

    const settled = threshold === 0 || (ranked.length >= limit && ranked[limit - 1]!.totalCents > threshold);
    if (settled) return ranked.slice(0, limit);
  }
}

function add(a: TipperTotal | undefined, b: TipperTotal | undefined): TipperTotal {
  if (!a || !b) return (a ?? b)!;
  return { tipCount: a.tipCount + b.tipCount, totalCents: a.totalCents + b.totalCents, lastTipAt: a.lastTipAt > b.lastTipAt ? a.lastTipAt : b.lastTipAt };
}

/** Most given first; of equals, the one who tipped last, then the first numbered (so the order is total). */
export const byGiven = (a: RankedTipper, b: RankedTipper) => b.totalCents - a.totalCents || b.lastTipAt.getTime() - a.lastTipAt.getTime() || a.tipperNo - b.tipperNo;

/** How many tippers are in any of these sets (a bit per tipper number) or among `more`. */
export function countTippers(sets: Uint8Array[], more: Iterable<number>): number {
  const length = Math.max(0, ...sets.map((s) => s.length));
  const union = new Uint8Array(length);
  for (const set of sets) for (let i = 0; i < set.length; i++) union[i]! |= set[i]!;
  let count = 0;
  for (const byte of union) count += BITS_SET[byte]!;
  const outside = new Set<number>();
  for (const no of more) if (!((union[no >> 3] ?? 0) & (1 << (no & 7)))) outside.add(no);
  return count + outside.size;
}

const BITS_SET = Uint8Array.from({ length: 256 }, (_, byte) => {
  let bits = 0;
  for (let b = byte; b; b >>= 1) bits += b & 1;
  return bits;
});
