import type { EntityManager } from '@mikro-orm/sql';
import { conflict, JoinOverlayPayload, notFound, preparedQuery, type HttpRegistrar, type SessionFigures } from '@streaming-companion/sdk';
import { z } from 'zod';
import { newOverlayKey } from '../auth/credentials.ts';
import { Creator } from '../entities/creator.ts';
import { StreamSession } from '../entities/stream-session.ts';
import { validationProblem } from '../http/problem.ts';
import { rooms, type RealtimeServer } from '../realtime/realtime-server.ts';
import { FIGURE_COLUMNS, figures, type FiguresRow } from '../sessions/session-service.ts';

export interface OverlaySocket {
  id: string;
  rooms: Set<string>;
  data: OverlayJoin;
  join(rooms: string[]): unknown;
  leave(room: string): unknown;
}

/** What an overlay socket joined with, kept on it so a recovered connection is checked again. */
export interface OverlayJoin {
  /** The creator's key when it joined (looked up by the server for a join by session id). */
  overlayKey?: string;
  /** Set for a join by session id: the one session it may follow. */
  sessionId?: string;
}

/** The session an overlay joined: what `session_updated` shows of it, and whose it is. */
export type JoinedSession = SessionFigures & { creatorId: string };

const SESSION_WITH_KEY = `select ${FIGURE_COLUMNS}, (select overlay_key from core_creators where core_creators.id = core_stream_sessions.creator_id) as overlay_key
  from core_stream_sessions where id = ?`;
// A creator has at most one active session (a unique index says so).
const KEY_OWNER_WITH_ACTIVE_SESSION = `select c.id as owner_id, s.* from core_creators c
  left join lateral (select ${FIGURE_COLUMNS} from core_stream_sessions where creator_id = c.id and status = 'active') s on true
  where c.overlay_key = ?`;
type KeyOwnerRow = { owner_id: string } & ({ [K in keyof FiguresRow]: FiguresRow[K] | null });

/**
 * Overlay keys: a per-creator secret an OBS browser source joins with. The socket is put
 * in the creator's key room, and from there into whichever session is active, so the
 * source URL never changes between streams. The spec's join by session id needs no key, so
 * it gets that one live session and nothing else: not the creator's room (which would tell
 * it later sessions' ids), nothing after the session ends. Rotating the key cuts off every
 * overlay of the creator, however it joined.
 */
export class OverlayKeys {
  readonly #realtime: RealtimeServer;
  constructor(realtime: RealtimeServer) {
    this.#realtime = realtime;
  }

  async get(em: EntityManager, creatorId: string): Promise<string> {
    return (await em.findOneOrFail(Creator, { id: creatorId })).overlayKey;
  }

  async rotate(em: EntityManager, creatorId: string): Promise<string> {
    const creator = await em.findOneOrFail(Creator, { id: creatorId });
    creator.overlayKey = newOverlayKey();
    await em.flush();
    this.#realtime.overlay.in([rooms.overlayKey(creatorId), rooms.overlayBySession(creatorId)]).disconnectSockets(true);
    return creator.overlayKey;
  }

  /**
   * `join_overlay`: by session id (that session only) or by key (follows the active session).
   * Answers whose overlay it is and the session joined, if any. One prepared statement either
   * way, not the ORM: every overlay of every creator joins again when a server restarts.
   */
  async join(em: EntityManager, socket: OverlaySocket, payload: unknown): Promise<{ creatorId: string; session: JoinedSession | null }> {
    // A bad payload is the client's mistake (400 validation_failed), not a thrown ZodError (500).
    const parsed = JoinOverlayPayload.safeParse(payload);
    if (!parsed.success) throw validationProblem(parsed.error);
    const input = parsed.data;
    if (input.sessionId) {
      const [row] = await preparedQuery<FiguresRow & { overlay_key: string }>(em, SESSION_WITH_KEY, [input.sessionId]);
      if (!row) throw notFound('session');
      const session = figures(row);
      if (session.status !== 'active') throw conflict('session_ended', 'this session has ended: join with the overlay key to follow the next one');
      socket.data.overlayKey = row.overlay_key;
      socket.data.sessionId = session.id;
      await socket.join([rooms.session(session.id), rooms.overlayBySession(session.creatorId)]);
      return { creatorId: session.creatorId, session };
    }
    const [row] = await preparedQuery<KeyOwnerRow>(em, KEY_OWNER_WITH_ACTIVE_SESSION, [input.overlayKey!]);
    if (!row) throw notFound('overlay key');
    const active = row.id === null ? null : figures(row as FiguresRow);
    socket.data.overlayKey = input.overlayKey!;
    await socket.join([rooms.overlayKey(row.owner_id), rooms.creator(row.owner_id), ...(active ? [rooms.session(active.id)] : [])]);
    return { creatorId: row.owner_id, session: active };
  }

  /** `leave_overlay`: stop following anything (a key-joined socket would otherwise be pulled into the next session). */
  async leave(socket: OverlaySocket): Promise<void> {
    delete socket.data.overlayKey;
    delete socket.data.sessionId;
    await Promise.all([...socket.rooms].filter((room) => room !== socket.id).map((room) => socket.leave(room)));
  }

  /** Whether a recovered connection may keep what it joined: the key is still current, and a joined session still live. */
  async isCurrent(em: EntityManager, join: OverlayJoin): Promise<boolean> {
    if (!join.overlayKey || (await em.count(Creator, { overlayKey: join.overlayKey })) === 0) return false;
    return !join.sessionId || (await em.count(StreamSession, { id: join.sessionId, status: 'active' })) > 0;
  }

  /** Called after a session starts: the key-joined overlays move into it. (Its end empties the room: RealtimeServer.send.) */
  follow(session: StreamSession): void {
    this.#realtime.overlay.in(rooms.overlayKey(session.creatorId)).socketsJoin(rooms.session(session.id));
  }
}

export function registerOverlayKeyRoutes(http: HttpRegistrar, keys: OverlayKeys): void {
  const OverlayKey = z.object({ overlayKey: z.string() }).meta({ id: 'OverlayKey' });
  http.get('/api/overlay-key', { auth: 'creator', tags: ['overlay'], summary: 'The overlay key for OBS browser sources', response: OverlayKey }, async (req) => ({
    overlayKey: await keys.get(req.em, req.creator.id),
  }));
  http.post(
    '/api/overlay-key/rotate',
    { auth: 'creator', tags: ['overlay'], summary: 'Replace the overlay key; overlays using the old one are cut off at once', response: OverlayKey },
    async (req) => ({ overlayKey: await keys.rotate(req.em, req.creator.id) }),
  );
}
