import { createServiceRef, type EntityManager, type Realtime } from '@streaming-companion/sdk';
import type { RecordedTip, RecordOptions, TipInput, TipRecorder } from './tip-recorder.ts';

/** Records a tip and, once it is committed, tells the session's sockets. What other plugins use. */
export class TipsService {
  readonly #recorder: TipRecorder;
  readonly #realtime: Realtime;

  constructor(recorder: TipRecorder, realtime: Realtime) {
    this.#recorder = recorder;
    this.#realtime = realtime;
  }

  async record(em: EntityManager, creatorId: string, input: TipInput, options?: RecordOptions): Promise<RecordedTip> {
    const recorded = await this.#recorder.record(em, creatorId, input, options);
    if (recorded.replayed) return recorded; // the first attempt already announced it
    const { tip, sessionTotals, session } = recorded;
    const room = this.#realtime.toSession(tip.sessionId);
    room.emit('tip_received', { sessionId: tip.sessionId, tip, sessionTotals });
    room.emit('session_updated', session);
    return recorded;
  }
}

/** For connectors and other plugins: `ctx.use(tipsServiceRef).record(em, creatorId, { …, source: 'platform_api', externalEventId })`. */
export const tipsServiceRef = createServiceRef<Pick<TipsService, 'record'>>({ id: 'tips.service', providedBy: 'tips' });
