import { AlertBox } from './alert-box.ts';
import { AnimationLayer } from './animation-layer.ts';
import { defineElement } from './define.ts';
import { EventList } from './event-list.ts';
import { GoalBar } from './goal-bar.ts';
import { Leaderboard } from './leaderboard.ts';
import { TipHighlights } from './tip-highlights.ts';
import { TipMenu } from './tip-menu.ts';

export { AlertBox, type AlertEventDetail, type AlertTip, type ClipOutcome, type TtsEventDetail } from './alert-box.ts';
export { AnimationLayer, ANIMATION_REQUEST_EVENT } from './animation-layer.ts';
export { EventList } from './event-list.ts';
export { GoalBar } from './goal-bar.ts';
export { Leaderboard } from './leaderboard.ts';
export { TipHighlights } from './tip-highlights.ts';
export { TipMenu, type MenuPurchaseDetail } from './tip-menu.ts';
export { OverlayElement } from './overlay-element.ts';
export { defineElement } from './define.ts';
export { acquireOverlayConnection, OverlayConnection, type OverlayTarget, type ConnectionLease } from './overlay-connection.ts';
export { AlertQueue, DEFAULT_ALERT_TIMINGS, type AlertState, type AlertTimings } from './alert-queue.ts';
export { parseTiers, tierFor, withTierOptions, type Tier, type TierAnimation } from './tiers.ts';
export { clip, displayName, displayMessage, formatAmount, formatCents, formatTipAmount, formatTokens, formatGoalAmount, formatMenuPrice, type AmountFormat } from './format.ts';
export { alertLook, fillTemplate, templateParts, variationFor, type AlertLook } from './alert-look.ts';
export { amountFormat, FONT_STACKS, readWidgetSettings, themeProperties, type OverlaySettings } from './widget-settings.ts';
export { RecentTips } from './recent-tips.ts';
export { TopTippers } from './top-tippers.ts';
export { SessionHighlights } from './session-highlights.ts';
export { MenuState, type MenuHighlight } from './menu-state.ts';
export { menuStyleProperties, safeColor } from './menu-options.ts';
export { burstSize, intensityScale } from './particles.ts';
export { pageAttributes, PAGE_OPTIONS } from './page-options.ts';
export type * from './overlay-events.ts';

export const OVERLAY_ELEMENTS = {
  'sc-alert-box': AlertBox,
  'sc-goal-bar': GoalBar,
  'sc-event-list': EventList,
  'sc-leaderboard': Leaderboard,
  'sc-tip-highlights': TipHighlights,
  'sc-animation-layer': AnimationLayer,
  'sc-tip-menu': TipMenu,
} as const;

/** Register every overlay element (idempotent; importing this module already did). */
export function defineOverlayElements(): void {
  for (const [name, element] of Object.entries(OVERLAY_ELEMENTS)) defineElement(name, element);
}

defineOverlayElements();

declare global {
  interface HTMLElementTagNameMap {
    'sc-alert-box': AlertBox;
    'sc-goal-bar': GoalBar;
    'sc-event-list': EventList;
    'sc-leaderboard': Leaderboard;
    'sc-tip-highlights': TipHighlights;
    'sc-animation-layer': AnimationLayer;
    'sc-tip-menu': TipMenu;
  }
}
