import type { goalEvents } from '@streaming-companion/plugin-goals/contract';
import type { tipEvents } from '@streaming-companion/plugin-tips/contract';
import type { kernelEvents, OverlayEventMap } from '@streaming-companion/sdk';

/**
 * What `/streaming/overlay` sends, as the widgets read it: the overlay events of the plugins
 * that own them, taken from their contracts (type-only imports, so nothing of the server is
 * bundled), plus the two events the widgets already show whose plugins (animations, TTS) are
 * not written yet, declared here as the spec gives them until those plugins own them.
 */

export type AnimationType = 'confetti' | 'hearts' | 'rain' | 'custom';

export interface AnimationTrigger {
  sessionId: string;
  type: AnimationType;
  metadata?: Record<string, unknown>;
}

export interface ParticipantAudio {
  sessionId: string;
  tipId: string;
  audioBase64: string;
  format: string;
  [extra: string]: unknown;
}

/** Server → overlay events the widgets listen to. */
export type OverlayEvents = OverlayEventMap<typeof kernelEvents | typeof tipEvents | typeof goalEvents> & {
  animation_trigger: AnimationTrigger;
  chat_participant_audio: ParticipantAudio;
};

export type OverlayEventName = keyof OverlayEvents;
/** A recorded tip as `tip_received` carries it. */
export type OverlayTip = OverlayEvents['tip_received']['tip'];
export type SessionUpdate = OverlayEvents['session_updated'];
export type GoalProgress = OverlayEvents['goal_progress'];
export type GoalCompleted = OverlayEvents['goal_completed'];

/** Every overlay event, once: a missing or unknown name does not compile. */
const EVENT_NAMES: Record<OverlayEventName, true> = {
  session_updated: true,
  tip_received: true,
  goal_progress: true,
  goal_completed: true,
  animation_trigger: true,
  chat_participant_audio: true,
};
export const OVERLAY_EVENT_NAMES = Object.keys(EVENT_NAMES) as OverlayEventName[];
