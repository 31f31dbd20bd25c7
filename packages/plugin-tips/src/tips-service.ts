import { createServiceRef, type EntityManager, type Realtime, type SessionsService } from '@streaming-companion/sdk';
import type { RecordedTip, RecordOptions, TipInput, TipRecorder } from './tip-recorder.ts';

/** Records a tip and, once it is committed, tells the session's sockets. What other plugins use. */
export class TipsService {
  readonly #recorder: TipRecorder;
  readonly #sessions: SessionsService;
  readonly #realtime: Realtime;

  constructor(recorder: TipRecorder, sessions: SessionsService, realtime: Realtime) {
    this.#recorder = recorder;
    this.#sessions = sessions;
    this.#realtime = realtime;
  }

  async record(em: EntityManager, creatorId: string, input: TipInput, options?: RecordOptions): Promise<RecordedTip> {
    const recorded = await this.#recorder.record(em, creatorId, input, options);
    if (recorded.replayed) return recorded; // the first attempt already announced it
    const { tip, sessionTotals } = recorded;
    const room = this.#realtime.toSession(tip.sessionId);
    room.emit('tip_received', { sessionId: tip.sessionId, tip, sessionTotals });
    const session = await this.#sessions.get(em.fork(), creatorId, tip.sessionId);
    room.emit('session_updated', {
      sessionId: session.id,
      status: session.status,
      totalTipsCents: session.totalTipsCents,
      tipCount: session.tipCount,
      tipperCount: session.tipperCount,
      biggestTipCents: session.biggestTipCents,
      viewerCount: session.viewerCount,
      peakViewers: session.peakViewers,
    });
    return recorded;
  }
}

/** For connectors and other plugins: `ctx.use(tipsServiceRef).record(em, creatorId, { …, source: 'platform_api', externalEventId })`. */
export const tipsServiceRef = createServiceRef<Pick<TipsService, 'record'>>({ id: 'tips.service', providedBy: 'tips' });
