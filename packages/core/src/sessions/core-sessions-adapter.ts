import type { EntityManager } from '@mikro-orm/sql';
import { Problem, type ChatMessageInput, type SessionsService, type StartSession, type StreamSessionDto, type StreamSessionUpdate, type TipTotals } from '@streaming-companion/sdk';
import { StreamSession } from '../entities/stream-session.ts';
import { toDto, type SessionService } from './session-service.ts';

/** The slice of the session lifecycle plugins may use, behind `coreServices.sessions`. */
export class CoreSessionsAdapter implements SessionsService {
  readonly #sessions: SessionService;
  constructor(sessions: SessionService) {
    this.#sessions = sessions;
  }

  start(em: EntityManager, creatorId: string, input: StartSession): Promise<StreamSessionDto> {
    return this.#sessions.start(em, creatorId, input);
  }

  end(em: EntityManager, creatorId: string, sessionId: string): Promise<StreamSessionDto> {
    return this.#sessions.end(em, creatorId, sessionId);
  }

  updateViewers(em: EntityManager, creatorId: string, sessionId: string, viewerCount: number): Promise<StreamSessionUpdate> {
    return this.#sessions.updateViewers(em, creatorId, sessionId, viewerCount);
  }

  chatMessage(em: EntityManager, creatorId: string, sessionId: string, message: ChatMessageInput): Promise<void> {
    return this.#sessions.chatMessage(em, creatorId, sessionId, message);
  }

  get(em: EntityManager, creatorId: string, sessionId: string): Promise<StreamSessionDto> {
    return this.#sessions.get(em, creatorId, sessionId);
  }

  async getActive(em: EntityManager, creatorId: string): Promise<StreamSessionDto | null> {
    const session = await em.findOne(StreamSession, { creatorId, status: 'active' });
    return session ? toDto(session) : null;
  }

  async require(em: EntityManager, creatorId: string, sessionId: string, options: { live?: boolean } = {}): Promise<StreamSessionDto> {
    const session = await em.findOne(StreamSession, { id: sessionId, creatorId });
    if (!session) {
      throw new Problem(404, 'session_not_found', 'sessionId: no session of yours has this id', {
        errors: [{ field: 'sessionId', rule: 'exists', message: 'no session of yours has this id' }],
      });
    }
    if (options.live && session.status !== 'active') {
      throw new Problem(409, 'session_ended', 'sessionId: the session has ended', {
        errors: [{ field: 'sessionId', rule: 'active', message: 'the session has ended' }],
        extra: { sessionId },
      });
    }
    return toDto(session);
  }

  addTip(em: EntityManager, creatorId: string, sessionId: string, tip: { amountCents: number; newTipper: boolean }): Promise<StreamSessionUpdate> {
    return this.#sessions.addTip(em, creatorId, sessionId, tip);
  }

  recountTips(em: EntityManager, creatorId: string, sessionId: string, count: (em: EntityManager) => Promise<TipTotals>): Promise<StreamSessionUpdate> {
    return this.#sessions.recountTips(em, creatorId, sessionId, count);
  }
}
