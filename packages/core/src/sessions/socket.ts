import { JoinSessionPayload, UpdateViewersPayload } from '@streaming-companion/sdk';
import type { RealtimeServer } from '../realtime/realtime-server.ts';
import type { SessionService } from './session-service.ts';

/** The kernel's `/streaming` events: thin adapters over SessionService. */
export function registerSessionSocketEvents(realtime: RealtimeServer, sessions: SessionService): void {
  const owner = 'core';
  realtime.on({
    owner,
    event: 'join_session',
    schema: JoinSessionPayload,
    handler: async ({ sessionId }: { sessionId: string }, ctx) => {
      await ctx.joinSession(sessionId);
      return sessions.get(ctx.em, ctx.creator.id, sessionId);
    },
  });
  realtime.on({
    owner,
    event: 'leave_session',
    schema: JoinSessionPayload,
    handler: async ({ sessionId }: { sessionId: string }, ctx) => {
      await ctx.leaveSession(sessionId);
      return { sessionId };
    },
  });
  realtime.on({
    owner,
    event: 'update_viewers',
    schema: UpdateViewersPayload,
    handler: ({ sessionId, viewerCount }: { sessionId: string; viewerCount: number }, ctx) =>
      sessions.updateViewers(ctx.em, ctx.creator.id, sessionId, viewerCount),
  });
}
