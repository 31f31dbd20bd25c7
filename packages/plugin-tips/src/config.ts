import { z } from 'zod';

export const TipsConfig = z.object({
  /** The largest single tip accepted, in cents (an `integer` column: at most 2147483647). */
  maxAmountCents: z.int32().positive().default(1_000_000),
  /** What one platform token is worth to the creator, per platform; used when a tip gives tokens only. */
  centsPerToken: z
    .object({ chaturbate: z.int().positive().optional(), stripchat: z.int().positive().optional(), other: z.int().positive().optional() })
    .default({ chaturbate: 5, stripchat: 5 }),
});
export type TipsConfig = z.output<typeof TipsConfig>;
