import type { EntityManager, SessionsService, StreamPlatform, StreamSessionDto } from '@streaming-companion/sdk';

/**
 * The session a connector feeds: the creator's live one, when it is on the connector's platform
 * and not a rehearsal (a rehearsal plays made-up tips; real ones must not land in it).
 */
export async function followedSession(sessions: SessionsService, em: EntityManager, creatorId: string, platform: StreamPlatform): Promise<StreamSessionDto | null> {
  const session = await sessions.getActive(em, creatorId);
  return session && session.platform === platform && !session.rehearsal ? session : null;
}
