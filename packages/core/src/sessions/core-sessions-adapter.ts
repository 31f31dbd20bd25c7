import type { EntityManager } from '@mikro-orm/sql';
import { conflict, type SessionsService, type StreamSessionDto, type StreamSessionUpdate } from '@streaming-companion/sdk';
import { StreamSession } from '../entities/stream-session.ts';
import { toDto, type SessionService } from './session-service.ts';

/** The slice of the session lifecycle plugins may use, behind `coreServiceRefs.sessions`. */
export class CoreSessionsAdapter implements SessionsService {
  readonly #sessions: SessionService;
  constructor(sessions: SessionService) {
    this.#sessions = sessions;
  }

  get(em: EntityManager, creatorId: string, sessionId: string): Promise<StreamSessionDto> {
    return this.#sessions.get(em, creatorId, sessionId);
  }

  async getActive(em: EntityManager, creatorId: string): Promise<StreamSessionDto | null> {
    const session = await em.findOne(StreamSession, { creatorId, status: 'active' });
    return session ? toDto(session) : null;
  }

  async addTip(em: EntityManager, creatorId: string, sessionId: string, tip: { amountCents: number; newTipper: boolean }): Promise<StreamSessionUpdate> {
    const rows = await em.execute<
      Array<{ status: 'active' | 'ended'; total_tips_cents: string | number; tip_count: number; tipper_count: number; biggest_tip_cents: number; viewer_count: number; peak_viewers: number }>
    >(
      `update core_stream_sessions
         set total_tips_cents = total_tips_cents + case when status = 'active' then ? else 0 end,
             tip_count = tip_count + case when status = 'active' then 1 else 0 end,
             tipper_count = tipper_count + case when status = 'active' and ? then 1 else 0 end,
             biggest_tip_cents = case when status = 'active' then greatest(biggest_tip_cents, ?) else biggest_tip_cents end,
             updated_at = now()
       where id = ? and creator_id = ?
       returning status, total_tips_cents, tip_count, tipper_count, biggest_tip_cents, viewer_count, peak_viewers`,
      [tip.amountCents, tip.newTipper, tip.amountCents, sessionId, creatorId],
    );
    const row = rows[0];
    if (!row) await this.#sessions.owned(em, creatorId, sessionId); // throws the 404
    if (row!.status !== 'active') throw conflict('session_ended', 'the session has ended; it takes no more tips', { sessionId });
    return {
      sessionId,
      status: row!.status,
      totalTipsCents: Number(row!.total_tips_cents),
      tipCount: row!.tip_count,
      tipperCount: row!.tipper_count,
      biggestTipCents: row!.biggest_tip_cents,
      viewerCount: row!.viewer_count,
      peakViewers: row!.peak_viewers,
    };
  }
}
