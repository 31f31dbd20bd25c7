import type { Clock, EntityManager, Realtime, SessionsService, ViewerStanding } from '@streaming-companion/sdk';
import type { ChatActivity } from './chat-activity.ts';
import { claimKeys, type Claim, type Claims } from './claims.ts';
import { chatbotEvents, type ChatbotResponse, type TryResult } from './contract.ts';
import { chatOccasion, type Occasion } from './occasion.ts';
import type { Answer, PersonaRouter } from './persona-router.ts';
import type { ReplyWriter } from './reply-writer.ts';
import { levelOf } from './viewer-levels.ts';

export interface ChatbotDependencies {
  router: PersonaRouter;
  claims: Claims;
  activity: ChatActivity;
  writer: ReplyWriter;
  sessions: SessionsService;
  realtime: Realtime;
  clock: Clock;
}

/**
 * Whether any of the creator's personas is on: without one, tips, goals and purchases go
 * unanswered, with no claim taken. Asked for every tip, with the other plugins' conditions.
 */
export const creatorHasPersonaOn = {
  sql: 'exists (select 1 from chatbot_personas where creator_id = ? and enabled)',
  params: ({ payload }: { payload: { creatorId: string } }) => [payload.creatorId],
};

/** Thrown inside the savepoint to undo the cooldowns already claimed when a later one is held. */
class CooldownHeld extends Error {
  readonly claim: Claim;
  constructor(claim: Claim) {
    super(`${claim.scope} cooldown`);
    this.claim = claim;
  }
}

/** Answers occasions (chat, tips, goals, purchases, timers) with the persona the router picks. */
export class Chatbot {
  readonly #d: ChatbotDependencies;

  constructor(dependencies: ChatbotDependencies) {
    this.#d = dependencies;
  }

  /**
   * Answer for real. In one transaction: the event is marked answered (a redelivery is then
   * skipped), viewer chat is noted for timers, and the chosen persona's cooldowns are claimed.
   * After it commits (a model may take seconds, and holds no lock meanwhile), the reply is
   * written and sent to the session's rooms. Answers what was sent, or null.
   */
  async answer(em: EntityManager, occasion: Occasion & { sessionId: string }, eventId?: string): Promise<ChatbotResponse | null> {
    const now = this.#d.clock.now();
    const answer = await em.transactional(async (tx) => {
      if (eventId && !(await this.#d.claims.claimOnce(tx, claimKeys.event(eventId), 'event', now))) return null;
      const decision = await this.#d.router.decide(tx, occasion, (claims) => this.#claimAll(tx, claims, now));
      if (occasion.kind === 'chat' && !decision.fromPersona) await this.#d.activity.touch(tx, occasion.creatorId, occasion.sessionId, now);
      return decision.answer;
    });
    return answer && this.send(occasion.sessionId, answer, occasion);
  }

  /** Who would answer this chat line in the creator's live session now, and why: no cooldown taken, no model asked. */
  async dryRun(em: EntityManager, creatorId: string, input: { senderName: string; message: string; standing: ViewerStanding }): Promise<TryResult> {
    const session = await this.#d.sessions.getActive(em, creatorId);
    const occasion = chatOccasion({ creatorId, sessionId: session?.id ?? null, senderName: input.senderName, message: input.message, level: levelOf(input.standing) });
    const now = this.#d.clock.now();
    const { answer, why } = await this.#d.router.decide(em, occasion, async (claims) => {
      const held = await this.#d.claims.firstHeld(em, claims, now);
      return held && `${held.claim.scope} cooldown, ${held.secondsLeft} s left`;
    });
    if (answer?.persona.llm?.enabled) {
      why.push(
        this.#d.writer.hasModel
          ? `${answer.persona.name} has its model on: live, the model writes the reply, and this template reply goes out if it fails or is late`
          : `${answer.persona.name} has its model on, but this server has no model configured: the template reply goes out`,
      );
    }
    return {
      answered: answer !== null,
      personaId: answer?.persona.id ?? null,
      personaName: answer?.persona.name ?? null,
      responseText: answer?.text ?? null,
      trigger: answer?.cause ?? null,
      why,
    };
  }

  /** Write the reply and send it now to the session's rooms: it follows no change, so it goes through no outbox. */
  async send(sessionId: string, answer: Answer, occasion: Occasion): Promise<ChatbotResponse> {
    const { persona } = answer;
    const response: ChatbotResponse = {
      sessionId,
      personaId: persona.id,
      personaName: persona.name,
      avatarUrl: persona.avatarUrl ?? null,
      responseText: await this.#d.writer.write(answer, occasion),
      trigger: answer.cause,
    };
    this.#d.realtime.toSession(sessionId).emit(chatbotEvents.socket.chatbot_response, response);
    return response;
  }

  /** Claim every cooldown or none: a savepoint undoes the first ones when a later one is held. */
  async #claimAll(tx: EntityManager, claims: Claim[], now: Date): Promise<string | null> {
    try {
      await tx.transactional(async (savepoint) => {
        for (const claim of claims) if (!(await this.#d.claims.claim(savepoint, claim, now))) throw new CooldownHeld(claim);
      });
      return null;
    } catch (error) {
      if (error instanceof CooldownHeld) return error.message;
      throw error;
    }
  }
}
