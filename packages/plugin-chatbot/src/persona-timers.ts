import type { Clock, EntityManager, SessionsService, StreamSessionDto } from '@streaming-companion/sdk';
import type { ChatActivity } from './chat-activity.ts';
import type { Chatbot } from './chatbot.ts';
import { claimKeys, type Claims } from './claims.ts';
import { ChatbotConfigEntity, type Persona } from './entities/persona.ts';
import type { Occasion } from './occasion.ts';
import type { PersonaRouter } from './persona-router.ts';

export interface PersonaTimersDependencies {
  sessions: SessionsService;
  claims: Claims;
  activity: ChatActivity;
  router: PersonaRouter;
  chatbot: Chatbot;
  clock: Clock;
}

/** Most timer personas one run looks at. */
const BATCH = 500;

/**
 * Timers: a persona with one speaks every `everyMinutes` while its creator is live, counted
 * from the session's start, then from its last timer message; with `onlyWhenChatActive`, only
 * if a viewer chatted since. The run (a scheduled job) may overlap on several instances: each
 * message is claimed first (the persona's timer run in that session), so only one goes out.
 */
export class PersonaTimers {
  readonly #d: PersonaTimersDependencies;

  constructor(dependencies: PersonaTimersDependencies) {
    this.#d = dependencies;
  }

  /** Send every timer message that is due; answers how many went out. */
  async sendDue(em: EntityManager): Promise<number> {
    const now = this.#d.clock.now();
    await this.#d.claims.prune(em, now);
    const personas = await em.find(ChatbotConfigEntity, { enabled: true, timer: { $ne: null } }, { orderBy: { creatorId: 'asc', id: 'asc' }, limit: BATCH });
    const live = new Map<string, StreamSessionDto | null>();
    let sent = 0;
    for (const persona of personas) {
      if (!live.has(persona.creatorId)) live.set(persona.creatorId, await this.#d.sessions.getActive(em, persona.creatorId));
      const session = live.get(persona.creatorId);
      if (session && (await this.#due(em, persona, session, now)) && (await this.#send(em, persona, session.id, now))) sent++;
    }
    return sent;
  }

  async #due(em: EntityManager, persona: Persona, session: StreamSessionDto, now: Date): Promise<boolean> {
    const timer = persona.timer!;
    const since = (await this.#d.claims.lastClaimed(em, claimKeys.timer(persona.id, session.id))) ?? new Date(session.startedAt);
    if (now.getTime() < since.getTime() + timer.everyMinutes * 60_000) return false;
    if (!timer.onlyWhenChatActive) return true;
    const chatted = await this.#d.activity.lastMessageAt(em, session.id);
    return chatted !== null && chatted > since;
  }

  async #send(em: EntityManager, persona: Persona, sessionId: string, now: Date): Promise<boolean> {
    const occasion: Occasion = { kind: 'timer', creatorId: persona.creatorId, sessionId };
    const claim = { key: claimKeys.timer(persona.id, sessionId), scope: 'timer' as const, seconds: persona.timer!.everyMinutes * 60 };
    const answer = await em.transactional(async (tx) => {
      const reply = await this.#d.router.timerReply(tx, persona, occasion);
      return reply && (await this.#d.claims.claim(tx, claim, now)) ? reply : null;
    });
    if (!answer) return false;
    await this.#d.chatbot.send(sessionId, answer, occasion);
    return true;
  }
}
