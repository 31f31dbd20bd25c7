import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import { conflict, notFound, type StreamPlatform, type StreamSessionDto, type StreamSessionUpdate } from '@streaming-companion/sdk';
import { isUniqueViolation } from '../auth/auth-service.ts';
import { SessionNote } from '../entities/session-note.ts';
import { StreamSession } from '../entities/stream-session.ts';
import type { DomainEventBus } from '../events/domain-event-bus.ts';

/** Side effects after a session change commits: the realtime layer implements these. */
export interface SessionListeners {
  started(session: StreamSession): Promise<void> | void;
  ended(session: StreamSession): Promise<void> | void;
  updated(session: StreamSession): void;
}

export interface ListQuery {
  page: number;
  pageSize: number;
  status?: 'active' | 'ended';
}

/** The session lifecycle. Plain logic over an entity manager; HTTP and sockets are adapters. */
export class SessionService {
  readonly #events: DomainEventBus;
  readonly #listeners: SessionListeners;

  constructor(events: DomainEventBus, listeners: SessionListeners) {
    this.#events = events;
    this.#listeners = listeners;
  }

  async start(em: EntityManager, creatorId: string, input: { platform: StreamPlatform; title?: string; metadata?: Record<string, unknown> }) {
    let session: StreamSession;
    try {
      session = await em.transactional(async (tx) => {
        await this.#refuseIfActive(tx, creatorId);
        const created = tx.create(StreamSession, {
          creatorId,
          platform: input.platform,
          title: input.title ?? null,
          metadata: input.metadata ?? {},
          status: 'active',
        });
        this.#events.publish(tx, 'streaming.session.started', { creatorId, platform: created.platform, sessionId: created.id });
        return created;
      });
    } catch (error) {
      // Two starts racing: the partial unique index lets one in; the other gets the same 409.
      if (isUniqueViolation(error)) await this.#refuseIfActive(em.fork(), creatorId);
      throw error;
    }
    await this.#listeners.started(session);
    return toDto(session);
  }

  async active(em: EntityManager, creatorId: string): Promise<StreamSessionDto> {
    const session = await em.findOne(StreamSession, { creatorId, status: 'active' });
    if (!session) throw notFound('active session');
    return toDto(session);
  }

  async list(em: EntityManager, creatorId: string, query: ListQuery) {
    const where = { creatorId, ...(query.status ? { status: query.status } : {}) };
    const [items, total] = await em.findAndCount(StreamSession, where, {
      orderBy: { startedAt: 'desc', id: 'desc' },
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    return { items: items.map(toDto), total, page: query.page, pageSize: query.pageSize };
  }

  async get(em: EntityManager, creatorId: string, sessionId: string): Promise<StreamSessionDto> {
    return toDto(await this.owned(em, creatorId, sessionId));
  }

  async update(em: EntityManager, creatorId: string, sessionId: string, patch: { title?: string | null; notes?: string | null; metadata?: Record<string, unknown> }) {
    const session = await this.owned(em, creatorId, sessionId);
    em.assign(session, patch);
    await em.flush();
    this.#listeners.updated(session);
    return toDto(session);
  }

  /** Ending is idempotent: ending an ended session answers it unchanged. */
  async end(em: EntityManager, creatorId: string, sessionId: string): Promise<StreamSessionDto> {
    const { session, changed } = await em.transactional(async (tx) => {
      const s = await this.owned(tx, creatorId, sessionId, { lock: true });
      if (s.status === 'ended') return { session: s, changed: false };
      s.status = 'ended';
      s.endedAt = new Date();
      s.durationSeconds = Math.max(0, Math.round((s.endedAt.getTime() - s.startedAt.getTime()) / 1000));
      s.viewerCount = 0;
      this.#events.publish(tx, 'streaming.session.ended', {
        creatorId,
        sessionId: s.id,
        duration: s.durationSeconds,
        totalTipsCents: s.totalTipsCents,
        tipCount: s.tipCount,
      });
      return { session: s, changed: true };
    });
    if (changed) await this.#listeners.ended(session);
    return toDto(session);
  }

  async updateViewers(em: EntityManager, creatorId: string, sessionId: string, viewerCount: number): Promise<StreamSessionUpdate> {
    await this.owned(em, creatorId, sessionId);
    // One statement, so concurrent reports cannot lose a peak.
    const rows = await em.execute<Array<Record<string, unknown>>>(
      `update core_stream_sessions set viewer_count = ?, peak_viewers = greatest(peak_viewers, ?), updated_at = now()
       where id = ? and status = 'active' returning id`,
      [viewerCount, viewerCount, sessionId],
    );
    if (!rows.length) throw conflict('session_ended', 'the session has ended; viewer counts are no longer recorded', { sessionId });
    const session = await em.fork().findOneOrFail(StreamSession, { id: sessionId });
    this.#listeners.updated(session);
    return sessionUpdate(session);
  }

  async addNote(em: EntityManager, creatorId: string, sessionId: string, text: string) {
    await this.owned(em, creatorId, sessionId);
    const note = em.create(SessionNote, { sessionId, creatorId, text });
    await em.flush();
    return noteDto(note);
  }

  async listNotes(em: EntityManager, creatorId: string, sessionId: string) {
    await this.owned(em, creatorId, sessionId);
    const notes = await em.find(SessionNote, { sessionId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
    return { items: notes.map(noteDto) };
  }

  /** Another creator's session is indistinguishable from a missing one. */
  async owned(em: EntityManager, creatorId: string, sessionId: string, options: { lock?: boolean } = {}): Promise<StreamSession> {
    const session = await em.findOne(StreamSession, { id: sessionId, creatorId }, options.lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {});
    if (!session) throw notFound('session');
    return session;
  }

  async #refuseIfActive(em: EntityManager, creatorId: string): Promise<void> {
    const active = await em.findOne(StreamSession, { creatorId, status: 'active' });
    if (active) {
      throw conflict('session_already_active', `session ${active.id} is still active; end it before starting another`, {
        activeSessionId: active.id,
      });
    }
  }
}

export function toDto(s: StreamSession): StreamSessionDto {
  return {
    id: s.id,
    creatorId: s.creatorId,
    platform: s.platform,
    title: s.title ?? null,
    notes: s.notes ?? null,
    metadata: s.metadata ?? {},
    status: s.status,
    startedAt: s.startedAt.toISOString(),
    endedAt: s.endedAt?.toISOString() ?? null,
    durationSeconds: s.durationSeconds ?? null,
    viewerCount: s.viewerCount,
    peakViewers: s.peakViewers,
    totalTipsCents: Number(s.totalTipsCents),
    tipCount: s.tipCount,
    tipperCount: s.tipperCount,
    biggestTipCents: s.biggestTipCents,
  };
}

export function sessionUpdate(s: StreamSession): StreamSessionUpdate {
  return {
    sessionId: s.id,
    status: s.status,
    totalTipsCents: Number(s.totalTipsCents),
    tipCount: s.tipCount,
    tipperCount: s.tipperCount,
    biggestTipCents: s.biggestTipCents,
    viewerCount: s.viewerCount,
    peakViewers: s.peakViewers,
  };
}

const noteDto = (n: SessionNote) => ({ id: n.id, sessionId: n.sessionId, text: n.text, createdAt: n.createdAt.toISOString() });
