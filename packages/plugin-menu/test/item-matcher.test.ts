import { describe, expect, it } from 'vitest';
import { matchItem, normalize, type MatchableItem } from '../src/item-matcher.ts';

const item = (id: string, title: string, priceCents: number, order: number, extra: Partial<MatchableItem> = {}): MatchableItem => ({
  id,
  title,
  priceCents,
  priceTokens: null,
  order,
  active: true,
  ...extra,
});

const menu = [
  item('flash', 'Flash', 500, 0),
  item('dance', 'Dance', 1_000, 1),
  item('dance-party', 'Dance party 💃', 2_500, 2),
  item('song', 'Song request', 1_000, 3),
  item('off', 'Oil show', 700, 4, { active: false }),
  item('tokens', 'Spin the wheel', 333, 5, { priceTokens: 66 }),
];

describe('matching a tip to a menu item', () => {
  it('matches the message to a title, ignoring case, accents, punctuation and emoji', () => {
    expect(matchItem(menu, { amountCents: 1, tokens: null, message: '  FLASH!! ' })).toMatchObject({ item: { id: 'flash' }, matchedBy: 'message' });
    expect(matchItem(menu, { amountCents: 1, tokens: null, message: 'dançe party' })).toMatchObject({ item: { id: 'dance-party' } });
    expect(normalize('Dance party 💃')).toBe('dance party');
  });

  it('takes a message that starts with a title and goes on (a price after it), the longest title first', () => {
    expect(matchItem(menu, { amountCents: 1, tokens: null, message: 'Dance 50' })).toMatchObject({ item: { id: 'dance' } });
    expect(matchItem(menu, { amountCents: 1, tokens: null, message: 'Dance party (500 tokens)' })).toMatchObject({ item: { id: 'dance-party' } });
    // Not a word boundary: "Dancers" does not name "Dance".
    expect(matchItem(menu, { amountCents: 1, tokens: null, message: 'Dancers are great' })).toBeNull();
  });

  it('matches by amount when the message names nothing, and prefers the message when both could', () => {
    expect(matchItem(menu, { amountCents: 500, tokens: null, message: 'you are lovely' })).toMatchObject({ item: { id: 'flash' }, matchedBy: 'amount' });
    expect(matchItem(menu, { amountCents: 500, tokens: null, message: 'Song request' })).toMatchObject({ item: { id: 'song' }, matchedBy: 'message' });
  });

  it('settles two items at one price by the lower sort order', () => {
    expect(matchItem(menu, { amountCents: 1_000, tokens: null, message: null })).toMatchObject({ item: { id: 'dance' } });
    const reordered = menu.map((i) => (i.id === 'song' ? { ...i, order: -1 } : i));
    expect(matchItem(reordered, { amountCents: 1_000, tokens: null, message: null })).toMatchObject({ item: { id: 'song' } });
  });

  it('compares tokens with tokens when the tip and the item both have them', () => {
    expect(matchItem(menu, { amountCents: 330, tokens: 66, message: null })).toMatchObject({ item: { id: 'tokens' }, matchedBy: 'amount' });
    expect(matchItem(menu, { amountCents: 333, tokens: 67, message: null })).toBeNull();
  });

  it('never matches an inactive item, and matches nothing when nothing fits', () => {
    expect(matchItem(menu, { amountCents: 700, tokens: null, message: 'Oil show' })).toBeNull();
    expect(matchItem(menu, { amountCents: 123, tokens: null, message: '' })).toBeNull();
    expect(matchItem([], { amountCents: 500, tokens: null, message: 'Flash' })).toBeNull();
  });
});
