import type { EntityManager, Realtime, RealtimeTarget, SessionsService } from '@streaming-companion/sdk';

/**
 * Every overlay of a creator, each once: the creator's room holds those joined by key (live or
 * not), the live session's room those joined by the session's id (which are in no creator room).
 */
export class CreatorOverlays {
  readonly #realtime: Realtime;
  readonly #sessions: SessionsService;

  constructor(realtime: Realtime, sessions: SessionsService) {
    this.#realtime = realtime;
    this.#sessions = sessions;
  }

  async of(em: EntityManager, creatorId: string): Promise<RealtimeTarget> {
    const live = await this.#sessions.getActive(em, creatorId);
    return this.#realtime.toCreator(creatorId, { alsoSession: live?.id });
  }
}
