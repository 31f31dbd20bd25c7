import { z } from 'zod';

export const RehearsalConfig = z
  .object({
    /**
     * How long a rehearsal's session stays open after its last cue, so the last alert, line of
     * speech and animation play out before the overlays see the session end.
     */
    lingerSeconds: z.int().min(0).max(60).default(5),
  })
  .strict();
export type RehearsalConfig = z.output<typeof RehearsalConfig>;
