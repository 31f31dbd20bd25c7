import { describe, expect, it } from 'vitest';
import { curveBars } from '../src/curve.ts';

const point = (start: string, totalCents: number, peakViewers: number | null = null) => ({ start, tipCount: 1, totalCents, peakViewers });

describe('curveBars', () => {
  it('fills the intervals without tips, so time runs evenly along the axis', () => {
    const bars = curveBars(
      {
        from: '2026-03-01T20:00:00.000Z',
        to: '2026-03-01T20:05:00.000Z',
        tz: 'UTC',
        interval: 'minute',
        curve: [point('2026-03-01T20:01:00.000Z', 500, 12), point('2026-03-01T20:03:00.000Z', 300)],
      },
      'en-GB',
    );
    expect(bars).toEqual([
      { label: '20:00', tipCount: 0, totalCents: 0, peakViewers: null },
      { label: '20:01', tipCount: 1, totalCents: 500, peakViewers: 12 },
      { label: '20:02', tipCount: 0, totalCents: 0, peakViewers: null },
      { label: '20:03', tipCount: 1, totalCents: 300, peakViewers: null },
      { label: '20:04', tipCount: 0, totalCents: 0, peakViewers: null },
    ]);
  });

  it('labels times in the creator’s time zone, with the day when the range spans several', () => {
    const bars = curveBars(
      { from: '2026-03-01T05:00:00.000Z', to: '2026-03-03T05:00:00.000Z', tz: 'America/New_York', interval: 'hour', curve: [point('2026-03-02T01:00:00.000Z', 700)] },
      'en-GB',
    );
    expect(bars).toHaveLength(48);
    expect(bars.find((bar) => bar.totalCents)?.label).toBe('1 Mar, 20:00');
    expect(bars[0]!.label).toBe('1 Mar, 00:00');
  });

  it('cuts calendar days in the creator’s time zone, and weeks from Monday', () => {
    const days = curveBars(
      // Midnight to midnight in New York, 1–3 March; a tip at 01:00 UTC on the 2nd is the evening of the 1st there.
      { from: '2026-03-01T05:00:00.000Z', to: '2026-03-04T05:00:00.000Z', tz: 'America/New_York', interval: 'day', curve: [point('2026-03-01T05:00:00.000Z', 900)] },
      'en-GB',
    );
    expect(days.map((bar) => [bar.label, bar.totalCents])).toEqual([
      ['1 Mar', 900],
      ['2 Mar', 0],
      ['3 Mar', 0],
    ]);
    const weeks = curveBars(
      { from: '2026-03-01T00:00:00.000Z', to: '2026-03-20T00:00:00.000Z', tz: 'UTC', interval: 'week', curve: [point('2026-03-09T00:00:00.000Z', 400)] },
      'en-GB',
    );
    expect(weeks.map((bar) => [bar.label, bar.totalCents])).toEqual([
      ['Week of 23 Feb', 0],
      ['Week of 2 Mar', 0],
      ['Week of 9 Mar', 400],
      ['Week of 16 Mar', 0],
    ]);
  });

  it('has no bars without tips or viewers', () => {
    expect(curveBars({ from: '2026-03-01T00:00:00.000Z', to: '2026-03-02T00:00:00.000Z', tz: 'UTC', interval: '15m', curve: [] })).toEqual([]);
  });
});
