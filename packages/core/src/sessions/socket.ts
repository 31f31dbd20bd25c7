import { kernelEvents } from '@streaming-companion/sdk';
import type { RealtimeServer } from '../realtime/realtime-server.ts';
import type { SessionService } from './session-service.ts';

/** The kernel's `/streaming` commands: thin adapters over SessionService. */
export function registerSessionSocketEvents(realtime: RealtimeServer, sessions: SessionService): void {
  const owner = 'core';
  const { commands } = kernelEvents;
  realtime.on({
    owner,
    command: commands.join_session,
    handler: async ({ sessionId }: { sessionId: string }, ctx) => {
      await ctx.joinSession(sessionId);
      return sessions.get(ctx.em, ctx.creator.id, sessionId);
    },
  });
  realtime.on({
    owner,
    command: commands.leave_session,
    handler: async ({ sessionId }: { sessionId: string }, ctx) => {
      await ctx.leaveSession(sessionId);
      return { sessionId };
    },
  });
  realtime.on({
    owner,
    command: commands.update_viewers,
    handler: ({ sessionId, viewerCount }: { sessionId: string; viewerCount: number }, ctx) =>
      sessions.updateViewers(ctx.em, ctx.creator.id, sessionId, viewerCount),
  });
}
