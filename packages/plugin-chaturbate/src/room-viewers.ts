import type { EntityManager } from '@streaming-companion/sdk';
import { RoomViewerEntity } from './entities/room-viewer.ts';

/** A room bigger than this stops growing: the count is then a floor, and the table stays small. */
const MAX_ROOM_SIZE = 20_000;

/** Who is in a session's room, by the platform's enter and leave events (a redelivered one changes nothing). */
export class RoomViewers {
  async enter(em: EntityManager, creatorId: string, sessionId: string, username: string): Promise<void> {
    await em.execute(
      `insert into chaturbate_room_viewers (session_id, username, creator_id)
       select ?, ?, ? where (select count(*) from chaturbate_room_viewers where session_id = ?) < ?
       on conflict do nothing`,
      [sessionId, username.toLowerCase(), creatorId, sessionId, MAX_ROOM_SIZE],
    );
  }

  async leave(em: EntityManager, sessionId: string, username: string): Promise<void> {
    await em.nativeDelete(RoomViewerEntity, { sessionId, username: username.toLowerCase() });
  }

  count(em: EntityManager, sessionId: string): Promise<number> {
    return em.count(RoomViewerEntity, { sessionId });
  }

  /** Forget the rooms of the creator's other sessions (all of them without `keep`): they have ended. */
  async forgetOthers(em: EntityManager, creatorId: string, keep: string | null): Promise<void> {
    await em.nativeDelete(RoomViewerEntity, keep ? { creatorId, sessionId: { $ne: keep } } : { creatorId });
  }
}
