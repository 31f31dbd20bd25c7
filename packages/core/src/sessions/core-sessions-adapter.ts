import type { EntityManager } from '@mikro-orm/sql';
import type { SessionsService, StreamSessionDto, StreamSessionUpdate } from '@streaming-companion/sdk';
import { StreamSession } from '../entities/stream-session.ts';
import { toDto, type SessionService } from './session-service.ts';

/** The slice of the session lifecycle plugins may use, behind `coreServices.sessions`. */
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

  addTip(em: EntityManager, creatorId: string, sessionId: string, tip: { amountCents: number; newTipper: boolean }): Promise<StreamSessionUpdate> {
    return this.#sessions.addTip(em, creatorId, sessionId, tip);
  }
}
