import { z } from 'zod';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export const ChaturbateConfig = z
  .object({
    /**
     * Where Events API URLs must point: a creator's URL is this plus `<username>/<token>/`, on
     * this host. The testbed is `https://events.testbed.cb.dev/events/`. Plain http only on
     * this machine (tests run a fake Events API there).
     */
    baseUrl: z
      .url()
      .refine((url) => new URL(url).pathname.endsWith('/'), 'must end with a slash, like https://eventsapi.chaturbate.com/events/')
      .refine((url) => {
        const { protocol, hostname } = new URL(url);
        return protocol === 'https:' || (protocol === 'http:' && LOOPBACK_HOSTS.has(hostname));
      }, 'must be https (plain http only on 127.0.0.1 or localhost)')
      .default('https://eventsapi.chaturbate.com/events/'),
    /** How long the Events API may hold one request open waiting for events (its `timeout`). */
    pollTimeoutSeconds: z.int().min(1).max(60).default(10),
    /** The first retry delay after a failed poll; it doubles with each failure in a row. */
    backoffBaseMs: z.int().min(1).max(600_000).default(1_000),
    /** The longest retry delay. */
    backoffMaxMs: z.int().min(1).max(3_600_000).default(60_000),
    /** What one token is worth to the creator, for connections that do not say. */
    centsPerToken: z.int().positive().max(10_000).default(5),
    /** How often every connection that should be polling is checked to be (after a crash or restart). */
    watchdogEveryMs: z.int().min(100).max(3_600_000).default(15_000),
    /** Polls one worker process holds open at once: one per creator being followed. */
    pollConcurrency: z.int().min(1).max(10_000).default(100),
  })
  .strict()
  .refine((c) => c.backoffMaxMs >= c.backoffBaseMs, { path: ['backoffMaxMs'], message: 'must be at least backoffBaseMs' });
export type ChaturbateConfig = z.output<typeof ChaturbateConfig>;
