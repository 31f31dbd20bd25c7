import type { WidgetKind } from '@streaming-companion/plugin-widgets/contract';
import { css, html, nothing, type PropertyValues } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { styleMap } from 'lit/directives/style-map.js';
import { clip, formatGoalAmount } from './format.ts';
import { DEFAULT_CELEBRATION_MS, fillPercent, GoalDisplay, isReached, type GoalView } from './goal-display.ts';
import type { OverlayConnection } from './overlay-connection.ts';
import { numberOr, OverlayElement } from './overlay-element.ts';

export const GOAL_TITLE_MAX_CHARS = 80;

/**
 * `<sc-goal-bar>`: the active goal's title, amount and a bar that fills as `goal_progress`
 * arrives; on `goal_completed` a celebration, then the next goal, or, when none comes, the
 * goal just completed, marked reached (the settings' `showReached`, on by default). A reload
 * gets the active goal, or the last one reached. Nothing between sessions.
 */
export class GoalBar extends OverlayElement {
  static override properties = {
    celebrationDuration: { type: Number, attribute: 'celebration-duration' },
    celebrationText: { type: String, attribute: 'celebration-text' },
  };

  /** How long the celebration shows, in ms (default 5000). */
  declare celebrationDuration: number | null;
  declare celebrationText: string | null;

  #celebrating: string | undefined;
  readonly #display = new GoalDisplay((view) => this.#onView(view));

  constructor() {
    super();
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

  protected override widgetKind(): WidgetKind {
    return 'goal';
  }

  protected override settingsChanged(): void {
    this.#display.showReached = this.widgetSettings('goal').showReached ?? true;
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
    this.dataset.state = goalState(view);
    const celebrated = view.celebrating ? view.goal?.goalId : undefined;
    if (celebrated && celebrated !== this.#celebrating) this.fire('sc-goal-celebrate', { goalId: celebrated, title: view.goal!.title });
    this.#celebrating = celebrated;
    this.requestUpdate();
  }

  override render(): unknown {
    const view = this.#display.view;
    const { goal, celebrating } = view;
    if (!goal) return nothing;
    const state = goalState(view);
    const amount = formatGoalAmount(goal.currentCents, goal.targetCents, this.amountFormat());
    const width = `${fillPercent(goal)}%`;
    return html`<div part="goal" class="goal" data-state=${state}>
      <div class="head">
        <span part="title" class="title">${clip(goal.title, GOAL_TITLE_MAX_CHARS)}</span>
        ${state === 'reached' ? html`<span part="reached" class="reached">Reached</span>` : nothing}
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
      width: var(--sc-goal-width, var(--sc-width, 1100px));
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
      font-size: var(--sc-font-size, 24px);
      background: var(--sc-goal-background, var(--sc-background, rgba(20, 10, 40, 0.85)));
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
      font-size: 1.417em;
      font-weight: 700;
      white-space: nowrap;
      overflow: hidden;
      text-overflow: ellipsis;
    }
    .amount {
      flex: 0 0 auto;
      font-size: 1.25em;
      font-weight: 700;
      color: var(--sc-amount-color, #ffd23f);
      white-space: nowrap;
    }
    .reached {
      flex: 0 0 auto;
      padding: 2px 14px;
      border-radius: 999px;
      font-size: 0.9em;
      font-weight: 800;
      color: #2b1400;
      text-shadow: none;
      background: var(--sc-accent, #ffd23f);
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
      background: var(--sc-goal-fill, linear-gradient(90deg, var(--sc-accent, #ff4d8d), #ffd23f));
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
      font-size: 1.25em;
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

/** `idle` (nothing shown), `active`, `celebrating`, or `reached` (a completed goal kept on screen). */
function goalState({ goal, celebrating }: GoalView): 'idle' | 'active' | 'celebrating' | 'reached' {
  if (!goal) return 'idle';
  if (celebrating) return 'celebrating';
  return isReached(goal) ? 'reached' : 'active';
}
