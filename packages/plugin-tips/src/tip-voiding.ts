import { LockMode, notFound, toSessionUpdate, type Clock, type EntityManager, type EventBus, type Realtime, type SessionsService, type TipTotals } from '@streaming-companion/sdk';
import { tipEvents, type SessionTotals, type TipDto } from './contract.ts';
import { SessionTipperEntity } from './entities/session-tipper.ts';
import { StreamTipEntity } from './entities/stream-tip.ts';
import { tipsSnapshot } from './tips-snapshot.ts';
import { toDto, totalsOf } from './tip-recorder.ts';

export interface TipVoidingDependencies {
  sessions: SessionsService;
  clock: Clock;
  events: EventBus;
  realtime: Realtime;
}

export interface VoidedTip {
  tip: TipDto;
  sessionTotals: SessionTotals;
}

/**
 * Voids a tip (a test, a typo): it stays in history marked void and leaves every total. In one
 * transaction: the mark, the session's totals recounted from the tips that still count,
 * `streaming.tip.voided` for the plugins that counted it, and `tip_voided` plus a fresh
 * `tips_snapshot` for the session's sockets. Voiding a void tip changes and announces nothing.
 */
export class TipVoiding {
  readonly #d: TipVoidingDependencies;

  constructor(dependencies: TipVoidingDependencies) {
    this.#d = dependencies;
  }

  async void(em: EntityManager, creatorId: string, tipId: string, reason: string): Promise<VoidedTip> {
    return em.transactional(async (tx) => {
      // Locked: two voids of one tip queue here, and the second finds it void.
      const tip = await tx.findOne(StreamTipEntity, { id: tipId, creatorId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!tip) throw notFound('tip');
      const { sessionId } = tip;
      if (tip.voidedAt) return { tip: toDto(tip), sessionTotals: totalsOf(toSessionUpdate(await this.#d.sessions.get(tx, creatorId, sessionId))) };

      tip.voidedAt = this.#d.clock.now();
      tip.voidReason = reason;
      await tx.flush();
      const session = await this.#d.sessions.recountTips(tx, creatorId, sessionId, (locked) => recount(locked, creatorId, sessionId, tip.tipperName ?? null));
      const sessionTotals = totalsOf(session);
      await this.#d.events.publish(tx, tipEvents.domain['streaming.tip.voided'], {
        creatorId,
        sessionId,
        tipId,
        amountCents: tip.amountCents,
        tipperName: tip.tipperName ?? null,
        createdAt: new Date(tip.createdAt).toISOString(),
        reason,
      });
      const room = this.#d.realtime.toSession(sessionId);
      await room.publish(tx, tipEvents.socket.tip_voided, { sessionId, tipId, sessionTotals });
      await room.publish(tx, tipEvents.socket.tips_snapshot, await tipsSnapshot(tx, creatorId, sessionId));
      return { tip: toDto(tip), sessionTotals };
    });
  }
}

/**
 * The session's totals from the tips that count. Tippers are told apart as `record` tells them
 * (case-insensitively, in JavaScript), and one whose only tips were voided loses their place in
 * `tips_session_tippers`, so their next tip counts them as new again.
 */
async function recount(em: EntityManager, creatorId: string, sessionId: string, voidedTipper: string | null): Promise<TipTotals> {
  const where = 'creator_id = ? and session_id = ? and voided_at is null';
  const [sums] = await em.execute<Array<{ total: string | number; tips: string | number; biggest: number }>>(
    `select coalesce(sum(amount_cents), 0) as total, count(*) as tips, coalesce(max(amount_cents), 0) as biggest from tips_tips where ${where}`,
    [creatorId, sessionId],
  );
  const names = await em.execute<Array<{ tipper_name: string }>>(`select distinct tipper_name from tips_tips where ${where} and tipper_name is not null`, [creatorId, sessionId]);
  const tippers = new Set(names.map((n) => n.tipper_name.toLowerCase()));
  if (voidedTipper && !tippers.has(voidedTipper.toLowerCase())) {
    await em.nativeDelete(SessionTipperEntity, { sessionId, tipperKey: voidedTipper.toLowerCase() });
  }
  return { totalTipsCents: Number(sums!.total), tipCount: Number(sums!.tips), tipperCount: tippers.size, biggestTipCents: Number(sums!.biggest) };
}
