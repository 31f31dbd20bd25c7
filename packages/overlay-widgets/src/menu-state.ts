import { clip, NAME_MAX_CHARS } from './format.ts';
import type { MenuItem, MenuItemPurchase, MenuUpdate } from './overlay-events.ts';
import { realTimers, type Timers } from './timers.ts';

/**
 * What `<sc-tip-menu>` shows: the creator's menu from `menu_updated` (each one replaces the
 * list) and, from `menu_item_purchased`, which items were just bought and by whom. A bought
 * item stays highlighted for `highlightMs`; bought again meanwhile, it shows the new buyer and
 * its time starts over. Several items can be highlighted at once. A purchase delivered twice
 * (same tip) is highlighted once.
 */

export const DEFAULT_HIGHLIGHT_MS = 4000;
export const MIN_HIGHLIGHT_MS = 500;
export const MAX_HIGHLIGHT_MS = 30_000;
/** At most this many items are shown (the server sends the creator's active items). */
export const MAX_MENU_ITEMS = 50;
/** The buyer shown when the tip has no name. */
export const SOMEONE = 'Someone';

export interface MenuHighlight {
  itemId: string;
  /** The buyer as shown: the tipper's name clipped, or "Someone". */
  buyer: string;
  tipId: string;
  /** Grows with every purchase, so a repeat purchase can restart the element's animation. */
  seq: number;
}

/** How many recent purchases' tip ids are remembered to drop a redelivered one. */
const SEEN_TIPS = 200;

export class MenuState {
  readonly #onChange: () => void;
  readonly #timers: Timers;
  #highlightMs: number;
  #items: MenuItem[] = [];
  readonly #highlights = new Map<string, { highlight: MenuHighlight; timer: unknown }>();
  readonly #seenTips = new Set<string>();
  #seq = 0;

  constructor(onChange: () => void, options: { timers?: Timers; highlightMs?: number } = {}) {
    this.#onChange = onChange;
    this.#timers = options.timers ?? realTimers;
    this.#highlightMs = clampHighlight(options.highlightMs ?? DEFAULT_HIGHLIGHT_MS);
  }

  /** The menu, in the creator's order. */
  get items(): readonly MenuItem[] {
    return this.#items;
  }

  get highlightMs(): number {
    return this.#highlightMs;
  }

  /** How long a purchase highlights its item (500–30000 ms); applies to the next purchases. */
  set highlightMs(ms: number) {
    this.#highlightMs = clampHighlight(ms);
  }

  /** The item's current highlight, if it was just bought. */
  highlight(itemId: string): MenuHighlight | undefined {
    return this.#highlights.get(itemId)?.highlight;
  }

  /** Every current highlight. */
  get highlights(): MenuHighlight[] {
    return [...this.#highlights.values()].map((h) => h.highlight);
  }

  /** A new menu: replaces the list (malformed items are left out). Answers whether the payload was a menu. */
  update(payload: MenuUpdate): boolean {
    if (!payload || !Array.isArray(payload.items)) return false;
    const seen = new Set<string>();
    const items: MenuItem[] = [];
    for (const item of payload.items) {
      if (!isItem(item) || seen.has(item.id)) continue;
      seen.add(item.id);
      items.push(item);
    }
    // The server sends them in order; sorting (stable) only guards against one that does not.
    items.sort((a, b) => order(a) - order(b));
    this.#items = items.slice(0, MAX_MENU_ITEMS);
    this.#onChange();
    return true;
  }

  /** An item was bought: highlight it. Answers the highlight, or undefined for a malformed or redelivered purchase. */
  purchased(payload: MenuItemPurchase): MenuHighlight | undefined {
    if (!payload || typeof payload.itemId !== 'string' || typeof payload.tipId !== 'string') return undefined;
    if (this.#seenTips.has(payload.tipId)) return undefined;
    this.#seenTips.add(payload.tipId);
    if (this.#seenTips.size > SEEN_TIPS) this.#seenTips.delete(this.#seenTips.values().next().value!);
    const previous = this.#highlights.get(payload.itemId);
    if (previous) this.#timers.clearTimeout(previous.timer);
    const highlight: MenuHighlight = { itemId: payload.itemId, buyer: buyerName(payload.tipperName), tipId: payload.tipId, seq: ++this.#seq };
    const timer = this.#timers.setTimeout(() => {
      if (this.#highlights.get(highlight.itemId)?.highlight !== highlight) return;
      this.#highlights.delete(highlight.itemId);
      this.#onChange();
    }, this.#highlightMs);
    this.#highlights.set(payload.itemId, { highlight, timer });
    this.#onChange();
    return highlight;
  }

  /** End every highlight now. */
  clearHighlights(): void {
    if (!this.#highlights.size) return;
    for (const { timer } of this.#highlights.values()) this.#timers.clearTimeout(timer);
    this.#highlights.clear();
    this.#onChange();
  }

  /** Forget the menu and every highlight (another creator's menu is coming). */
  clear(): void {
    for (const { timer } of this.#highlights.values()) this.#timers.clearTimeout(timer);
    const changed = this.#items.length > 0 || this.#highlights.size > 0;
    this.#highlights.clear();
    this.#items = [];
    if (changed) this.#onChange();
  }
}

/** The buyer to show: the tipper's name clipped, or "Someone" when there is none. */
export function buyerName(tipperName: unknown): string {
  return (typeof tipperName === 'string' && clip(tipperName, NAME_MAX_CHARS)) || SOMEONE;
}

export function clampHighlight(ms: number): number {
  return Number.isFinite(ms) ? Math.min(MAX_HIGHLIGHT_MS, Math.max(MIN_HIGHLIGHT_MS, ms)) : DEFAULT_HIGHLIGHT_MS;
}

function isItem(item: MenuItem): boolean {
  return (
    !!item &&
    typeof item === 'object' &&
    typeof item.id === 'string' &&
    item.id.length > 0 &&
    typeof item.title === 'string' &&
    typeof item.priceCents === 'number' &&
    Number.isFinite(item.priceCents)
  );
}

function order(item: MenuItem): number {
  return typeof item.order === 'number' && Number.isFinite(item.order) ? item.order : Number.MAX_SAFE_INTEGER;
}
