import { STREAM_PLATFORMS, TIP_SOURCES } from '@streaming-companion/sdk/contracts';
import { z } from 'zod';

/** How a curve is cut: each point covers one of these, in the creator's time zone. */
export const INTERVALS = ['minute', '15m', 'hour', 'day', 'week', 'month'] as const;
export type Interval = (typeof INTERVALS)[number];

export const CurvePoint = z.object({
  /** Where the interval starts (ISO 8601, UTC). */
  start: z.iso.datetime(),
  tipCount: z.int(),
  totalCents: z.int(),
  /** The most viewers reported in the interval; null when none were. */
  peakViewers: z.int().nullable(),
});
export type CurvePoint = z.infer<typeof CurvePoint>;

export const TokenFigures = z.object({
  centsPerToken: z.int(),
  total: z.number(),
  average: z.number(),
  median: z.number(),
  biggest: z.number(),
});

export const AnalyticsSummary = z
  .object({
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    tz: z.string(),
    interval: z.enum(INTERVALS),
    sessionId: z.uuid().nullable(),
    platform: z.enum(STREAM_PLATFORMS).nullable(),
    sessionCount: z.int(),
    tipCount: z.int(),
    totalCents: z.int(),
    averageCents: z.int(),
    /** The middle tip (the mean of the two middle ones, rounded, for an even count). */
    medianCents: z.int(),
    biggestCents: z.int(),
    uniqueTippers: z.int(),
    anonymous: z.object({ tipCount: z.int(), totalCents: z.int(), tipShare: z.number(), amountShare: z.number() }),
    /** The same figures in the platform's tokens, when the figures are from one token platform. */
    tokens: TokenFigures.nullable(),
    /** The minute that brought the most, for a single session. */
    bestMinute: z.object({ start: z.iso.datetime(), tipCount: z.int(), totalCents: z.int() }).nullable(),
    curve: z.array(CurvePoint),
    goals: z.array(
      z.object({
        goalId: z.uuid(),
        sessionId: z.uuid(),
        title: z.string().nullable(),
        targetCents: z.int(),
        completedAt: z.iso.datetime(),
        /** How long after its session started. */
        secondsIntoSession: z.int().nullable(),
      }),
    ),
    menuItems: z.array(z.object({ itemId: z.uuid(), title: z.string(), count: z.int(), revenueCents: z.int() })),
  })
  .meta({ id: 'AnalyticsSummary' });
export type AnalyticsSummary = z.infer<typeof AnalyticsSummary>;

export const TopTipper = z.object({
  /** "Anonymous" for the anonymous tips, all grouped together. */
  tipperName: z.string(),
  anonymous: z.boolean(),
  tipCount: z.int(),
  totalCents: z.int(),
  /** In the platform's tokens, when the figures are from one token platform. */
  totalTokens: z.number().nullable(),
  lastTipAt: z.iso.datetime(),
});
export type TopTipper = z.infer<typeof TopTipper>;

export const TopTippers = z
  .object({ from: z.iso.datetime(), to: z.iso.datetime(), items: z.array(TopTipper) })
  .meta({ id: 'AnalyticsTopTippers' });
export type TopTippers = z.infer<typeof TopTippers>;

/** The columns of the CSV export, in order. */
export const EXPORT_COLUMNS = ['session_id', 'session_title', 'tipped_at', 'tipper', 'anonymous', 'amount_cents', 'tokens', 'cents_per_token', 'source', 'menu_item'] as const;

export { TIP_SOURCES };
