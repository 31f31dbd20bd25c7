import { describe, expect, it } from 'vitest';
import { buyerName, clampHighlight, DEFAULT_HIGHLIGHT_MS, MAX_MENU_ITEMS, MenuState, SOMEONE } from '../src/menu-state.ts';
import type { MenuItem, MenuItemPurchase } from '../src/overlay-events.ts';
import { FakeTimers } from './fake-timers.ts';

const item = (id: string, order: number, extra: Partial<MenuItem> = {}): MenuItem => ({
  id,
  title: `Item ${id}`,
  description: null,
  priceCents: 500,
  priceTokens: null,
  category: 'performance',
  emoji: null,
  order,
  ...extra,
});
let tips = 0;
const bought = (itemId: string, tipperName: string | null = 'Kai', tipId = `tip-${++tips}`): MenuItemPurchase => ({
  sessionId: 'session-1',
  tipId,
  itemId,
  title: `Item ${itemId}`,
  tipperName,
});

function setup(highlightMs?: number) {
  const timers = new FakeTimers();
  let changes = 0;
  const menu = new MenuState(() => changes++, { timers, ...(highlightMs === undefined ? {} : { highlightMs }) });
  const lit = () => menu.highlights.map((h) => `${h.itemId}:${h.buyer}`).sort();
  return { timers, menu, lit, changes: () => changes };
}

describe('MenuState', () => {
  it('shows nothing until a menu arrives, and each menu replaces the list', () => {
    const { menu, changes } = setup();
    expect(menu.items).toEqual([]);
    menu.update({ creatorId: 'c', items: [item('a', 0), item('b', 1)] });
    expect(menu.items.map((i) => i.id)).toEqual(['a', 'b']);
    menu.update({ creatorId: 'c', items: [item('c', 0)] });
    expect(menu.items.map((i) => i.id)).toEqual(['c']);
    menu.update({ creatorId: 'c', items: [] });
    expect(menu.items).toEqual([]);
    expect(changes()).toBe(3);
  });

  it('keeps the creator’s order, drops malformed and repeated items, and caps the list', () => {
    const { menu } = setup();
    menu.update({
      creatorId: 'c',
      items: [item('b', 1), item('a', 0), { id: 'x' } as never, null as never, item('a', 5), { ...item('n', 2), priceCents: Number.NaN }, item('c', 1)],
    });
    expect(menu.items.map((i) => i.id)).toEqual(['a', 'b', 'c']);
    menu.update({ creatorId: 'c', items: Array.from({ length: 80 }, (_, i) => item(`i${i}`, i)) });
    expect(menu.items).toHaveLength(MAX_MENU_ITEMS);
    expect(menu.update({ creatorId: 'c' } as never)).toBe(false);
    expect(menu.update(null as never)).toBe(false);
    expect(menu.items).toHaveLength(MAX_MENU_ITEMS);
  });

  it('highlights a bought item with its buyer for the highlight duration', () => {
    const { menu, timers, lit } = setup();
    menu.update({ creatorId: 'c', items: [item('a', 0), item('b', 1)] });
    expect(menu.purchased(bought('a', 'Kai'))).toMatchObject({ itemId: 'a', buyer: 'Kai' });
    expect(lit()).toEqual(['a:Kai']);
    expect(menu.highlight('a')?.buyer).toBe('Kai');
    expect(menu.highlight('b')).toBeUndefined();
    timers.advance(DEFAULT_HIGHLIGHT_MS - 1);
    expect(lit()).toEqual(['a:Kai']);
    timers.advance(1);
    expect(lit()).toEqual([]);
    expect(timers.pending).toBe(0);
  });

  it('uses the configured duration, clamped to 500–30000 ms', () => {
    const { menu, timers, lit } = setup(1000);
    menu.purchased(bought('a'));
    timers.advance(1000);
    expect(lit()).toEqual([]);
    menu.highlightMs = 100;
    expect(menu.highlightMs).toBe(500);
    menu.purchased(bought('a'));
    timers.advance(500);
    expect(lit()).toEqual([]);
    menu.highlightMs = 999_999;
    expect(menu.highlightMs).toBe(30_000);
    menu.highlightMs = Number.NaN;
    expect(menu.highlightMs).toBe(DEFAULT_HIGHLIGHT_MS);
    expect(clampHighlight(7000)).toBe(7000);
  });

  it('starts the time over with the new buyer when the item is bought again, and lights several items at once', () => {
    const { menu, timers, lit } = setup(4000);
    const first = menu.purchased(bought('a', 'Kai'))!;
    timers.advance(3000);
    const second = menu.purchased(bought('a', 'Mo'))!;
    expect(second.seq).toBeGreaterThan(first.seq);
    menu.purchased(bought('b', null));
    expect(lit()).toEqual(['a:Mo', `b:${SOMEONE}`]);
    timers.advance(3999);
    expect(lit()).toEqual(['a:Mo', `b:${SOMEONE}`]);
    timers.advance(1);
    expect(lit()).toEqual([]);
  });

  it('highlights a redelivered purchase (same tip) once', () => {
    const { menu, timers, lit } = setup(4000);
    expect(menu.purchased(bought('a', 'Kai', 'tip-x'))).toBeDefined();
    timers.advance(3000);
    expect(menu.purchased(bought('a', 'Kai', 'tip-x'))).toBeUndefined();
    timers.advance(1000);
    expect(lit()).toEqual([]);
  });

  it('keeps a highlight across a menu update, and ignores malformed purchases', () => {
    const { menu, lit } = setup();
    menu.update({ creatorId: 'c', items: [item('a', 0)] });
    menu.purchased(bought('a'));
    menu.update({ creatorId: 'c', items: [item('a', 0), item('b', 1)] });
    expect(lit()).toEqual(['a:Kai']);
    expect(menu.purchased(null as never)).toBeUndefined();
    expect(menu.purchased({ itemId: 'a' } as never)).toBeUndefined();
  });

  it('clears highlights, or everything', () => {
    const { menu, timers, lit } = setup();
    menu.update({ creatorId: 'c', items: [item('a', 0)] });
    menu.purchased(bought('a'));
    menu.clearHighlights();
    expect(lit()).toEqual([]);
    expect(menu.items).toHaveLength(1);
    expect(timers.pending).toBe(0);
    menu.purchased(bought('a'));
    menu.clear();
    expect(lit()).toEqual([]);
    expect(menu.items).toEqual([]);
    expect(timers.pending).toBe(0);
  });
});

describe('buyerName', () => {
  it('is the tipper’s name as plain text, clipped, or Someone', () => {
    expect(buyerName('Kai')).toBe('Kai');
    expect(buyerName(null)).toBe(SOMEONE);
    expect(buyerName('   ')).toBe(SOMEONE);
    expect(buyerName('\u202e\u0000')).toBe(SOMEONE);
    expect(buyerName('<img src=x onerror=alert(1)>')).toBe('<img src=x onerror=alert(1)>');
    expect(Array.from(buyerName('x'.repeat(100)))).toHaveLength(40);
  });
});
