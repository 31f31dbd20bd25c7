import { css, html, nothing, type PropertyValues } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { repeat } from 'lit/directives/repeat.js';
import { styleMap } from 'lit/directives/style-map.js';
import { clip, formatMenuPrice } from './format.ts';
import { menuStyleProperties } from './menu-options.ts';
import { DEFAULT_HIGHLIGHT_MS, MenuState, type MenuHighlight } from './menu-state.ts';
import { targetId, type OverlayConnection } from './overlay-connection.ts';
import { numberOr, OverlayElement } from './overlay-element.ts';
import type { MenuItem } from './overlay-events.ts';

export const MENU_TITLE_MAX_CHARS = 60;
export const MENU_DESCRIPTION_MAX_CHARS = 140;
const EMOJI_MAX_CHARS = 16;

/** `detail` of `sc-menu-purchase`. */
export interface MenuPurchaseDetail {
  itemId: string;
  tipId: string;
  /** The item's title as the purchase names it. */
  title: string;
  /** The buyer as shown ("Someone" without a name). */
  buyer: string;
}

/**
 * `<sc-tip-menu>`: the creator's tip menu from `menu_updated` (emoji, title, price, description),
 * and on `menu_item_purchased` the bought item pulses with its buyer's name for a while.
 * Nothing is visible while the menu is empty. Styled from attributes (`font-size`, `columns`,
 * `text-color`, `background`, `accent-color`) through CSS custom properties.
 */
export class TipMenu extends OverlayElement {
  static override properties = {
    highlightDuration: { type: Number, attribute: 'highlight-duration' },
    fontSize: { type: String, attribute: 'font-size' },
    columns: { type: String },
    textColor: { type: String, attribute: 'text-color' },
    background: { type: String },
    accentColor: { type: String, attribute: 'accent-color' },
  };

  /** How long a purchase highlights its item, in ms (default 4000, 500–30000). */
  declare highlightDuration: number | null;
  /** Text size in px (default 28, 12–96); everything else scales with it. */
  declare fontSize: string | null;
  /** 1–4 (default 1). */
  declare columns: string | null;
  /** CSS colours; anything that is not one is ignored. */
  declare textColor: string | null;
  declare background: string | null;
  declare accentColor: string | null;

  readonly #menu = new MenuState(() => this.#onChange());
  #targetId: string | undefined;

  constructor() {
    super();
    this.highlightDuration = null;
    this.fontSize = null;
    this.columns = null;
    this.textColor = null;
    this.background = null;
    this.accentColor = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#onChange();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#menu.clearHighlights();
  }

  /** The menu shown, in order. */
  get items(): readonly MenuItem[] {
    return this.#menu.items;
  }

  /** The items just bought. */
  get highlights(): MenuHighlight[] {
    return this.#menu.highlights;
  }

  /** Show a menu by hand (what `menu_updated` does). */
  setMenu(items: MenuItem[]): void {
    this.#menu.update({ creatorId: '', items });
  }

  /** Highlight an item by hand (what `menu_item_purchased` does); answers whether it was highlighted. */
  showPurchase(purchase: { itemId: string; tipId: string; title?: string; tipperName?: string | null; sessionId?: string }): boolean {
    const highlight = this.#menu.purchased({ sessionId: '', title: '', tipperName: null, ...purchase });
    if (!highlight) return false;
    this.fire<MenuPurchaseDetail>('sc-menu-purchase', {
      itemId: highlight.itemId,
      tipId: highlight.tipId,
      title: typeof purchase.title === 'string' ? purchase.title : '',
      buyer: highlight.buyer,
    });
    return true;
  }

