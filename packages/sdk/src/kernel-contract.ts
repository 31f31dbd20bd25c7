import { z } from 'zod';
import { SESSION_STATUSES, STREAM_PLATFORMS } from './enums.ts';
import { defineEvents } from './events.ts';

/*
 * The kernel's own contract: the session lifecycle's events and the DTOs of its routes.
 * Every feature's events and DTOs live in the plugin that owns the feature.
 */

/** A UUID, for ids in params and payloads. */
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
    /** A rehearsal: tips played into the overlays to try them out, left out of analytics. */
    rehearsal: z.boolean(),
  })
  .meta({ id: 'StreamSession' });
export type StreamSessionDto = z.infer<typeof StreamSessionDto>;

/** The spec's `session_updated`: a session's live figures. */
export const StreamSessionUpdate = z.object({
  sessionId: z.uuid(),
  totalTipsCents: z.int(),
  tipCount: z.int(),
  peakViewers: z.int(),
  viewerCount: z.int(),
  status: z.enum(SESSION_STATUSES),
  tipperCount: z.int(),
  biggestTipCents: z.int(),
});
export type StreamSessionUpdate = z.infer<typeof StreamSessionUpdate>;

/** The fields of a session `session_updated` is made of. */
export type SessionFigures = Pick<
  StreamSessionDto,
  'status' | 'totalTipsCents' | 'tipCount' | 'tipperCount' | 'biggestTipCents' | 'viewerCount' | 'peakViewers'
> & { id: string };

/** The one mapping from a session to its `session_updated` payload. */
export function toSessionUpdate(session: SessionFigures): StreamSessionUpdate {
  return {
    sessionId: session.id,
    status: session.status,
    totalTipsCents: Number(session.totalTipsCents),
    tipCount: session.tipCount,
    tipperCount: session.tipperCount,
    biggestTipCents: session.biggestTipCents,
    viewerCount: session.viewerCount,
    peakViewers: session.peakViewers,
  };
}

/** The spec's `error` event: what a refused socket event answers, besides its ack. */
export const SocketErrorPayload = z.object({ message: z.string(), code: z.string(), sessionId: z.string().optional() });
export type SocketErrorPayload = z.infer<typeof SocketErrorPayload>;

/** `join_session` and `leave_session`: the session whose room a socket joins or leaves. */
export const JoinSessionPayload = z.object({ sessionId: z.uuid() });
/** `update_viewers`: a client's report of the live viewer count. */
export const UpdateViewersPayload = z.object({ sessionId: z.uuid(), viewerCount: z.int().min(0).max(10_000_000) });

/** `join_overlay` takes a session id or the creator's overlay key (which follows the active session). */
export const JoinOverlayPayload = z
  .object({
    sessionId: z.uuid().optional(),
    overlayKey: z
      .string()
      .min(16)
      .max(128)
      .regex(/^[\w-]+$/, 'must be the overlay key as given (letters, digits, - and _)')
      .optional(),
  })
  .strict()
  .refine((p) => (p.sessionId === undefined) !== (p.overlayKey === undefined), {
    path: ['sessionId'],
    message: 'give exactly one of sessionId or overlayKey',
  });

/** `streaming.session.started`: a creator went live. */
export const SessionStarted = z.object({ creatorId: z.uuid(), platform: z.enum(STREAM_PLATFORMS), sessionId: z.uuid(), rehearsal: z.boolean().default(false) });
/** `streaming.session.ended`: a session ended, with its final totals (`duration` in seconds). */
export const SessionEnded = z.object({
  creatorId: z.uuid(),
  sessionId: z.uuid(),
  rehearsal: z.boolean().default(false),
  duration: z.int().min(0),
  totalTipsCents: z.int(),
  tipCount: z.int(),
});

/**
 * A session's viewer count, sampled: published with a viewer report at most once a minute per
 * session (the spec's `update_viewers` can come every second), for curves over time.
 */
export const SessionViewers = z.object({ creatorId: z.uuid(), sessionId: z.uuid(), viewerCount: z.int().min(0), sampledAt: z.iso.datetime() });

/** What the platform says of a viewer, for chat levels (all optional: platforms differ). */
export const ViewerStanding = z
  .object({
    isModerator: z.boolean().optional(),
    inFanClub: z.boolean().optional(),
    hasTokens: z.boolean().optional(),
    /** Chaturbate's `recentTips` tier. */
    recentTips: z.enum(['none', 'some', 'lots', 'tons']).optional(),
  })
  .strict();
export type ViewerStanding = z.infer<typeof ViewerStanding>;

/** The longest chat sender name the kernel takes. */
export const CHAT_SENDER_MAX = 100;
/** The longest chat line the kernel takes. */
export const CHAT_MESSAGE_MAX = 2_000;

/** A viewer's chat line, as a connector or a socket client reports it. */
export const ChatMessageInput = z.object({
  senderName: z.string().min(1).max(CHAT_SENDER_MAX),
  message: z.string().min(1).max(CHAT_MESSAGE_MAX),
  standing: ViewerStanding.default({}),
  /** The platform's event id, when it has one. */
  externalEventId: z.string().max(200).nullable().default(null),
});
export type ChatMessageInput = z.input<typeof ChatMessageInput>;

/** A viewer's chat line in a live session: the chatbot answers these. */
export const ChatMessageReceived = ChatMessageInput.extend({
  creatorId: z.uuid(),
  sessionId: z.uuid(),
  platform: z.enum(STREAM_PLATFORMS),
  receivedAt: z.iso.datetime(),
});

/** The kernel's events: the spec's session lifecycle and its socket protocol. */
export const kernelEvents = defineEvents('core', {
  domain: {
    'streaming.session.started': SessionStarted,
    'streaming.session.ended': SessionEnded,
    'streaming.session.viewers': SessionViewers,
    'streaming.chat.message': ChatMessageReceived,
  },
  socket: { session_updated: StreamSessionUpdate, error: SocketErrorPayload },
  overlay: ['session_updated'],
  commands: { join_session: JoinSessionPayload, leave_session: JoinSessionPayload, update_viewers: UpdateViewersPayload },
});

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
