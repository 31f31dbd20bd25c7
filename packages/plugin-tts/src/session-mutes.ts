import { preparedQuery, type Clock, type EntityManager, type Realtime, type SessionsService } from '@streaming-companion/sdk';
import { ttsEvents, type TtsControl } from './contract.ts';
import { SessionMuteEntity } from './entities/session-mute.ts';

export interface SessionMutesDependencies {
  sessions: SessionsService;
  realtime: Realtime;
  clock: Clock;
}

/**
 * The creator's hand on speech during a live session: skip the clip playing, mute, unmute.
 * The overlays hear it at once (`tts_control`); mute is also kept with the session, so a muted
 * session queues nothing and an overlay that joins it later starts muted.
 */
export class SessionMutes {
  readonly #d: SessionMutesDependencies;

  constructor(dependencies: SessionMutesDependencies) {
    this.#d = dependencies;
  }

  async control(em: EntityManager, creatorId: string, { sessionId, action }: TtsControl): Promise<{ sessionId: string; muted: boolean }> {
    await this.#d.sessions.require(em, creatorId, sessionId, { live: true });
    if (action === 'mute') {
      await em.createQueryBuilder(SessionMuteEntity).insert({ sessionId, creatorId, mutedAt: this.#d.clock.now() }).onConflict('sessionId').ignore().execute('run');
    } else if (action === 'unmute') {
      await em.nativeDelete(SessionMuteEntity, { sessionId });
    }
    this.#d.realtime.toSession(sessionId).emit(ttsEvents.socket.tts_control, { sessionId, action });
    return { sessionId, muted: await this.isMuted(em, sessionId) };
  }

  /** Whether the creator's session is muted (a 404 for another creator's). */
  async state(em: EntityManager, creatorId: string, sessionId: string): Promise<{ sessionId: string; muted: boolean }> {
    await this.#d.sessions.require(em, creatorId, sessionId);
    return { sessionId, muted: await this.isMuted(em, sessionId) };
  }

  /** A prepared statement, not the ORM: every overlay that joins asks, and so does every utterance. */
  async isMuted(em: EntityManager, sessionId: string): Promise<boolean> {
    const [row] = await preparedQuery<{ muted: boolean }>(em, 'select exists (select 1 from tts_session_mutes where session_id = ?) as muted', [sessionId]);
    return row!.muted;
  }
}
