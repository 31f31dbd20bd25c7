import { kernelEvents, toSessionUpdate, type JobContext } from '@streaming-companion/sdk';
import type { KernelCradle } from './container.ts';
import { registerAuthRoutes } from './auth/http.ts';
import { registerHealthRoutes } from './http/health.ts';
import { registerOverlayKeyRoutes } from './overlay/overlay-keys.ts';
import { pruneDeliveredRows, pruneEndedSessionNumbering } from './outbox/outbox.ts';
import { pruneHandledEvents } from './outbox/subscribers.ts';
import { emitNow } from './realtime/realtime-server.ts';
import { registerSessionRoutes } from './sessions/http.ts';
import { registerSessionSocketEvents } from './sessions/socket.ts';

/** How long a `once` subscriber's handled event ids are kept: far beyond any redelivery. */
const HANDLED_EVENT_RETENTION_DAYS = 30;
/** How long delivered outbox rows are kept, for an operator looking into what went out. */
const DELIVERED_OUTBOX_RETENTION_DAYS = 7;
/** How long after a session ends its events' sequence numbers and cursors are kept: a late event's redelivery is long over by then. */
const ENDED_SESSION_NUMBERING_RETENTION_DAYS = 30;

/** The kernel's own routes, socket events and housekeeping jobs, registered like a plugin's. */
export async function registerKernelModules(c: KernelCradle): Promise<void> {
  const http = c.routes.registrar('core');
  registerHealthRoutes(http, { orm: c.orm, redis: c.redis });
  registerAuthRoutes(http, c.auth);
  registerSessionRoutes(http, c.sessions);
  registerOverlayKeyRoutes(http, c.overlayKeys);
  registerSessionSocketEvents(c.realtime, c.sessions);
  // A (re)loaded overlay gets the current state at once, so it is never blank mid-stream: its
  // look first (live or not, so the first render is styled), then the session's state.
  c.realtime.onOverlay('join_overlay', async (socket, payload) => {
    const em = c.forkEm();
    const { creatorId, session } = await c.overlayKeys.join(em, socket, payload);
    await c.overlayJoins.sendOnConnect(socket, em, session?.id ?? null, creatorId);
    if (!session) return;
    emitNow(socket, kernelEvents.socket.session_updated.name, toSessionUpdate(session));
    await c.overlayJoins.send(socket, em, session.id, session.creatorId);
  });
  c.realtime.onOverlay('leave_overlay', (socket) => c.overlayKeys.leave(socket));

  await dailyPrune(c, { name: 'core.prune-handled-events', cron: '11 4 * * *', what: 'handled event ids' }, (em) => pruneHandledEvents(em, HANDLED_EVENT_RETENTION_DAYS));
  await dailyPrune(c, { name: 'core.prune-outbox', cron: '23 4 * * *', what: 'delivered outbox rows' }, (em) => pruneDeliveredRows(em, DELIVERED_OUTBOX_RETENTION_DAYS));
  await dailyPrune(c, { name: 'core.prune-session-numbering', cron: '37 4 * * *', what: "ended sessions' sequences and cursors" }, (em) =>
    pruneEndedSessionNumbering(em, ENDED_SESSION_NUMBERING_RETENTION_DAYS),
  );
}

/** A housekeeping job on a daily schedule (its name is also its schedule's key: keep it). */
async function dailyPrune(c: KernelCradle, job: { name: string; cron: string; what: string }, prune: (em: JobContext['em']) => Promise<number>): Promise<void> {
  c.jobs.define({
    name: job.name,
    handler: c.wrapJob(job.name, async (_data, ctx) => {
      const removed = await prune(ctx.em);
      if (removed) ctx.log.info({ removed }, `pruned ${job.what}`);
    }),
    concurrency: 1,
    attempts: 3,
    backoff: { type: 'exponential', delayMs: 60_000 },
  });
  await c.jobs.schedule(job.name, job.name, { cron: job.cron }, {});
}
