import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import {
  ChatMessageInput,
  conflict,
  kernelEvents,
  notFound,
  preparedQuery,
  toSessionUpdate,
  type Clock,
  type SessionFigures,
  type StartSession,
  type StreamSessionDto,
  type StreamSessionUpdate,
  type TipTotals,
} from '@streaming-companion/sdk';
import { isUniqueViolation } from '../auth/auth-service.ts';
import { SessionNote } from '../entities/session-note.ts';
import { StreamSession } from '../entities/stream-session.ts';
import type { Publisher } from '../events/publisher.ts';

/** Told of a session once its start has committed: the key-joined overlays move into it. */
export type SessionStarted = (session: StreamSession) => void;

export interface ListQuery {
  page: number;
  pageSize: number;
  status?: 'active' | 'ended';
}

/**
 * The session lifecycle. Plain logic over an entity manager; HTTP and sockets are adapters.
 * Every change publishes its `session_updated` in its own transaction, so the sockets hear of
 * it once it has committed, and even if the process dies right after.
 */
export class SessionService {
  readonly #publisher: Publisher;
  readonly #started: SessionStarted;
  readonly #clock: Clock;

  constructor(publisher: Publisher, started: SessionStarted, clock: Clock) {
    this.#publisher = publisher;
    this.#started = started;
    this.#clock = clock;
  }

  async start(em: EntityManager, creatorId: string, input: StartSession) {
    let session: StreamSession;
    try {
      session = await em.transactional(async (tx) => {
        await this.#refuseIfActive(tx, creatorId);
        const created = tx.create(StreamSession, {
          startedAt: this.#clock.now(),
          creatorId,
          platform: input.platform,
          title: input.title ?? null,
          metadata: input.metadata ?? {},
          status: 'active',
          rehearsal: input.rehearsal ?? false,
        });
        await this.#publisher.publish('core', tx, kernelEvents.domain['streaming.session.started'], {
          creatorId,
          platform: created.platform,
          sessionId: created.id,
          rehearsal: created.rehearsal,
        });
        await this.#announce(tx, created, { toCreator: true });
        return created;
      });
    } catch (error) {
      // Two starts racing: the partial unique index lets one in; the other gets the same 409.
      if (isUniqueViolation(error)) await this.#refuseIfActive(em.fork(), creatorId);
      throw error;
    }
    this.#started(session);
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
    const session = await em.transactional(async (tx) => {
      const s = await this.owned(tx, creatorId, sessionId);
      tx.assign(s, patch);
      await tx.flush();
      await this.#announce(tx, s);
      return s;
    });
    return toDto(session);
  }

  /** Ending is idempotent: ending an ended session answers it unchanged. */
  async end(em: EntityManager, creatorId: string, sessionId: string): Promise<StreamSessionDto> {
    const session = await em.transactional(async (tx) => {
      const s = await this.owned(tx, creatorId, sessionId, { lock: true });
      if (s.status === 'ended') return s;
      s.status = 'ended';
      s.endedAt = this.#clock.now();
      s.durationSeconds = Math.max(0, Math.round((s.endedAt.getTime() - s.startedAt.getTime()) / 1000));
      s.viewerCount = 0;
      await this.#publisher.publish('core', tx, kernelEvents.domain['streaming.session.ended'], {
        creatorId,
        sessionId: s.id,
        rehearsal: s.rehearsal,
        duration: s.durationSeconds,
        totalTipsCents: s.totalTipsCents,
        tipCount: s.tipCount,
      });
      await this.#announce(tx, s, { toCreator: true });
      return s;
    });
    return toDto(session);
  }

  /**
   * One statement, so concurrent reports cannot lose a peak. It also says whether the last
   * sample is a minute old, in which case this report is published as the next one.
   */
  async updateViewers(em: EntityManager, creatorId: string, sessionId: string, viewerCount: number): Promise<StreamSessionUpdate> {
    return em.transactional(async (tx) => {
      const session = await this.#updateLive(
        tx,
        creatorId,
        sessionId,
        'viewer counts are no longer recorded',
        `viewer_count = ?, peak_viewers = greatest(peak_viewers, ?),
         viewers_sampled_at = case when viewers_sampled_at > now() - interval '${VIEWER_SAMPLE_SECONDS} seconds' then viewers_sampled_at else now() end`,
        [viewerCount, viewerCount],
      );
      if (session.sampledNow) {
        await this.#publisher.publish('core', tx, kernelEvents.domain['streaming.session.viewers'], {
          creatorId,
          sessionId,
          viewerCount,
          sampledAt: this.#clock.now().toISOString(),
        });
      }
      await this.#announce(tx, session);
      return toSessionUpdate(session);
    });
  }

  /**
   * Inside the caller's transaction: add a tip to the totals in one statement, which locks the
   * session row until the tip commits (so a session's tips queue up there and nowhere else),
   * and announce the new totals.
   */
  async addTip(em: EntityManager, creatorId: string, sessionId: string, tip: { amountCents: number; newTipper: boolean }): Promise<StreamSessionUpdate> {
    const session = await this.#updateLive(
      em,
      creatorId,
      sessionId,
      'it takes no more tips',
      'total_tips_cents = total_tips_cents + ?, tip_count = tip_count + 1, tipper_count = tipper_count + ?, biggest_tip_cents = greatest(biggest_tip_cents, ?)',
      [tip.amountCents, tip.newTipper ? 1 : 0, tip.amountCents],
    );
    await this.#announce(em, session);
    return toSessionUpdate(session);
  }

  /**
   * Inside the caller's transaction: the session's tip totals recounted (a tip was voided). The
   * row is locked before `count` reads the tips, so a tip recorded meanwhile waits in `addTip`
   * and adds itself to what is written here. Ended sessions too: a mistyped tip is often found
   * after the stream.
   */
  async recountTips(em: EntityManager, creatorId: string, sessionId: string, count: (em: EntityManager) => Promise<TipTotals>): Promise<StreamSessionUpdate> {
    const session = await this.owned(em, creatorId, sessionId, { lock: true });
    em.assign(session, await count(em));
    await em.flush();
    await this.#announce(em, session);
    return toSessionUpdate(session);
  }

  /** Inside the caller's transaction: a viewer's chat line in a live session, as `streaming.chat.message`. */
  async chatMessage(em: EntityManager, creatorId: string, sessionId: string, input: ChatMessageInput): Promise<void> {
    const session = await this.owned(em, creatorId, sessionId);
    if (session.status !== 'active') throw conflict('session_ended', 'the session has ended; it takes no more chat', { sessionId });
    const message = ChatMessageInput.parse(input);
    await this.#publisher.publish('core', em, kernelEvents.domain['streaming.chat.message'], {
      ...message,
      creatorId,
      sessionId,
      platform: session.platform,
      receivedAt: this.#clock.now().toISOString(),
    });
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

  /**
   * Update a live session in one statement and answer its figures; an ended one is a 409, a
   * foreign or missing one a 404. Plain SQL: this is every tip's hot path, and the statement
   * holds the session's row lock until the tip commits, so it should cost as little as it can.
   */
  async #updateLive(em: EntityManager, creatorId: string, sessionId: string, endedMessage: string, set: string, params: unknown[]): Promise<LiveFigures> {
    const [row] = await preparedQuery<FiguresRow>(
      em,
      `update core_stream_sessions set ${set}, updated_at = now() where id = ? and creator_id = ? and status = 'active' returning ${FIGURES}`,
      [...params, sessionId, creatorId],
    );
    if (row) return figures(row);
    await this.owned(em, creatorId, sessionId);
    throw conflict('session_ended', `the session has ended; ${endedMessage}`, { sessionId });
  }

  #announce(em: EntityManager, session: SessionFigures & { creatorId: string }, options: { toCreator?: boolean } = {}): Promise<void> {
    const target = { sessionId: session.id, ...(options.toCreator ? { creatorId: session.creatorId } : {}) };
    return this.#publisher.broadcast('core', em, target, kernelEvents.socket.session_updated, toSessionUpdate(session));
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
    rehearsal: s.rehearsal,
  };
}

