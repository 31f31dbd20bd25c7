import { z } from 'zod';

export const AnalyticsConfig = z
  .object({
    /**
     * What one token is worth, per token platform, for showing figures in tokens as well as in
     * money (tips recorded in tokens keep their own rate; this converts the others).
     */
    centsPerToken: z
      .object({ chaturbate: z.int().positive().optional(), stripchat: z.int().positive().optional(), other: z.int().positive().optional() })
      .default({ chaturbate: 5, stripchat: 5 }),
  })
  .strict();
export type AnalyticsConfig = z.output<typeof AnalyticsConfig>;
