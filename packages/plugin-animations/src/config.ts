import { z } from 'zod';

/** The defaults of every creator's limits (each can set their own through `/api/animations/settings`). */
export const AnimationsConfig = z
  .object({
    cooldownMs: z.int().min(0).max(60_000).default(1_500),
    maxConcurrent: z.int().min(1).max(10).default(3),
    effectMs: z.int().min(500).max(60_000).default(4_000),
  })
  .strict();
export type AnimationsConfig = z.output<typeof AnimationsConfig>;
