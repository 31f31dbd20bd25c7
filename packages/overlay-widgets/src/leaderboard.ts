import type { WidgetKind } from '@streaming-companion/plugin-widgets/contract';
import { css, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { clip, formatAmount, NAME_MAX_CHARS } from './format.ts';
import type { OverlayConnection } from './overlay-connection.ts';
import { numberOr, OverlayElement } from './overlay-element.ts';
import type { TopTipper } from './overlay-events.ts';
import { TopTippers } from './top-tippers.ts';

export const DEFAULT_LEADERBOARD_LIMIT = 5;
export const MAX_LEADERBOARD_LIMIT = 10;
const DEFAULT_TITLE = 'Top tippers';

/**
 * `<sc-leaderboard>`: the session's top tippers, live. The server's ranking comes when the
 * overlay joins (and again after a void); each named tip then adds to its tipper's total and
 * the board re-sorts. Anonymous tips are not ranked. Title and length from the settings.
 */
export class Leaderboard extends OverlayElement {
  static override properties = {
    limit: { type: Number },
  };

  /** How many tippers to show (1–10); when given, it wins over the settings. */
  declare limit: number | null;

  readonly #board = new TopTippers();

  constructor() {
    super();
    this.limit = null;
  }

  /** The tippers shown, highest total first. */
  get entries(): readonly TopTipper[] {
    const limit = numberOr(this.limit, this.widgetSettings('leaderboard').limit ?? DEFAULT_LEADERBOARD_LIMIT);
    return this.#board.top(Math.min(MAX_LEADERBOARD_LIMIT, Math.max(1, Math.floor(limit))));
  }

  protected override widgetKind(): WidgetKind {
    return 'leaderboard';
  }

  protected override listen(connection: OverlayConnection): Array<() => void> {
    return [
      connection.on('tips_snapshot', (p) => {
        if (this.#board.snapshot(p)) this.requestUpdate();
      }),
      connection.on('tip_received', (p) => {
        if (p.tip && this.#board.add(p.tip)) this.requestUpdate();
      }),
      connection.on('session_updated', (p) => {
        if (this.#board.session(p)) this.requestUpdate();
      }),
    ];
  }

  override updated(): void {
    this.dataset.state = this.#board.entries.length ? 'active' : 'idle';
  }

  override render(): unknown {
    const entries = this.entries;
    if (!entries.length) return nothing;
    const title = this.widgetSettings('leaderboard').title ?? DEFAULT_TITLE;
    const format = this.amountFormat();
    return html`<section part="leaderboard" class="board">
      ${title ? html`<div part="title" class="title">${clip(title, 60)}</div>` : nothing}
      <ol part="list" class="list">
        ${repeat(
          entries,
          (entry) => entry.tipperName,
          (entry, index) => html`<li part="entry" class="entry" data-rank=${index + 1}>
            <span part="rank" class="rank">${index + 1}</span>
            <span part="name" class="name">${clip(entry.tipperName, NAME_MAX_CHARS)}</span>
            <span part="amount" class="amount">${formatAmount(entry.totalCents, format)}</span>
          </li>`,
        )}
      </ol>
    </section>`;
  }

  static override styles = css`
    :host {
      display: block;
      box-sizing: border-box;
      width: var(--sc-leaderboard-width, var(--sc-width, 420px));
      max-width: 100%;
      font-family: var(--sc-font-family, 'Segoe UI', system-ui, -apple-system, 'Helvetica Neue', Arial, sans-serif);
      color: var(--sc-text-color, #fff);
      pointer-events: none;
    }
    .board {
      box-sizing: border-box;
      padding: 14px 18px;
      border-radius: 16px;
      font-size: var(--sc-font-size, 24px);
      background: var(--sc-leaderboard-background, var(--sc-background, rgba(20, 10, 40, 0.8)));
      border-top: 5px solid var(--sc-accent, #ff4d8d);
      text-shadow: 0 2px 4px rgba(0, 0, 0, 0.6);
      animation: sc-board-in 450ms ease-out both;
    }
    .title {
      margin-bottom: 0.4em;
      font-size: 1.083em;
      font-weight: 800;
      white-space: nowrap;
      overflow: hidden;
      text-overflow: ellipsis;
    }
    .list {
      list-style: none;
      margin: 0;
      padding: 0;
      display: flex;
      flex-direction: column;
      gap: 0.25em;
    }
    .entry {
      display: grid;
      grid-template-columns: 1.6em minmax(0, 1fr) auto;
      column-gap: 0.5em;
      align-items: baseline;
    }
    .rank {
      font-weight: 800;
      color: var(--sc-accent, #ff4d8d);
    }
    .name {
      font-weight: 700;
      white-space: nowrap;
      overflow: hidden;
      text-overflow: ellipsis;
    }
    .amount {
      font-weight: 800;
      white-space: nowrap;
      color: var(--sc-amount-color, #ffd23f);
    }
    @keyframes sc-board-in {
      from {
        opacity: 0;
        transform: translateY(-12px);
      }
      to {
        opacity: 1;
        transform: none;
      }
    }
  `;
}