  protected override listen(connection: OverlayConnection): Array<() => void> {
    // Another key or session may be another creator: their menu replaces this one.
    const id = targetId(connection.target);
    if (this.#targetId !== undefined && id !== this.#targetId) this.#menu.clear();
    this.#targetId = id;
    return [connection.on('menu_updated', (p) => this.#menu.update(p)), connection.on('menu_item_purchased', (p) => this.showPurchase(p))];
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (changed.has('highlightDuration')) this.#menu.highlightMs = numberOr(this.highlightDuration, DEFAULT_HIGHLIGHT_MS);
  }

  #onChange(): void {
    this.dataset.state = this.#menu.items.length ? 'active' : 'idle';
    if (this.#menu.highlights.length) this.dataset.highlight = '';
    else delete this.dataset.highlight;
    this.requestUpdate();
  }

  override render(): unknown {
    const items = this.#menu.items;
    if (!items.length) return nothing;
    const money = this.amountFormat();
    const style = menuStyleProperties({
      fontSize: this.fontSize,
      columns: this.columns,
      textColor: this.textColor,
      background: this.background,
      accentColor: this.accentColor,
    });
    return html`<ol part="menu" class="menu" style=${styleMap(style)}>
      ${repeat(
        items,
        (item) => item.id,
        (item) => {
          const highlight = this.#menu.highlight(item.id);
          const emoji = typeof item.emoji === 'string' ? clip(item.emoji, EMOJI_MAX_CHARS) : '';
          const description = typeof item.description === 'string' ? clip(item.description, MENU_DESCRIPTION_MAX_CHARS) : '';
          const category = typeof item.category === 'string' ? item.category : 'custom';
          return html`<li part="item" class="item" data-category=${category} ?data-highlight=${!!highlight}>
            <div class="head">
              ${emoji ? html`<span part="emoji" class="emoji">${emoji}</span>` : nothing}
              <span part="title" class="title">${clip(item.title, MENU_TITLE_MAX_CHARS)}</span>
              <span part="price" class="price">${formatMenuPrice(item, money)}</span>
            </div>
            ${description ? html`<div part="description" class="description">${description}</div>` : nothing}
            ${highlight
              ? keyed(highlight.seq, html`<div part="buyer" class="buyer"><span class="buyer-name">${highlight.buyer}</span><span class="bought"> bought this</span></div>`)
              : nothing}
          </li>`;
        },
      )}
    </ol>`;
  }

  static override styles = css`
    :host {
      display: inline-block;
      box-sizing: border-box;
      max-width: 100%;
      font-family: var(--sc-font-family, 'Segoe UI', system-ui, -apple-system, 'Helvetica Neue', Arial, sans-serif);
      pointer-events: none;
    }
    .menu {
      list-style: none;
      box-sizing: border-box;
      max-width: 100%;
      margin: 0;
      padding: 0.45em;
      display: grid;
      grid-template-columns: repeat(var(--sc-menu-columns, 1), minmax(0, var(--sc-menu-column-width, 16em)));
      gap: 0.3em 0.45em;
      font-size: var(--sc-menu-font-size, 28px);
      color: var(--sc-menu-text-color, var(--sc-text-color, #fff));
      background: var(--sc-menu-background, rgba(20, 10, 40, 0.8));
      border-radius: 0.6em;
      box-shadow: 0 6px 24px rgba(0, 0, 0, 0.35);
      text-shadow: 0 2px 4px rgba(0, 0, 0, 0.6);
      animation: sc-menu-in 450ms ease-out both;
    }
    .item {
      min-width: 0;
      padding: 0.3em 0.5em;
      border-radius: 0.4em;
      border: 0.08em solid transparent;
      transition:
        background-color 300ms ease,
        border-color 300ms ease;
    }
    .head {
      display: flex;
      align-items: baseline;
      gap: 0.4em;
      min-width: 0;
    }
    .emoji {
      flex: 0 0 auto;
      text-shadow: none;
    }
    .title {
      flex: 1 1 auto;
      min-width: 0;
      font-weight: 700;
      white-space: nowrap;
      overflow: hidden;
      text-overflow: ellipsis;
    }
    .price {
      flex: 0 0 auto;
      font-weight: 800;
      white-space: nowrap;
      color: var(--sc-menu-accent, var(--sc-accent, #ffd23f));
    }
    .description {
      margin-top: 0.1em;
      font-size: 0.62em;
      opacity: 0.85;
      white-space: nowrap;
      overflow: hidden;
      text-overflow: ellipsis;
    }
    .buyer {
      display: flex;
      margin-top: 0.15em;
      font-size: 0.66em;
      font-weight: 800;
      white-space: nowrap;
      color: var(--sc-menu-accent, var(--sc-accent, #ffd23f));
      transform-origin: left center;
      animation: sc-menu-buyer-in 400ms cubic-bezier(0.2, 1.6, 0.4, 1) both;
    }
    .buyer-name {
      min-width: 0;
      overflow: hidden;
      text-overflow: ellipsis;
    }
    .bought {
      flex: none;
      white-space: pre;
    }
    .item[data-highlight] {
      border-color: var(--sc-menu-accent, var(--sc-accent, #ffd23f));
      background: rgba(255, 255, 255, 0.12);
      animation: sc-menu-pulse 700ms ease-in-out infinite alternate;
    }
    @keyframes sc-menu-in {
      from {
        opacity: 0;
        transform: translateY(-16px);
      }
      to {
        opacity: 1;
        transform: none;
      }
    }
    @keyframes sc-menu-pulse {
      from {
        transform: scale(1);
        box-shadow: 0 0 0 0 transparent;
      }
      to {
        transform: scale(1.03);
        box-shadow: 0 0 0.7em 0.1em var(--sc-menu-accent, var(--sc-accent, #ffd23f));
      }
    }
    @keyframes sc-menu-buyer-in {
      from {
        opacity: 0;
        transform: scale(0.6);
      }
      to {
        opacity: 1;
        transform: none;
      }
    }
  `;
}
