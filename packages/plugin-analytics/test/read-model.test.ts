import { describe, expect, it } from 'vitest';
import { neutralise } from '../src/csv-export.ts';
import { planRead, type Period } from '../src/periods.ts';
import type { TipperTotal } from '../src/report-queries.ts';
import { median } from '../src/reports.ts';
import { byGiven, countTippers, rankTippers, type RankingSource } from '../src/tipper-ranking.ts';

const d = (iso: string) => new Date(iso);
const DAY_MS = 86_400_000;

function end({ grain, start }: Period): Date {
  const next = new Date(start);
  if (grain === 'day') return new Date(start.getTime() + DAY_MS);
  if (grain === 'month') next.setUTCMonth(next.getUTCMonth() + 1);
  else next.setUTCFullYear(next.getUTCFullYear() + 1);
  return next;
}

describe('planRead', () => {
  it('covers a range exactly: tips for the part-days at its ends, whole periods between, the largest that fit', () => {
    const from = d('2024-01-01T19:00:00Z');
    const to = d('2026-03-10T22:00:01Z');
    const plan = planRead(from, to);
    expect(plan.raw).toEqual([
      { from, to: d('2024-01-02T00:00:00Z') },
      { from: d('2026-03-10T00:00:00Z'), to },
    ]);
    // The rest of January 2024 in days, the rest of 2024 in months, 2025 whole, then back down.
    expect(plan.periods.map((p) => p.grain[0]).join('')).toBe(`${'d'.repeat(30)}${'m'.repeat(11)}y${'m'.repeat(2)}${'d'.repeat(9)}`);
    let at = d('2024-01-02T00:00:00Z');
    for (const period of plan.periods) {
      expect(period.start).toEqual(at);
      at = end(period);
    }
    expect(at).toEqual(d('2026-03-10T00:00:00Z'));
  });

  it('reads a range within one day, or one from midnight to midnight, from one side only', () => {
    const from = d('2026-03-29T01:00:00Z');
    expect(planRead(from, d('2026-03-29T23:00:00Z'))).toEqual({ periods: [], raw: [{ from, to: d('2026-03-29T23:00:00Z') }] });
    // Across a midnight but holding no whole day: still all from the tips.
    expect(planRead(d('2026-03-28T23:00:00Z'), d('2026-03-29T22:00:00Z')).periods).toEqual([]);
    expect(planRead(d('2026-02-01T00:00:00Z'), d('2026-03-01T00:00:00Z'))).toEqual({ periods: [{ grain: 'month', start: d('2026-02-01T00:00:00Z') }], raw: [] });
  });

  it('cuts a time zone’s days (not whole UTC days) into UTC days plus the hours at each end', () => {
    // Berlin's 29 March 2026 has 23 hours: 28 March 23:00 UTC to 29 March 22:00 UTC.
    const plan = planRead(d('2026-03-01T00:00:00+01:00'), d('2026-04-01T00:00:00+02:00'));
    expect(plan.raw).toEqual([
      { from: d('2026-02-28T23:00:00Z'), to: d('2026-03-01T00:00:00Z') },
      { from: d('2026-03-31T00:00:00Z'), to: d('2026-03-31T22:00:00Z') },
    ]);
    expect(plan.periods).toHaveLength(30);
  });
});

/** A ranking source over segments held in memory, counting how deep it was read. */
function sourceOf(segments: Array<Map<number, TipperTotal>>, rawTippers: Map<number, TipperTotal>) {
  const reads: number[] = [];
  const source: RankingSource = {
    segmentCount: segments.length,
    ranked: async (depth) => {
      reads.push(depth);
      return segments.flatMap((segment, i) =>
        [...segment]
          .map(([tipperNo, total]) => ({ segment: i, tipperNo, totalCents: total.totalCents }))
          .sort((a, b) => b.totalCents - a.totalCents)
          .slice(0, depth),
      );
    },
    totals: async (tipperNos) => {
      const out = new Map<number, TipperTotal>();
      for (const no of tipperNos) {
        const parts = segments.flatMap((segment) => segment.get(no) ?? []);
        if (parts.length) out.set(no, { tipCount: sum(parts, 'tipCount'), totalCents: sum(parts, 'totalCents'), lastTipAt: new Date(Math.max(...parts.map((p) => p.lastTipAt.getTime()))) });
      }
      return out;
    },
    rawTippers,
  };
  return { source, reads };
}

const sum = (parts: TipperTotal[], key: 'tipCount' | 'totalCents') => parts.reduce((n, p) => n + p[key], 0);

