import { z } from 'zod';

/** How much faster than it happened a rehearsal plays: as live, or five times as fast. */
export const REHEARSAL_SPEEDS = [1, 5] as const;
export type RehearsalSpeed = (typeof REHEARSAL_SPEEDS)[number];

export const REHEARSAL_STATUSES = ['playing', 'finished', 'stopped'] as const;
export type RehearsalStatus = (typeof REHEARSAL_STATUSES)[number];

/** The most tips one rehearsal plays: a simulation's upper bound, and how much of a long session a replay takes. */
export const MAX_REHEARSAL_TIPS = 500;

/** What a live session's recording keeps besides its tips (which are stored as tips): chat lines and viewer counts. */
export const RECORDED_EVENT_KINDS = ['chat', 'viewers'] as const;
export type RecordedEventKind = (typeof RECORDED_EVENT_KINDS)[number];

/** The most chat lines and viewer counts one session's recording keeps (and so one replay plays); later ones are dropped. */
export const MAX_RECORDED_EVENTS = 2_000;
/** The longest chat line a recording keeps, in characters; a longer one is cut there. */
export const RECORDED_MESSAGE_MAX = 500;

/** A rehearsal as the API shows it. */
export const RehearsalDto = z
  .object({
    id: z.uuid(),
    /** The session it plays into: flagged `rehearsal`, left out of analytics. */
    sessionId: z.uuid(),
    /** The session it replays; null for simulated tips. */
    sourceSessionId: z.uuid().nullable(),
    speed: z.literal(REHEARSAL_SPEEDS),
    tipCount: z.int(),
    /** Chat lines it replays (each reaches the chatbot as live chat would). */
    chatCount: z.int(),
    /** Viewer counts it replays (each reported to the session as live). */
    viewerReportCount: z.int(),
    /** Tips played so far (of `tipCount`: a progress bar's measure). */
    played: z.int(),
    status: z.enum(REHEARSAL_STATUSES),
    startedAt: z.iso.datetime(),
    /** When its session ends by itself (unless stopped first). */
    endsAt: z.iso.datetime(),
  })
  .meta({ id: 'Rehearsal' });
export type RehearsalDto = z.output<typeof RehearsalDto>;
