import { defineEntity, defineEvents, definePlugin, kernelEvents, p, packageManifest } from '@streaming-companion/sdk';
import { z } from 'zod';

/** Its table: one greeting per stream start, keyed by the event id, so a redelivery adds nothing. */
export const GreetingEntity = defineEntity({
  name: 'GreeterGreeting',
  tableName: 'greeter_greetings',
  properties: { eventId: p.uuid().primary(), creatorId: p.uuid(), sessionId: p.uuid(), text: p.text(), createdAt: p.datetime() },
  indexes: [{ name: 'greeter_greetings_creator_idx', properties: ['creatorId'] }],
});

/** Its events: a domain event other plugins may subscribe to, a socket event, and a socket command. */
export const greeterEvents = defineEvents('greeter', {
  domain: { 'greeter.greeted': z.object({ creatorId: z.uuid(), sessionId: z.uuid(), text: z.string() }) },
  socket: { greeting: z.object({ sessionId: z.uuid(), text: z.string() }) },
  commands: { greeter_ping: z.object({ name: z.string().trim().min(1).max(50) }) },
});

export const greeterPlugin = definePlugin({
  ...packageManifest(new URL('../package.json', import.meta.url)),
  config: z.object({ greeting: z.string().min(1).default('Welcome back') }),
  events: greeterEvents,
  entities: [GreetingEntity],
  migrations: [
    {
      name: '0001_greetings',
      up: [
        'create table greeter_greetings (event_id uuid primary key, creator_id uuid not null, session_id uuid not null, text text not null, created_at timestamptz not null)',
        'create index greeter_greetings_creator_idx on greeter_greetings (creator_id)',
      ],
    },
  ],
  setup(ctx) {
    // A job: retried with backoff; BullMQ with Redis, in-process otherwise.
    const greet = ctx.jobs.define('greet', z.object({ eventId: z.uuid(), creatorId: z.uuid(), sessionId: z.uuid() }), async ({ eventId, creatorId, sessionId }, job) => {
      await job.em.transactional(async (tx) => {
        if (await tx.findOne(GreetingEntity, { eventId })) return; // already greeted: jobs run at least once
        const text = `${ctx.config.greeting}! This is stream #${(await tx.count(GreetingEntity, { creatorId })) + 1}.`;
        tx.create(GreetingEntity, { eventId, creatorId, sessionId, text, createdAt: new Date() });
        // Both go out once this commits, and survive a crash right after it.
        await ctx.events.publish(tx, greeterEvents.domain['greeter.greeted'], { creatorId, sessionId, text });
        await ctx.realtime.toCreator(creatorId).publish(tx, greeterEvents.socket.greeting, { sessionId, text });
      });
    });

    // A subscriber: every stream start, delivered at least once after its commit.
    ctx.events.on(kernelEvents.domain['streaming.session.started'], async ({ id, payload }) => {
      await ctx.jobs.enqueue(greet, { eventId: id, creatorId: payload.creatorId, sessionId: payload.sessionId }, { jobId: `greet-${id}` });
    });

    // A route: zod-validated, in the OpenAPI document, behind a creator token.
    const Greetings = z.object({ items: z.array(z.object({ sessionId: z.uuid(), text: z.string() })) });
    ctx.http.get('/api/greeter/greetings', { auth: 'creator', summary: 'Your greetings, oldest first', response: Greetings }, async (req) => ({
      items: (await req.em.find(GreetingEntity, { creatorId: req.creator.id }, { orderBy: { createdAt: 'asc' } })).map(({ sessionId, text }) => ({ sessionId, text })),
    }));

    // A socket command on /streaming: its payload parsed by its schema, its answer the ack.
    ctx.socket.on(greeterEvents.commands.greeter_ping, ({ name }, socket) => ({ reply: `hi ${name}, from ${socket.creator.displayName}` }));
  },
});
