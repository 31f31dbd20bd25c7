import { z } from 'zod';
import { MAX_ENDPOINTS_PER_CREATOR } from './contract.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const WebhooksConfig = z
  .object({
    /**
     * Let endpoints be plain http, and on loopback, private, link-local and other internal
     * addresses. Off: only https to public addresses (SSRF). For local testing only.
     */
    allowPrivateNetworks: z.boolean().default(false),
    /** Endpoints one creator may keep. */
    maxEndpointsPerCreator: z.int().min(1).max(MAX_ENDPOINTS_PER_CREATOR).default(10),
    /**
     * The wait before each retry of a failed attempt: one more attempt than delays in all. The
     * default makes 8 attempts over about 22 hours. Each wait is spread by `retryJitter`.
     */
    retryDelaysMs: z
      .array(z.int().min(1).max(7 * 24 * HOUR))
      .max(20)
      .default([30_000, 2 * MINUTE, 10 * MINUTE, HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR]),
    /** Each retry waits its delay times a random factor in [1 - jitter, 1 + jitter], so failed endpoints are not all retried at once. */
    retryJitter: z.number().min(0).max(0.5).default(0.2),
    /** How long an attempt's host lookup, and then its request to the end of the answer, may each take. */
    timeoutMs: z.int().min(100).max(60_000).default(10_000),
    /** Switch an endpoint off after this many deliveries in a row failed for good; 0 never does. */
    disableAfterFailures: z.int().min(0).max(10_000).default(20),
    /** Deliveries older than this many days leave the log (pending ones stay until they settle). */
    keepDeliveriesDays: z.int().min(1).max(365).default(30),
    /** How often deliveries due but not queued (the process died, or a restart without Redis) are queued again, and old ones pruned. */
    sweepEveryMs: z.int().min(100).max(HOUR).default(MINUTE),
    /** Attempts one worker process makes at once. */
    concurrency: z.int().min(1).max(1_000).default(10),
  })
  .strict();
export type WebhooksConfig = z.output<typeof WebhooksConfig>;
