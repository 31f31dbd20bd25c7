/**
 * Which menu item a tip bought. Two signals, the message first:
 * - By message: Chaturbate's tip menu sends the chosen item's label as the tip message, so a
 *   message equal to an item's title, or starting with it followed by a space (`Dance 50`),
 *   names that item. Compared case-, accent- and punctuation-blind, emoji ignored. When several
 *   titles fit, the longest wins (`Dance party` over `Dance`), then the lower sort order.
 * - By amount: otherwise, an item whose price equals the tip: in tokens when both the tip and
 *   the item have them, in cents otherwise. Two items at one price: the lower sort order wins.
 * Only active items match.
 */

export interface MatchableItem {
  id: string;
  title: string;
  priceCents: number;
  priceTokens: number | null | undefined;
  order: number;
  active: boolean;
}

export interface TipFacts {
  amountCents: number;
  tokens: number | null;
  message: string | null;
}

export interface Match<I> {
  item: I;
  matchedBy: 'message' | 'amount';
}

export function matchItem<I extends MatchableItem>(items: readonly I[], tip: TipFacts): Match<I> | null {
  const active = items.filter((item) => item.active).sort((a, b) => a.order - b.order);
  const message = normalize(tip.message ?? '');
  if (message) {
    const named = active
      .map((item) => ({ item, title: normalize(item.title) }))
      .filter(({ title }) => title && (message === title || message.startsWith(`${title} `)))
      .sort((a, b) => b.title.length - a.title.length || a.item.order - b.item.order);
    if (named[0]) return { item: named[0].item, matchedBy: 'message' };
  }
  const priced = active.find((item) => (tip.tokens != null && item.priceTokens != null ? item.priceTokens === tip.tokens : item.priceCents === tip.amountCents));
  return priced ? { item: priced, matchedBy: 'amount' } : null;
}

/** Lowercase, accents and emoji dropped, punctuation as spaces, spaces collapsed. */
export function normalize(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
