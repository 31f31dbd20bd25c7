import { css, html, nothing, type PropertyValues } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { styleMap } from 'lit/directives/style-map.js';
import { clip, formatGoalAmount } from './format.ts';
import { DEFAULT_CELEBRATION_MS, fillPercent, GoalDisplay, type GoalView } from './goal-display.ts';
import type { OverlayConnection } from './overlay-connection.ts';
import { numberOr, OverlayElement } from './overlay-element.ts';

export const GOAL_TITLE_MAX_CHARS = 80;

/**
 * `<sc-goal-bar>`: the active goal's title, amount and a bar that fills as `goal_progress`
 * arrives; on `goal_completed` a celebration, then the next goal. Nothing between sessions.
 */
export class GoalBar extends OverlayElement {
  static override properties = {
    currency: { type: String },
    locale: { type: String },
    centsPerToken: { type: Number, attribute: 'cents-per-token' },
    celebrationDuration: { type: Number, attribute: 'celebration-duration' },
    celebrationText: { type: String, attribute: 'celebration-text' },
  };

  declare currency: string | null;
  declare locale: string | null;
  /** When set, amounts show in tokens of this many cents. */
  declare centsPerToken: number | null;
  /** How long the celebration shows, in ms (default 5000). */
  declare celebrationDuration: number | null;
  declare celebrationText: string | null;

  #celebrating: string | undefined;
  readonly #display = new GoalDisplay((view) => this.#onView(view));

  constructor() {
    super();
    this.currency = null;
    this.locale = null;
    this.centsPerToken = null;
    this.celebrationDuration = null;
    this.celebrationText = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#onView(this.#display.view);
  }

  /** What the bar shows now. */
  get view(): GoalView {
    return this.#display.view;
  }

  protected override listen(connection: OverlayConnection): Array<() => void> {
    return [
      connection.on('goal_progress', (p) => this.#display.progress(p)),
      connection.on('goal_completed', (p) => this.#display.completed(p)),
      connection.on('session_updated', (p) => this.#display.session(p)),
    ];
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (changed.has('celebrationDuration')) this.#display.celebrationMs = numberOr(this.celebrationDuration, DEFAULT_CELEBRATION_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#display.clear();
  }

  #onView(view: GoalView): void {
    const state = !view.goal ? 'idle' : view.celebrating ? 'celebrating' : 'active';
    this.dataset.state = state;
    const celebrated = view.celebrating ? view.goal?.goalId : undefined;
    if (celebrated && celebrated !== this.#celebrating) this.fire('sc-goal-celebrate', { goalId: celebrated, title: view.goal!.title });
    this.#celebrating = celebrated;
    this.requestUpdate();
  }

  override render(): unknown {
    const { goal, celebrating } = this.#display.view;
    if (!goal) return nothing;
    const state = celebrating ? 'celebrating' : 'active';
    const amount = formatGoalAmount(goal.currentCents, goal.targetCents, {
      currency: this.currency ?? undefined,
      locale: this.locale ?? undefined,
      centsPerToken: numberOr(this.centsPerToken, 0) || undefined,
    });
    const width = `${fillPercent(goal)}%`;
    return html`<div part="goal" class="goal" data-state=${state}>
      <div class="head">
        <span part="title" class="title">${clip(goal.title, GOAL_TITLE_MAX_CHARS)}</span>
        <span part="amount" class="amount">${amount}</span>
      </div>
      <div part="track" class="track">
        ${keyed(goal.goalId, html`<div part="fill" class="fill" style=${styleMap({ width })}></div>`)}
      </div>
      ${celebrating ? html`<div part="celebration" class="celebration">${clip(this.celebrationText ?? 'Goal reached!', 60)}</div>` : nothing}
    </div>`;
  }

  static override styles = css`
    :host {
      display: block;
      box-sizing: border-box;
      width: var(--sc-goal-width, 1100px);
      max-width: 100%;
      font-family: var(--sc-font-family, 'Segoe UI', system-ui, -apple-system, 'Helvetica Neue', Arial, sans-serif);
      color: var(--sc-text-color, #fff);
      pointer-events: none;
    }
    .goal {
      position: relative;
      box-sizing: border-box;
      padding: 16px 24px 20px;
      border-radius: 20px;
      background: var(--sc-goal-background, rgba(20, 10, 40, 0.85));
      box-shadow: 0 6px 24px rgba(0, 0, 0, 0.4);
      text-shadow: 0 2px 4px rgba(0, 0, 0, 0.6);
      animation: sc-goal-in 500ms ease-out both;
    }
    .head {
      display: flex;
      align-items: baseline;
      justify-content: space-between;
      gap: 24px;
      margin-bottom: 12px;
    }
    .title {
      flex: 1 1 auto;
      min-width: 0;
      font-size: 34px;
      font-weight: 700;
      white-space: nowrap;
      overflow: hidden;
      text-overflow: ellipsis;
    }
    .amount {
      flex: 0 0 auto;
      font-size: 30px;
      font-weight: 700;
      color: var(--sc-amount-color, #ffd23f);
      white-space: nowrap;
    }
    .track {
      height: 28px;
      border-radius: 14px;
      overflow: hidden;
      background: var(--sc-goal-track, rgba(255, 255, 255, 0.18));
    }
    .fill {
      height: 100%;
      border-radius: 14px;
      background: var(--sc-goal-fill, linear-gradient(90deg, #ff4d8d, #ffd23f));
      transition: width 800ms cubic-bezier(0.25, 1, 0.5, 1);
    }
    .goal[data-state='celebrating'] {
      box-shadow: 0 0 0 4px var(--sc-accent, #ffd23f), 0 6px 32px rgba(255, 210, 63, 0.6);
    }
    .goal[data-state='celebrating'] .fill {
      animation: sc-goal-shine 900ms ease-in-out infinite alternate;
    }
    .celebration {
      position: absolute;
      left: 50%;
      top: -34px;
      transform: translateX(-50%);
      padding: 6px 22px;
      border-radius: 999px;
      font-size: 30px;
      font-weight: 800;
      white-space: nowrap;
      color: #2b1400;
      text-shadow: none;
      background: var(--sc-accent, #ffd23f);
      animation: sc-goal-pop 700ms cubic-bezier(0.2, 1.6, 0.4, 1) both;
    }
    @keyframes sc-goal-in {
      from {
        opacity: 0;
        transform: translateY(20px);
      }
      to {
        opacity: 1;
        transform: none;
      }
    }
    @keyframes sc-goal-pop {
      from {
        opacity: 0;
        transform: translateX(-50%) scale(0.4);
      }
      to {
        opacity: 1;
        transform: translateX(-50%) scale(1);
      }
    }
    @keyframes sc-goal-shine {
      from {
        filter: brightness(1);
      }
      to {
        filter: brightness(1.35);
      }
    }
  `;
}
