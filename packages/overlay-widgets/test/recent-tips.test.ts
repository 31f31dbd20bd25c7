import { describe, expect, it } from 'vitest';
import type { OverlayTip } from '../src/overlay-events.ts';
import { RecentTips } from '../src/recent-tips.ts';

const tip = (id: string, sessionId = 's1'): OverlayTip => ({
  id,
  sessionId,
  creatorId: 'c1',
  amountCents: 100,
  tokens: null,
  centsPerToken: null,
  tipperName: id,
  message: null,
  isAnonymous: false,
  source: 'manual',
  externalEventId: null,
  tipperStanding: null,
  createdAt: '2026-12-01T20:00:00.000Z',
});

describe('RecentTips', () => {
  it('keeps the last N, newest first', () => {
    const list = new RecentTips(3);
    for (const id of ['a', 'b', 'c', 'd']) list.add(tip(id));
    expect(list.items.map((t) => t.id)).toEqual(['d', 'c', 'b']);
  });

  it('defaults to 5, clamps the limit and trims when it shrinks', () => {
    const list = new RecentTips();
    for (const id of 'abcdefg') list.add(tip(id));
    expect(list.items).toHaveLength(5);
    list.limit = 2;
    expect(list.items.map((t) => t.id)).toEqual(['g', 'f']);
    list.limit = 0;
    expect(list.limit).toBe(1);
    list.limit = 1000;
    expect(list.limit).toBe(50);
    list.limit = Number.NaN;
    expect(list.limit).toBe(5);
  });

  it('ignores a tip it already lists', () => {
    const list = new RecentTips();
    expect(list.add(tip('a'))).toBe(true);
    expect(list.add(tip('a'))).toBe(false);
    expect(list.items).toHaveLength(1);
  });

  it('empties when the session ends or the next one starts', () => {
    const list = new RecentTips();
    list.add(tip('a'));
    expect(list.session({ sessionId: 's1', status: 'active' })).toBe(false);
    expect(list.session({ sessionId: 's1', status: 'ended' })).toBe(true);
    expect(list.items).toHaveLength(0);
    list.add(tip('b', 's2'));
    expect(list.session({ sessionId: 's3', status: 'active' })).toBe(true);
    list.add(tip('c', 's3'));
    list.add(tip('d', 's4'));
    expect(list.items.map((t) => t.id)).toEqual(['d']);
  });
});
