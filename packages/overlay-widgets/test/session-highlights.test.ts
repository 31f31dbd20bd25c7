import { describe, expect, it } from 'vitest';
import { SessionHighlights } from '../src/session-highlights.ts';
import { snapshot, tip } from './tip-fixtures.ts';

const shown = (h: SessionHighlights) => ({ last: h.last?.id, biggest: h.biggest?.id });

describe('SessionHighlights', () => {
  it('takes the last and the biggest tip from the snapshot a joining overlay gets', () => {
    const h = new SessionHighlights();
    h.snapshot(snapshot({ recent: [tip('b', { amountCents: 200 }), tip('a', { amountCents: 900 })], biggest: tip('a', { amountCents: 900 }) }));
    expect(shown(h)).toEqual({ last: 'b', biggest: 'a' });
  });

  it('each tip becomes the last, and the biggest only when it beats it (a tie keeps the earlier)', () => {
    const h = new SessionHighlights();
    expect(h.add(tip('a', { amountCents: 500 }))).toBe(true);
    expect(shown(h)).toEqual({ last: 'a', biggest: 'a' });
    h.add(tip('b', { amountCents: 500 }));
    expect(shown(h)).toEqual({ last: 'b', biggest: 'a' });
    h.add(tip('c', { amountCents: 501 }));
    expect(shown(h)).toEqual({ last: 'c', biggest: 'c' });
    expect(h.add(tip('c', { amountCents: 501 }))).toBe(false);
  });

  it('a voided tip leaves at once; the snapshot after the void fills its place', () => {
    const h = new SessionHighlights();
    h.add(tip('a', { amountCents: 900 }));
    h.add(tip('b', { amountCents: 100 }));
    expect(h.remove('a')).toBe(true);
    expect(shown(h)).toEqual({ last: 'b', biggest: undefined });
    expect(h.remove('zzz')).toBe(false);
    h.snapshot(snapshot({ recent: [tip('b', { amountCents: 100 })], biggest: tip('b', { amountCents: 100 }) }));
    expect(shown(h)).toEqual({ last: 'b', biggest: 'b' });
  });

  it('leaves voided tips of a snapshot out, and clears when the session ends', () => {
    const h = new SessionHighlights();
    const voided = tip('v', { amountCents: 9999, voidedAt: '2026-12-01T21:00:00.000Z' });
    h.snapshot(snapshot({ recent: [voided, tip('a')], biggest: voided }));
    expect(shown(h)).toEqual({ last: 'a', biggest: undefined });
    expect(h.session({ sessionId: 's1', status: 'ended' })).toBe(true);
    expect(shown(h)).toEqual({ last: undefined, biggest: undefined });
  });
});
