import { z } from 'zod';

export const GoalsConfig = z
  .object({
    /**
     * When a tip takes a goal past its target, carry the overshoot into the next goal
     * (which may complete too, and so on). Off: the overshoot stays on the completed goal
     * and the next goal starts from 0 with the next tip.
     */
    autoAdvance: z.boolean().default(true),
  })
  .strict();
export type GoalsConfig = z.output<typeof GoalsConfig>;
