import type { OverlayTip, TipsSnapshot } from '../src/overlay-events.ts';

/** A recorded tip as `tip_received` carries it. */
export function tip(id: string, fields: Partial<OverlayTip> = {}): OverlayTip {
  return {
    id,
    sessionId: 's1',
    creatorId: 'c1',
    amountCents: 100,
    tokens: null,
    centsPerToken: null,
    tipperName: id,
    message: null,
    isAnonymous: false,
    source: 'manual',
    externalEventId: null,
    tipperStanding: null,
    createdAt: '2026-12-01T20:00:00.000Z',
    voidedAt: null,
    voidReason: null,
    ...fields,
  };
}

/** A `tips_snapshot`. */
export function snapshot(fields: Partial<TipsSnapshot> = {}): TipsSnapshot {
  return { sessionId: 's1', recent: [], topTippers: [], biggest: null, ...fields };
}
