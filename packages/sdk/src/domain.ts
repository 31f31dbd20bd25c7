import { z } from 'zod';

/**
 * The spec's enums and the shapes that cross the wire. Every server→client socket
 * event and every domain event is declared here once, so a plugin that emits one
 * with a wrong name or payload does not compile.
 */

export * from './enums.ts';
import { ANIMATION_TYPES, GOAL_STATUSES, SESSION_STATUSES, STREAM_PLATFORMS, TIP_SOURCES, type AnimationType, type SessionStatus, type StreamPlatform, type TipSource } from './enums.ts';

export const Uuid = z.uuid();

/** A session as every API and socket payload shows it. */
export const StreamSessionDto = z
  .object({
    id: z.uuid(),
    creatorId: z.uuid(),
    platform: z.enum(STREAM_PLATFORMS),
    title: z.string().nullable(),
    notes: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()),
    status: z.enum(SESSION_STATUSES),
    startedAt: z.iso.datetime(),
    endedAt: z.iso.datetime().nullable(),
    durationSeconds: z.int().nullable(),
    viewerCount: z.int(),
    peakViewers: z.int(),
    totalTipsCents: z.int(),
    tipCount: z.int(),
    tipperCount: z.int(),
    biggestTipCents: z.int(),
  })
  .meta({ id: 'StreamSession' });
export type StreamSessionDto = z.infer<typeof StreamSessionDto>;

export const SessionTotals = z
  .object({
    totalTipsCents: z.int(),
    tipCount: z.int(),
    tipperCount: z.int(),
    biggestTipCents: z.int(),
  })
  .meta({ id: 'SessionTotals' });
export type SessionTotals = z.infer<typeof SessionTotals>;

/** A recorded tip as sockets and the API show it. */
export const TipDto = z
  .object({
    id: z.uuid(),
    sessionId: z.uuid(),
    creatorId: z.uuid(),
    amountCents: z.int(),
    tokens: z.int().nullable(),
    centsPerToken: z.int().nullable(),
    tipperName: z.string().nullable(),
    message: z.string().nullable(),
    isAnonymous: z.boolean(),
    source: z.enum(TIP_SOURCES),
    externalEventId: z.string().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Tip' });
export type TipDto = z.infer<typeof TipDto>;

/** A creator account as the API shows it. */
export const CreatorDto = z
  .object({ id: z.uuid(), email: z.string().nullable(), displayName: z.string(), createdAt: z.iso.datetime() })
  .meta({ id: 'Creator' });
export type CreatorDto = z.infer<typeof CreatorDto>;

/** A personal API token without its secret (only shown once, when created). */
export const ApiTokenDto = z
  .object({ id: z.uuid(), name: z.string(), prefix: z.string(), createdAt: z.iso.datetime(), lastUsedAt: z.iso.datetime().nullable() })
  .meta({ id: 'ApiToken' });
export type ApiTokenDto = z.infer<typeof ApiTokenDto>;

/** A timestamped note a creator wrote during a session. */
export const SessionNoteDto = z
  .object({ id: z.uuid(), sessionId: z.uuid(), text: z.string(), createdAt: z.iso.datetime() })
  .meta({ id: 'SessionNote' });
export type SessionNoteDto = z.infer<typeof SessionNoteDto>;

/** A tip goal as the API shows it (the spec's TipGoalEntity). */
export const TipGoalDto = z
  .object({
    id: z.uuid(),
    sessionId: z.uuid(),
    creatorId: z.uuid(),
    title: z.string(),
    description: z.string().nullable(),
    targetCents: z.int(),
    currentCents: z.int(),
    /** currentCents / targetCents in percent, at most 2 decimals, capped at 100. */
    percentage: z.number().min(0).max(100),
    /** 0-based position in the session's list. */
    order: z.int(),
    status: z.enum(GOAL_STATUSES),
    completedAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'TipGoal' });
export type TipGoal = z.output<typeof TipGoalDto>;

/** Server → client events on `/streaming` (and, for the overlay subset, `/streaming/overlay`). */
export interface ServerToClientEvents {
  session_updated: StreamSessionUpdate;
  tip_received: { sessionId: string; tip: TipDto; sessionTotals: SessionTotals };
  goal_progress: {
    sessionId: string;
    goalId: string;
    title: string;
    currentCents: number;
    targetCents: number;
    percentage: number;
  };
  goal_completed: { sessionId: string; goalId: string; title: string; targetCents: number };
  chatbot_response: { sessionId: string; personaName: string; responseText: string; [extra: string]: unknown };
  chat_participant_audio: {
    sessionId: string;
    tipId: string;
    audioBase64: string;
    format: string;
    [extra: string]: unknown;
  };
  animation_trigger: { sessionId: string; type: AnimationType; metadata?: Record<string, unknown> };
  menu_updated: { creatorId: string; items: unknown[] };
  error: SocketErrorPayload;
}

export type StreamSessionUpdate = {
  sessionId: string;
  totalTipsCents: number;
  tipCount: number;
  peakViewers: number;
  viewerCount: number;
  status: SessionStatus;
  tipperCount: number;
  biggestTipCents: number;
};

export interface SocketErrorPayload {
  message: string;
  code: string;
  sessionId?: string;
}

export type ServerEventName = keyof ServerToClientEvents;

/**
 * What `/streaming/overlay` receives: the spec's list, plus `chat_participant_audio` so the
 * alert box can play a tip's TTS message while it shows the tip (the overlay issue asks for it).
 */
export const OVERLAY_EVENTS = [
  'tip_received',
  'goal_progress',
  'goal_completed',
  'animation_trigger',
  'menu_updated',
  'session_updated',
  'chat_participant_audio',
] as const satisfies readonly ServerEventName[];
export type OverlayEventName = (typeof OVERLAY_EVENTS)[number];

/** Domain events (the spec's table), written to the outbox with the change that caused them. */
export interface DomainEvents {
  'streaming.session.started': { creatorId: string; platform: StreamPlatform; sessionId: string };
  'streaming.session.ended': {
    creatorId: string;
    sessionId: string;
    duration: number;
    totalTipsCents: number;
    tipCount: number;
  };
  'streaming.tip.received': {
    creatorId: string;
    amountCents: number;
    source: TipSource;
    sessionId: string;
    tipId: string;
  };
  'streaming.goal.completed': { creatorId: string; goalId: string; targetCents: number; sessionId: string };
}

export type DomainEventName = keyof DomainEvents;

/** A delivered domain event: its payload plus the outbox id subscribers deduplicate on. */
export interface DomainEvent<N extends DomainEventName = DomainEventName> {
  id: string;
  name: N;
  payload: DomainEvents[N];
  occurredAt: string;
}

/** Client → server payloads on `/streaming` that the kernel handles itself. */
export const JoinSessionPayload = z.object({ sessionId: z.uuid() });
export const UpdateViewersPayload = z.object({ sessionId: z.uuid(), viewerCount: z.int().min(0).max(10_000_000) });
/** `join_overlay` takes a session id or the creator's overlay key (which follows the active session). */
export const JoinOverlayPayload = z
  .object({ sessionId: z.uuid().optional(), overlayKey: z.string().min(16).max(128).optional() })
  .strict()
  .refine((p) => (p.sessionId === undefined) !== (p.overlayKey === undefined), {
    path: ['sessionId'],
    message: 'give exactly one of sessionId or overlayKey',
  });
