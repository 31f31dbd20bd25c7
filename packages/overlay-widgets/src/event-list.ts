import type { WidgetKind } from '@streaming-companion/plugin-widgets/contract';
import { css, html, nothing, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { displayMessage, displayName, formatTipAmount } from './format.ts';
import type { OverlayConnection } from './overlay-connection.ts';
import { numberOr, OverlayElement } from './overlay-element.ts';
import type { OverlayTip } from './overlay-events.ts';
import { DEFAULT_LIMIT, RecentTips } from './recent-tips.ts';
import { parseTiers, tierFor } from './tiers.ts';

/**
 * `<sc-event-list>`: the session's last N tips, newest first. It gets the session's latest
 * tips when it joins (`tips_snapshot`), so a reload or a scene switch keeps the list, and
 * drops a tip the creator voids.
 */
export class EventList extends OverlayElement {
  static override properties = {
    limit: { type: Number },
    tiers: { type: String },
  };

  /** How many tips to show (default: the settings', else 5; at most 50). When given, it wins over the settings. */
  declare limit: number | null;
  declare tiers: string | null;

  readonly #tips = new RecentTips();

  constructor() {
    super();
    this.limit = null;
    this.tiers = null;
  }

  /** The tips shown, newest first. */
  get items(): readonly OverlayTip[] {
    return this.#tips.items;
  }

  /** Add a tip by hand (what `tip_received` does). */
  addTip(tip: OverlayTip): void {
    if (this.#tips.add(tip)) this.requestUpdate();
  }

  protected override widgetKind(): WidgetKind {
    return 'recent';
  }

  protected override listen(connection: OverlayConnection): Array<() => void> {
    return [
      connection.on('tip_received', (p) => {
        if (p.tip) this.addTip(p.tip);
      }),
      connection.on('tips_snapshot', (p) => {
        if (this.#tips.snapshot(p)) this.requestUpdate();
      }),
      connection.on('tip_voided', (p) => {
        if (this.#tips.remove(p.tipId)) this.requestUpdate();
      }),
      connection.on('session_updated', (p) => {
        if (this.#tips.session(p)) this.requestUpdate();
      }),
    ];
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    this.#tips.limit = numberOr(this.limit, this.widgetSettings('recent').limit ?? DEFAULT_LIMIT);
  }

  override render(): unknown {
    const items = this.#tips.items;
    if (!items.length) return nothing;
    const tiers = parseTiers(this.tiers);
    const format = this.amountFormat();
    return html`<ol part="list" class="list">
      ${repeat(
        items,
        (tip) => tip.id,
        (tip) => {
          const tier = tierFor(tip.amountCents, tiers)?.name ?? 'default';
          const message = displayMessage(tip);
          return html`<li part="item" class="item tier-${tier}" data-tier=${tier}>
            <span part="name" class="name">${displayName(tip)}</span>
            <span part="amount" class="amount">${formatTipAmount(tip, format)}</span>
            ${message ? html`<span part="message" class="message">${message}</span>` : nothing}
          </li>`;
        },
      )}
    </ol>`;
  }

  static override styles = css`
    :host {
      display: block;
      box-sizing: border-box;
      width: var(--sc-events-width, var(--sc-width, 480px));
      max-width: 100%;
      font-family: var(--sc-font-family, 'Segoe UI', system-ui, -apple-system, 'Helvetica Neue', Arial, sans-serif);
      color: var(--sc-text-color, #fff);
      pointer-events: none;
    }
    .list {
      list-style: none;
      margin: 0;
      padding: 0;
      display: flex;
      flex-direction: column;
      gap: 10px;
      font-size: var(--sc-font-size, 24px);
    }
    .item {
      display: grid;
      grid-template-columns: minmax(0, 1fr) auto;
      column-gap: 16px;
      align-items: baseline;
      padding: 12px 18px;
      border-radius: 14px;
      background: var(--sc-item-background, var(--sc-background, rgba(20, 10, 40, 0.8)));
      border-left: 5px solid var(--sc-accent, #ff4d8d);
      text-shadow: 0 2px 4px rgba(0, 0, 0, 0.6);
      animation: sc-item-in 450ms ease-out both;
    }
    .name,
    .amount,
    .message {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .name {
      font-size: 1.083em;
      font-weight: 700;
    }
    .amount {
      font-size: 1.083em;
      font-weight: 800;
      color: var(--sc-amount-color, #ffd23f);
    }
    .message {
      grid-column: 1 / -1;
      font-size: 0.833em;
      opacity: 0.9;
    }
    @keyframes sc-item-in {
      from {
        opacity: 0;
        transform: translateX(40px);
      }
      to {
        opacity: 1;
        transform: none;
      }
    }
  `;
}
