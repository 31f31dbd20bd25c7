import { z } from 'zod';

const MB = 1024 * 1024;

export const WidgetsConfig = z
  .object({
    /** The largest alert sound taken, in bytes (1 MB: a few seconds of audio). */
    maxSoundBytes: z.int().min(1_024).max(20 * MB).default(MB),
    /** The largest alert image or GIF taken, in bytes. */
    maxImageBytes: z.int().min(1_024).max(20 * MB).default(2 * MB),
    /** Uploads one creator may keep (sounds and images together). */
    maxMediaPerCreator: z.int().min(1).max(1_000).default(50),
    /** Test alerts one address may send per minute. */
    testAlertsPerMinute: z.int().min(1).max(1_000).default(30),
  })
  .strict();
export type WidgetsConfig = z.output<typeof WidgetsConfig>;
