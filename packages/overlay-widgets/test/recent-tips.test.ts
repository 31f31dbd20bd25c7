import { describe, expect, it } from 'vitest';
import { RecentTips } from '../src/recent-tips.ts';
import { tip as makeTip, snapshot } from './tip-fixtures.ts';

const tip = (id: string, sessionId = 's1') => makeTip(id, { sessionId });

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

  it('fills from the snapshot a joining overlay gets (a reload keeps the list), then adds live tips on top', () => {
    const list = new RecentTips(3);
    expect(list.snapshot(snapshot({ recent: [tip('c'), tip('b'), tip('a')] }))).toBe(true);
    expect(list.items.map((t) => t.id)).toEqual(['c', 'b', 'a']);
    list.add(tip('d'));
    expect(list.items.map((t) => t.id)).toEqual(['d', 'c', 'b']);
    // Redelivered after the snapshot: shown once.
    expect(list.add(tip('c'))).toBe(false);
  });

  it('a snapshot replaces the list (after a void the server sends the truth), leaving out voided tips', () => {
    const list = new RecentTips();
    for (const id of 'abc') list.add(tip(id));
    list.snapshot(snapshot({ recent: [tip('c'), makeTip('b', { voidedAt: '2026-12-01T21:00:00.000Z', voidReason: 'test' }), tip('a')] }));
    expect(list.items.map((t) => t.id)).toEqual(['c', 'a']);
    expect(list.snapshot(null as never)).toBe(false);
    expect(list.snapshot(snapshot({ recent: 'nope' as never }))).toBe(false);
  });

  it('drops a voided tip, and an older one it kept beyond the limit moves up', () => {
    const list = new RecentTips(2);
    for (const id of 'abc') list.add(tip(id));
    expect(list.items.map((t) => t.id)).toEqual(['c', 'b']);
    expect(list.remove('c')).toBe(true);
    expect(list.items.map((t) => t.id)).toEqual(['b', 'a']);
    expect(list.remove('zzz')).toBe(false);
  });

  it('a raised limit shows the tips it kept at once', () => {
    const list = new RecentTips(2);
    for (const id of 'abcd') list.add(tip(id));
    list.limit = 4;
    expect(list.items.map((t) => t.id)).toEqual(['d', 'c', 'b', 'a']);
  });
});
