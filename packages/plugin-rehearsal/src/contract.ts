import { z } from 'zod';

/** How much faster than it happened a rehearsal plays: as live, or five times as fast. */
export const REHEARSAL_SPEEDS = [1, 5] as const;
export type RehearsalSpeed = (typeof REHEARSAL_SPEEDS)[number];

export const REHEARSAL_STATUSES = ['playing', 'finished', 'stopped'] as const;
export type RehearsalStatus = (typeof REHEARSAL_STATUSES)[number];

/** The most tips one rehearsal plays: a simulation's upper bound, and how much of a long session a replay takes. */
export const MAX_REHEARSAL_TIPS = 500;

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
    /** Tips played so far. */
    played: z.int(),
    status: z.enum(REHEARSAL_STATUSES),
    startedAt: z.iso.datetime(),
    /** When its session ends by itself (unless stopped first). */
    endsAt: z.iso.datetime(),
  })
  .meta({ id: 'Rehearsal' });
export type RehearsalDto = z.output<typeof RehearsalDto>;
