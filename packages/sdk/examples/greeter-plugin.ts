import { definePlugin } from '@streaming-companion/sdk';
import { z } from 'zod';

/**
 * The SDK's worked example: greets a creator when a stream starts and counts their streams.
 * It shows each way a plugin plugs in — config, a migration, a domain-event subscriber,
 * a job, realtime emission, an HTTP route and a socket event.
 */
export const greeterPlugin = definePlugin({
  id: 'greeter',
  version: '1.0.0',
  engine: '^0.1.0',
  config: z.object({ greeting: z.string().min(1).default('Welcome back') }),
  migrations: [
    {
      name: '0001_greeter_starts',
      // Keyed by event id: a redelivered event inserts nothing, so counting stays exact.
      up: ['create table greeter_starts (event_id uuid primary key, creator_id uuid not null, session_id uuid not null)'],
    },
  ],
  setup(ctx) {
    const countStarts = async (em: { execute: (sql: string, params: unknown[]) => Promise<unknown> }, creatorId: string) => {
      const rows = (await em.execute('select count(*)::int as count from greeter_starts where creator_id = ?', [creatorId])) as Array<{ count: number }>;
      return rows[0]?.count ?? 0;
    };

    const greet = ctx.jobs.define('greet', z.object({ creatorId: z.uuid(), sessionId: z.uuid() }), async ({ creatorId, sessionId }, job) => {
      const count = await countStarts(job.em, creatorId);
      ctx.realtime.toCreator(creatorId).emit('chatbot_response', {
        sessionId,
        personaName: 'Greeter',
        responseText: `${ctx.config.greeting}! This is stream #${count}.`,
      });
    });

    ctx.events.on('streaming.session.started', async (event, job) => {
      const { creatorId, sessionId } = event.payload;
      await job.em.execute('insert into greeter_starts (event_id, creator_id, session_id) values (?, ?, ?) on conflict do nothing', [
        event.id,
        creatorId,
        sessionId,
      ]);
      await ctx.jobs.enqueue(greet, { creatorId, sessionId }, { jobId: `greet-${event.id}` });
    });

    ctx.http.get(
      '/api/greeter/count',
      { auth: 'creator', summary: 'How many streams the caller has started', response: z.object({ count: z.int() }) },
      async (req) => ({ count: await countStarts(req.em, req.creator.id) }),
    );

    ctx.socket.on('greeter_ping', z.object({ name: z.string().trim().min(1).max(50) }), (payload, socket) => ({
      reply: `hi ${payload.name}, from ${socket.creator.displayName}`,
    }));
  },
});