/** How often at most a viewer report is published as `streaming.session.viewers`. */
const VIEWER_SAMPLE_SECONDS = 60;

/** What `session_updated` shows of a session, and whose it is, as `figures` reads them. */
export const FIGURE_COLUMNS = 'id, creator_id, status, total_tips_cents, tip_count, tipper_count, biggest_tip_cents, viewer_count, peak_viewers';
// `sampled_now`: the statement set viewers_sampled_at to this transaction's now().
const FIGURES = `${FIGURE_COLUMNS}, viewers_sampled_at = now() as sampled_now`;

export interface FiguresRow {
  id: string;
  creator_id: string;
  status: StreamSessionDto['status'];
  total_tips_cents: string | number;
  tip_count: number;
  tipper_count: number;
  biggest_tip_cents: number;
  viewer_count: number;
  peak_viewers: number;
  sampled_now?: boolean | null;
}

/** What `session_updated` shows, whose session it is, and whether this change took a viewer sample. */
type LiveFigures = SessionFigures & { creatorId: string; sampledNow: boolean };

export const figures = (row: FiguresRow): LiveFigures => ({
  id: row.id,
  creatorId: row.creator_id,
  status: row.status,
  totalTipsCents: Number(row.total_tips_cents),
  tipCount: row.tip_count,
  tipperCount: row.tipper_count,
  biggestTipCents: row.biggest_tip_cents,
  viewerCount: row.viewer_count,
  peakViewers: row.peak_viewers,
  sampledNow: row.sampled_now === true,
});

const noteDto = (n: SessionNote) => ({ id: n.id, sessionId: n.sessionId, text: n.text, createdAt: n.createdAt.toISOString() });
