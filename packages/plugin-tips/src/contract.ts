import { createServiceRef, defineEvents, TIP_SOURCES, ViewerStanding, type EntityManager, type StreamSessionUpdate, type TipSource } from '@streaming-companion/sdk/contracts';
import { z } from 'zod';
import { AddTipPayload } from './schemas.ts';

/** The longest tipper name and tip message a tip keeps. */
export { MESSAGE_MAX as TIP_MESSAGE_MAX, TIPPER_NAME_MAX } from './schemas.ts';

/** A recorded tip as sockets and the API show it (the spec's StreamTipEntity). */
export const TipDto = z
  .object({
    id: z.uuid(),
    sessionId: z.uuid(),
    creatorId: z.uuid(),
    amountCents: z.int(),
    tokens: z.int().nullable(),
    centsPerToken: z.int().nullable(),
    tipperName: z.string().nullable(),
    message: z.string().nullable(),
    isAnonymous: z.boolean(),
    source: z.enum(TIP_SOURCES),
    externalEventId: z.string().nullable(),
    /** What the platform said of the tipper (moderator, fan club, recent tips), when a connector knew. */
    tipperStanding: ViewerStanding.nullable(),
    createdAt: z.iso.datetime(),
    /** Set once the creator voided it (`POST /api/tips/:id/void`): it stays in history, out of every total. */
    voidedAt: z.iso.datetime().nullable(),
    voidReason: z.string().nullable(),
  })
  .meta({ id: 'Tip' });
export type TipDto = z.infer<typeof TipDto>;

export const SessionTotals = z
  .object({ totalTipsCents: z.int(), tipCount: z.int(), tipperCount: z.int(), biggestTipCents: z.int() })
  .meta({ id: 'SessionTotals' });
export type SessionTotals = z.infer<typeof SessionTotals>;

export const TipReceived = z.object({ sessionId: z.uuid(), tip: TipDto, sessionTotals: SessionTotals });

/** `tip_voided`: a tip was taken out of the totals; overlays drop it from their lists. */
export const TipVoided = z.object({ sessionId: z.uuid(), tipId: z.uuid(), sessionTotals: SessionTotals });

/** One named tipper's total in a session (anonymous tips are not ranked). */
export const TopTipper = z.object({ tipperName: z.string(), totalCents: z.int(), tipCount: z.int() }).meta({ id: 'SessionTopTipper' });
export type TopTipper = z.infer<typeof TopTipper>;

/**
 * `tips_snapshot`: what the session's tip widgets show, sent to an overlay as it joins (a reload
 * or scene switch keeps its lists) and to the session after a void (lists change shape).
 */
export const TipsSnapshot = z.object({
  sessionId: z.uuid(),
  /** The latest tips, newest first, voided ones left out. */
  recent: z.array(TipDto).max(20),
  /** Named tippers by total, highest first. */
  topTippers: z.array(TopTipper).max(10),
  biggest: TipDto.nullable(),
});
export type TipsSnapshot = z.infer<typeof TipsSnapshot>;

/** The tips plugin's events: the spec's `streaming.tip.received`, `tip_received` and `add_tip`. */
export const tipEvents = defineEvents('tips', {
  domain: {
    'streaming.tip.received': z.object({
      creatorId: z.uuid(),
      amountCents: z.int().positive(),
      source: z.enum(TIP_SOURCES),
      sessionId: z.uuid(),
      tipId: z.uuid(),
      /**
       * The tip as recorded, so a subscriber that counts it need not read it back: the tipper's
       * name (null when anonymous), the tokens and their rate when paid in tokens, and when. Events
       * written by an earlier version lack them: read the tip with `TipsService.get` then.
       */
      tipperName: z.string().nullable().optional(),
      tokens: z.int().nullable().optional(),
      centsPerToken: z.int().nullable().optional(),
      createdAt: z.iso.datetime().optional(),
    }),
    /** A tip taken out of the totals: subscribers that counted it take it back out. */
    'streaming.tip.voided': z.object({
      creatorId: z.uuid(),
      sessionId: z.uuid(),
      tipId: z.uuid(),
      amountCents: z.int().positive(),
      tipperName: z.string().nullable(),
      createdAt: z.iso.datetime(),
      reason: z.string(),
    }),
  },
  socket: { tip_received: TipReceived, tip_voided: TipVoided, tips_snapshot: TipsSnapshot },
  overlay: ['tip_received', 'tip_voided', 'tips_snapshot'],
  commands: { add_tip: AddTipPayload },
});

export interface TipInput {
  sessionId: string;
  /** Either the amount, or `tokens` (converted with the platform's cents per token). */
  amountCents?: number;
  tokens?: number;
  centsPerToken?: number;
  tipperName?: string | null;
  message?: string | null;
  isAnonymous?: boolean;
  source: TipSource;
  externalEventId?: string;
  /** What the platform says of the tipper, kept with the tip for chat levels; not part of what makes a retry the same tip. */
  tipperStanding?: ViewerStanding;
}

export interface RecordOptions {
  /** From the `Idempotency-Key` header, or a socket's `clientTipId`. The platform's event id is used when absent. */
  idempotencyKey?: string;
}

export interface RecordedTip {
  tip: TipDto;
  sessionTotals: SessionTotals;
  /** The session after this tip, as `session_updated` carries it. */
  session: StreamSessionUpdate;
  /** True when this was a retry and the first result is returned. */
  replayed: boolean;
}

/** What other plugins (a platform connector, say) use to record tips. */
export interface TipsService {
  /**
   * Record a tip in its own transaction: the row, the session's totals, `streaming.tip.received`
   * and `tip_received`. A retry under the same idempotency key (or platform event id) returns the first.
   */
  record(em: EntityManager, creatorId: string, input: TipInput, options?: RecordOptions): Promise<RecordedTip>;
  /** One of the creator's tips (null for an unknown id or another creator's), e.g. to read the message of a `streaming.tip.received`. */
  get(em: EntityManager, creatorId: string, tipId: string): Promise<TipDto | null>;
  /** The first `limit` tips of one of the creator's sessions that are not void, oldest first (a rehearsal replays them). */
  sessionTips(em: EntityManager, creatorId: string, sessionId: string, limit: number): Promise<TipDto[]>;
}

/** `deps: { tips: tipsServiceRef }`. */
export const tipsServiceRef = createServiceRef<TipsService>({ id: 'tips.service', providedBy: 'tips' });
