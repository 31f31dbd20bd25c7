import type { WidgetKind } from '@streaming-companion/plugin-widgets/contract';
import { css, html, nothing } from 'lit';
import { displayName, formatTipAmount } from './format.ts';
import type { OverlayConnection } from './overlay-connection.ts';
import { OverlayElement } from './overlay-element.ts';
import type { OverlayTip } from './overlay-events.ts';
import { SessionHighlights } from './session-highlights.ts';

/**
 * `<sc-tip-highlights>`: "Last tip: Kai $5.00" and "Biggest tip: Mia $50.00" (the settings'
 * `show`: `last`, `biggest` or `both`), from the session's snapshot when the overlay joins and
 * then from each tip. A voided tip leaves; the snapshot after the void fills its place.
 */
export class TipHighlights extends OverlayElement {
  readonly #highlights = new SessionHighlights();

  /** The last tip and the biggest one, as shown (either may be missing). */
  get highlights(): { last: OverlayTip | undefined; biggest: OverlayTip | undefined } {
    return { last: this.#highlights.last, biggest: this.#highlights.biggest };
  }

  protected override widgetKind(): WidgetKind {
    return 'highlights';
  }

  protected override listen(connection: OverlayConnection): Array<() => void> {
    return [
      connection.on('tips_snapshot', (p) => {
        if (this.#highlights.snapshot(p)) this.requestUpdate();
      }),
      connection.on('tip_received', (p) => {
        if (p.tip && this.#highlights.add(p.tip)) this.requestUpdate();
      }),
      connection.on('tip_voided', (p) => {
        if (this.#highlights.remove(p.tipId)) this.requestUpdate();
      }),
      connection.on('session_updated', (p) => {
        if (this.#highlights.session(p)) this.requestUpdate();
      }),
    ];
  }

  /** The lines the settings' `show` asks for, of those there are. */
  #lines(): Array<['last' | 'biggest', string, OverlayTip]> {
    const show = this.widgetSettings('highlights').show ?? 'both';
    const lines: Array<['last' | 'biggest', string, OverlayTip]> = [];
    const { last, biggest } = this.#highlights;
    if (last && show !== 'biggest') lines.push(['last', 'Last tip:', last]);
    if (biggest && show !== 'last') lines.push(['biggest', 'Biggest tip:', biggest]);
    return lines;
  }

  override updated(): void {
    this.dataset.state = this.#lines().length ? 'active' : 'idle';
  }

  override render(): unknown {
    const lines = this.#lines();
    if (!lines.length) return nothing;
    const format = this.amountFormat();
    return html`<div part="highlights" class="highlights">
      ${lines.map(
        ([kind, label, tip]) => html`<div part=${kind} class="line" data-tip-id=${tip.id}>
          <span part="label" class="label">${label}</span>
          <span part="name" class="name">${displayName(tip)}</span>
          <span part="amount" class="amount">${formatTipAmount(tip, format)}</span>
        </div>`,
      )}
    </div>`;
  }

  static override styles = css`
    :host {
      display: block;
      box-sizing: border-box;
      width: var(--sc-highlights-width, var(--sc-width, 600px));
      max-width: 100%;
      font-family: var(--sc-font-family, 'Segoe UI', system-ui, -apple-system, 'Helvetica Neue', Arial, sans-serif);
      color: var(--sc-text-color, #fff);
      pointer-events: none;
    }
    .highlights {
      box-sizing: border-box;
      display: flex;
      flex-direction: column;
      gap: 0.2em;
      padding: 10px 18px;
      border-radius: 14px;
      font-size: var(--sc-font-size, 24px);
      background: var(--sc-highlights-background, var(--sc-background, rgba(20, 10, 40, 0.8)));
      border-left: 5px solid var(--sc-accent, #ff4d8d);
      text-shadow: 0 2px 4px rgba(0, 0, 0, 0.6);
    }
    .line {
      display: flex;
      align-items: baseline;
      gap: 0.4em;
      min-width: 0;
      white-space: nowrap;
    }
    .label {
      flex: none;
      opacity: 0.85;
    }
    .name {
      min-width: 0;
      font-weight: 700;
      overflow: hidden;
      text-overflow: ellipsis;
    }
    .amount {
      flex: none;
      font-weight: 800;
      color: var(--sc-amount-color, #ffd23f);
    }
  `;
}