/** A tiny deterministic generator, so a failure can be replayed. */
function random(seed: number) {
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

/** Segments of tippers with skewed gifts, some tippers also in the raw parts; and the brute-force answer. */
function room(seed: number) {
  const draw = random(seed);
  const segments: Array<Map<number, TipperTotal>> = [];
  const tip = (into: Map<number, TipperTotal>, tipperNo: number, totalCents: number, at: number) => {
    const was = into.get(tipperNo);
    into.set(tipperNo, {
      tipCount: (was?.tipCount ?? 0) + 1,
      totalCents: (was?.totalCents ?? 0) + totalCents,
      lastTipAt: new Date(Math.max(was?.lastTipAt.getTime() ?? 0, at)),
    });
  };
  for (let s = 0, count = 1 + Math.floor(draw() * 12); s < count; s++) {
    const segment = new Map<number, TipperTotal>();
    for (let i = 0, tips = Math.floor(draw() * 300); i < tips; i++) tip(segment, Math.floor(draw() ** 3 * 200), 100 * (1 + Math.floor(draw() ** 4 * 50)), s * 1_000 + i);
    segments.push(segment);
  }
  const rawTippers = new Map<number, TipperTotal>();
  for (let i = 0, tips = Math.floor(draw() * 40); i < tips; i++) tip(rawTippers, Math.floor(draw() * 220), 100 * (1 + Math.floor(draw() * 80)), 50_000 + i);

  const everything = new Map<number, TipperTotal>();
  for (const part of [...segments, rawTippers]) for (const [no, total] of part) for (let k = 0; k < total.tipCount; k++) tip(everything, no, 0, total.lastTipAt.getTime());
  for (const part of [...segments, rawTippers]) for (const [no, total] of part) everything.get(no)!.totalCents += total.totalCents;
  const expected = [...everything].map(([tipperNo, total]) => ({ tipperNo, ...total })).sort(byGiven);

  return { ...sourceOf(segments, rawTippers), expected };
}

describe('rankTippers', () => {
  it('ranks exactly as adding up every tipper would, over many random rooms and limits', async () => {
    for (let seed = 1; seed <= 200; seed++) {
      const limit = 1 + (seed % 12);
      const { source, expected } = room(seed);
      expect(await rankTippers(source, limit), `seed ${seed}, limit ${limit}`).toEqual(expected.slice(0, limit));
    }
  });

  it('reads each segment only to the first depth when a few tippers give most', async () => {
    const segments = Array.from({ length: 20 }, () => new Map<number, TipperTotal>());
    const at = new Date('2026-03-01T00:00:00Z');
    segments.forEach((segment, s) => {
      segment.set(0, { tipCount: 1, totalCents: 100_000, lastTipAt: at });
      for (let no = 1; no < 500; no++) segment.set(no, { tipCount: 1, totalCents: 100 + ((no * 7 + s) % 50), lastTipAt: at });
    });
    const { source, reads } = sourceOf(segments, new Map());
    const [top] = await rankTippers(source, 1);
    expect(top).toMatchObject({ tipperNo: 0, totalCents: 2_000_000 });
    expect(reads).toEqual([17]);
  });
});

describe('countTippers', () => {
  it('counts the union of bit sets (bit n of byte n / 8, low bit first) and of more numbers', () => {
    const a = Uint8Array.of(0b0000_0101); // 0 and 2
    const b = Uint8Array.of(0b0000_0001, 0b1000_0000); // 0 and 15
    expect(countTippers([a, b], [])).toBe(3);
    expect(countTippers([a, b], [2, 15, 16, 40, 40])).toBe(5);
    expect(countTippers([], [])).toBe(0);
  });
});

describe('median', () => {
  it('is the middle amount, or the rounded mean of the middle two', () => {
    expect(median([])).toBe(0);
    expect(median([{ amountCents: 100, tipCount: 1 }])).toBe(100);
    expect(
      median([
        { amountCents: 100, tipCount: 2 },
        { amountCents: 501, tipCount: 1 },
        { amountCents: 900, tipCount: 1 },
      ]),
    ).toBe(301);
    expect(
      median([
        { amountCents: 100, tipCount: 1 },
        { amountCents: 300, tipCount: 3 },
        { amountCents: 900, tipCount: 1 },
      ]),
    ).toBe(300);
  });
});

describe('neutralise', () => {
  it('quotes a cell a spreadsheet would run as a formula, and leaves others alone', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(neutralise(`${start}1+1`)).toBe(`'${start}1+1`);
    expect(neutralise('Kai =1')).toBe('Kai =1');
    expect(neutralise('')).toBe('');
  });
});
