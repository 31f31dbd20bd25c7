import type { animationEvents } from '@streaming-companion/plugin-animations/contract';
import type { goalEvents } from '@streaming-companion/plugin-goals/contract';
import type { menuEvents } from '@streaming-companion/plugin-menu/contract';
import type { tipEvents } from '@streaming-companion/plugin-tips/contract';
import type { ttsEvents } from '@streaming-companion/plugin-tts/contract';
import type { widgetEvents } from '@streaming-companion/plugin-widgets/contract';
import type { kernelEvents, OverlayEventMap } from '@streaming-companion/sdk/contracts';

/**
 * What `/streaming/overlay` sends, as the widgets read it: the overlay events of the plugins
 * that own them, taken from their contracts (type-only imports, so nothing of the server is
 * bundled).
 */

/** Server → overlay events the widgets listen to. */
export type OverlayEvents = OverlayEventMap<typeof kernelEvents | typeof tipEvents | typeof goalEvents | typeof menuEvents | typeof animationEvents | typeof ttsEvents | typeof widgetEvents>;

export type OverlayEventName = keyof OverlayEvents;
/** A recorded tip as `tip_received` carries it. */
export type OverlayTip = OverlayEvents['tip_received']['tip'];
export type SessionUpdate = OverlayEvents['session_updated'];
export type GoalProgress = OverlayEvents['goal_progress'];
export type GoalCompleted = OverlayEvents['goal_completed'];
export type AnimationTrigger = OverlayEvents['animation_trigger'];
/** `confetti`, `hearts`, `rain` or `custom`. */
export type AnimationType = AnimationTrigger['type'];
export type MenuUpdate = OverlayEvents['menu_updated'];
/** One item of the creator's public menu, as `menu_updated` carries it. */
export type MenuItem = MenuUpdate['items'][number];
export type MenuItemPurchase = OverlayEvents['menu_item_purchased'];
/** A tip's TTS clip. */
export type ParticipantAudio = OverlayEvents['chat_participant_audio'];
/** `skip`, `mute` or `unmute`, from the creator. */
export type TtsControl = OverlayEvents['tts_control'];

export type TipVoided = OverlayEvents['tip_voided'];
export type TipsSnapshot = OverlayEvents['tips_snapshot'];
/** One named tipper's session total, as `tips_snapshot` ranks them. */
export type TopTipper = TipsSnapshot['topTippers'][number];
/** The creator's widget settings with their media resolved to URLs. */
export type WidgetSettingsEvent = OverlayEvents['widget_settings'];
/** A sample alert from the dashboard: shown like a tip, counted nowhere. */
export type TestAlert = OverlayEvents['test_alert'];

/** Every overlay event, once: a missing or unknown name does not compile. */
const EVENT_NAMES: Record<OverlayEventName, true> = {
  session_updated: true,
  tip_received: true,
  tip_voided: true,
  tips_snapshot: true,
  goal_progress: true,
  goal_completed: true,
  animation_trigger: true,
  menu_updated: true,
  menu_item_purchased: true,
  chat_participant_audio: true,
  tts_control: true,
  widget_settings: true,
  test_alert: true,
};
export const OVERLAY_EVENT_NAMES = Object.keys(EVENT_NAMES) as OverlayEventName[];
