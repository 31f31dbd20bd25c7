import { CHAT_SENDER_MAX, Problem, type DomainEvent, type EntityManager, type kernelEvents, type SessionsService } from '@streaming-companion/sdk';
import { MAX_RECORDED_EVENTS, RECORDED_MESSAGE_MAX } from './contract.ts';
import { RecordedEventEntity, type RecordedEvent } from './entities/recorded-event.ts';

type ChatEvent = DomainEvent<(typeof kernelEvents.domain)['streaming.chat.message']>;
type ViewersEvent = DomainEvent<(typeof kernelEvents.domain)['streaming.session.viewers']>;

/** How far into a session events are recorded: past a day, nothing a replay plays (and offsets stay 32-bit). */
const MAX_RECORDED_OFFSET_MS = 24 * 3_600_000;

/**
 * Records what a live session's rehearsal replays besides its tips (kept by the tips plugin):
 * chat lines and viewer counts, from the kernel's domain events, each at its time after the
 * session's start. A rehearsal's own session is never recorded. Each event is kept once by its
 * id, so a redelivery adds nothing; a session keeps at most MAX_RECORDED_EVENTS of them.
 */
export class SessionRecorder {
  readonly #sessions: SessionsService;

  constructor(sessions: SessionsService) {
    this.#sessions = sessions;
  }

  recordChat(em: EntityManager, { id, payload }: ChatEvent): Promise<void> {
    return this.#record(em, id, payload.creatorId, payload.sessionId, payload.receivedAt, {
      kind: 'chat',
      senderName: cut(payload.senderName, CHAT_SENDER_MAX),
      message: cut(payload.message, RECORDED_MESSAGE_MAX),
      standing: payload.standing,
    });
  }

  recordViewers(em: EntityManager, { id, payload }: ViewersEvent): Promise<void> {
    return this.#record(em, id, payload.creatorId, payload.sessionId, payload.sampledAt, { kind: 'viewers', viewerCount: payload.viewerCount });
  }

  async #record(
    em: EntityManager,
    eventId: string,
    creatorId: string,
    sessionId: string,
    at: string,
    fields: Pick<RecordedEvent, 'kind'> & Partial<Pick<RecordedEvent, 'senderName' | 'message' | 'standing' | 'viewerCount'>>,
  ): Promise<void> {
    const session = await this.#sessions.get(em, creatorId, sessionId).catch((error: unknown) => {
      // Gone with its creator's account while the event waited: nothing left to rehearse.
      if (error instanceof Problem && error.status === 404) return null;
      throw error;
    });
    if (!session || session.rehearsal) return;
    const offsetMs = Math.max(0, Date.parse(at) - Date.parse(session.startedAt));
    if (offsetMs > MAX_RECORDED_OFFSET_MS) return;
    // Two events racing past the count may both be kept: the bound is for size, not exactness.
    if ((await em.count(RecordedEventEntity, { sessionId })) >= MAX_RECORDED_EVENTS) return;
    await em
      .createQueryBuilder(RecordedEventEntity)
      .insert({ senderName: null, message: null, standing: null, viewerCount: null, ...fields, eventId, creatorId, sessionId, offsetMs })
      .onConflict('eventId')
      .ignore()
      .execute('run');
  }
}

/** A session's recorded events in their time order: what a replay of it plays besides its tips. */
export function recordedEvents(em: EntityManager, creatorId: string, sessionId: string): Promise<RecordedEvent[]> {
  return em.find(RecordedEventEntity, { creatorId, sessionId }, { orderBy: { offsetMs: 'asc' }, limit: MAX_RECORDED_EVENTS });
}

/** At most `max` characters, never splitting one made of two UTF-16 units. */
function cut(text: string, max: number): string {
  return text.length <= max ? text : Array.from(text).slice(0, max).join('');
}
