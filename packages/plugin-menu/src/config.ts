import { z } from 'zod';

export const MenuConfig = z
  .object({
    /** Requests per minute one address may make to the public menu. */
    publicRequestsPerMinute: z.int().min(1).max(10_000).default(120),
    /** How long browsers and proxies may keep a public menu (seconds); its ETag saves the rest. */
    publicCacheSeconds: z.int().min(0).max(3_600).default(15),
  })
  .strict();
export type MenuConfig = z.output<typeof MenuConfig>;
