/**
 * What `/streaming/overlay` sends, as the widgets read it. The shapes mirror the SDK's
 * `ServerToClientEvents` (a test checks they stay compatible) but are declared here so the
 * browser bundle and the published types do not depend on the server-side SDK.
 */

export type AnimationType = 'confetti' | 'hearts' | 'rain' | 'custom';

/** A recorded tip as `tip_received` carries it (the SDK's `TipDto`). */
export interface OverlayTip {
  id: string;
  sessionId: string;
  amountCents: number;
  tokens: number | null;
  centsPerToken: number | null;
  tipperName: string | null;
  message: string | null;
  isAnonymous: boolean;
  createdAt?: string;
}

export interface SessionUpdate {
  sessionId: string;
  status: 'active' | 'ended';
  totalTipsCents: number;
  tipCount: number;
  [extra: string]: unknown;
}

export interface GoalProgress {
  sessionId: string;
  goalId: string;
  title: string;
  currentCents: number;
  targetCents: number;
  percentage: number;
}

export interface GoalCompleted {
  sessionId: string;
  goalId: string;
  title: string;
  targetCents: number;
}

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
export interface OverlayEvents {
  session_updated: SessionUpdate;
  tip_received: { sessionId: string; tip: OverlayTip; sessionTotals: unknown };
  goal_progress: GoalProgress;
  goal_completed: GoalCompleted;
  animation_trigger: AnimationTrigger;
  chat_participant_audio: ParticipantAudio;
}

export type OverlayEventName = keyof OverlayEvents;

export const OVERLAY_EVENT_NAMES: readonly OverlayEventName[] = [
  'session_updated',
  'tip_received',
  'goal_progress',
  'goal_completed',
  'animation_trigger',
  'chat_participant_audio',
];
