import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKernel, createLogger, type Kernel } from '@streaming-companion/core';
import { defineEvents, definePlugin, Problem, STREAM_PLATFORMS, type DomainEvent } from '@streaming-companion/sdk';
import { createTestDatabase, deleteRedisKeys, startTestKernel, type TestKernel } from '@streaming-companion/testing';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';

const probeEvents = defineEvents('probe', {
  domain: { 'probe.thing.started': z.object({ creatorId: z.uuid(), platform: z.enum(STREAM_PLATFORMS), sessionId: z.uuid() }) },
  socket: { probe_step: z.object({ sessionId: z.uuid(), step: z.int() }) },
  overlay: ['probe_step'],
});
const thingStarted = probeEvents.domain['probe.thing.started'];
type Started = DomainEvent<typeof thingStarted>;

interface Recorder {
  /** Every successful delivery to the plain subscriber. */
  delivered: Started[];
  /** Every attempt the flaky subscriber saw (it fails the first try of `stripchat` events). */
  flakyAttempts: Array<{ id: string; attempt: number; ok: boolean }>;
  /** When set, the plain subscriber reports it has the event, then waits to be released. */
  hold?: { entered: () => void; release: Promise<void> };
  /** When set, `POST /api/probe/wait` reports it is in flight, then waits to be released. */
  requestHold?: { entered: () => void; release: Promise<void> };
  /** Every run of the `once` subscriber that got past its dedupe (it fails the first try of `stripchat` events too). */
  onceRuns: Array<{ id: string; attempt: number }>;
  /** Event ids the in-session-order subscriber handled, in the order it handled them. */
  inOrder: string[];
  /** Events of this platform fail the in-session-order subscriber on every attempt. */
  inOrderFailsOn?: string;
  /** Events of this platform are none of the in-session-order subscriber's business (its `when`). */
  inOrderSkips?: string;
  /** Events the one-attempt subscriber threw on (it throws on every `chaturbate` event). */
  gaveUp: string[];
  /** Events the `once` subscriber with a `when` handled (it takes `stripchat` events only). */
  picked: string[];
  /** Events the `once` subscriber with a SQL `when` handled (it takes `stripchat` and `chaturbate` events). */
  sqlPicked: string[];
  /** Events the subscriber whose SQL `when` fails on `chaturbate` events and is false otherwise handled (none ever). */
  brokenRan: string[];
}

const newRecorder = (): Recorder => ({ delivered: [], flakyAttempts: [], onceRuns: [], inOrder: [], gaveUp: [], picked: [], sqlPicked: [], brokenRan: [] });

const PublishBody = z.object({
  /** One event per session id, published in this order in one transaction. */
  sessionIds: z.array(z.uuid()).min(1).max(5),
  platform: z.enum(['chaturbate', 'stripchat', 'other']).default('other'),
  /** Throw after publishing, so the transaction rolls back. */
  fail: z.boolean().default(false),
});

/** A plugin whose route publishes inside `ctx.db.transaction`, and whose subscribers record deliveries. */
function probePlugin(recorder: Recorder) {
  return definePlugin({
    id: 'probe',
    version: '1.0.0',
    engine: '^0.1.0',
    events: probeEvents,
    setup(ctx) {
      ctx.http.post('/api/probe/publish', { auth: 'public', body: PublishBody, status: 201 }, async ({ body }) => {
        const creatorId = randomUUID();
        await ctx.db.transaction(async (em) => {
          for (const sessionId of body.sessionIds) await ctx.events.publish(em, thingStarted, { creatorId, platform: body.platform, sessionId });
          if (body.fail) throw new Problem(409, 'probe_rolled_back', 'the probe asked for a rollback');
        });
        return { creatorId };
      });
      // Broadcasts `steps` to a session in one transaction (or rolls them back).
      ctx.http.post(
        '/api/probe/steps',
        { auth: 'public', body: z.object({ sessionId: z.uuid(), steps: z.array(z.int()).min(1).max(5), fail: z.boolean().default(false) }), status: 204 },
        async ({ body }) => {
          await ctx.db.transaction(async (em) => {
            for (const step of body.steps) await ctx.realtime.toSession(body.sessionId).publish(em, probeEvents.socket.probe_step, { sessionId: body.sessionId, step });
            if (body.fail) throw new Problem(409, 'probe_rolled_back', 'the probe asked for a rollback');
          });
        },
      );
      ctx.http.post('/api/probe/wait', { auth: 'public', status: 204 }, async () => {
        recorder.requestHold?.entered();
        await recorder.requestHold?.release;
      });
      // A bug in a plugin: a payload that breaks its event's schema.
      ctx.http.post('/api/probe/bad-step', { auth: 'public', body: z.object({ sessionId: z.uuid() }) }, async ({ body }) => {
        try {
          await ctx.db.transaction(async (em) => {
            await ctx.events.publish(em, thingStarted, { creatorId: randomUUID(), platform: 'other', sessionId: body.sessionId });
            await ctx.realtime.toSession(body.sessionId).publish(em, probeEvents.socket.probe_step, { sessionId: body.sessionId, step: 1.5 });
          });
          return { thrown: null };
        } catch (error) {
          return { thrown: { name: (error as Error).name, message: (error as Error).message } };
        }
      });
      ctx.events.on(thingStarted, async (event) => {
        if (recorder.hold) {
          recorder.hold.entered();
          await recorder.hold.release;
        }
        recorder.delivered.push(event);
      });
      ctx.events.on(
        thingStarted,
        (event, job) => {
          const ok = event.payload.platform !== 'stripchat' || job.attempt > 1;
          recorder.flakyAttempts.push({ id: event.id, attempt: job.attempt, ok });
          if (!ok) throw new Error('flaky subscriber: first attempt fails');
        },
        { name: 'flaky', attempts: 2 },
      );
      ctx.events.on(
        thingStarted,
        (event, job) => {
          recorder.onceRuns.push({ id: event.id, attempt: job.attempt });
          // Failing rolls the "handled" mark back with everything else, so the retry runs.
          if (event.payload.platform === 'stripchat' && job.attempt === 1) throw new Error('once subscriber: first attempt fails');
        },
        { name: 'once', once: true, attempts: 2 },
      );
      ctx.events.on(
        thingStarted,
        (event) => {
          if (event.payload.platform === recorder.inOrderFailsOn) throw new Error('in-session-order subscriber: this platform always fails');
          recorder.inOrder.push(event.id);
        },
        { name: 'in-order', inSessionOrder: true, attempts: 2, when: (event) => event.payload.platform !== recorder.inOrderSkips },
      );
      ctx.events.on(
        thingStarted,
        (event) => {
          if (event.payload.platform !== 'chaturbate') return;
          recorder.gaveUp.push(event.id);
          throw new Error('one-attempt subscriber: chaturbate events always fail');
        },
        { name: 'gives-up', attempts: 1 },
      );
      ctx.events.on(thingStarted, (event) => void recorder.picked.push(event.id), {
        name: 'picky',
        once: true,
        when: (event, job) => {
          expect(job.em.isInTransaction()).toBe(false);
          return event.payload.platform === 'stripchat';
        },
      });
      ctx.events.on(thingStarted, (event) => void recorder.sqlPicked.push(event.id), {
        name: 'sql-picky',
        once: true,
        when: { sql: `? in ('stripchat', 'chaturbate')`, params: (event) => [event.payload.platform] },
      });
      // A plugin's broken condition: dividing by zero for `chaturbate` events, false for the rest.
      ctx.events.on(thingStarted, (event) => void recorder.brokenRan.push(event.id), {
        name: 'sql-broken',
        attempts: 1,
        when: { sql: '1 / ? = 0', params: (event) => [event.payload.platform === 'chaturbate' ? 0 : 1] },
      });
    },
  });
}

async function outboxRows(kernel: Kernel, sessionId: string): Promise<Array<{ id: string; name: string; dispatched_at: Date | null }>> {
  return kernel.forkEm().execute(`select id, name, dispatched_at from core_outbox_events where payload->>'sessionId' = ?`, [sessionId]);
}

describe('the transactional outbox', () => {
  const recorder = newRecorder();
  let t: TestKernel;
  beforeAll(async () => {
    t = await startTestKernel({ plugins: [probePlugin(recorder)] });
  });
  afterAll(() => t?.stop());

  const forSession = (sessionId: string) => recorder.delivered.filter((e) => e.payload.sessionId === sessionId);

  // In-process jobs die with the process, and BullMQ's are lost with a Redis that restarts without persistence.
  it('keeps an event pending while a subscriber still has it, so a crash then redelivers it', async () => {
    const entered = Promise.withResolvers<void>();
    const release = Promise.withResolvers<void>();
    recorder.hold = { entered: entered.resolve, release: release.promise };
    try {
      const sessionId = randomUUID();
      expect((await t.http.post('/api/probe/publish', { body: { sessionIds: [sessionId] } })).status).toBe(201);
      await entered.promise;
      expect((await outboxRows(t.kernel as Kernel, sessionId))[0]!.dispatched_at).toBeNull();
      recorder.hold = undefined;
      release.resolve();
      await t.drain();
      expect(forSession(sessionId)).toHaveLength(1);
      expect((await outboxRows(t.kernel as Kernel, sessionId))[0]!.dispatched_at).not.toBeNull();
    } finally {
      recorder.hold = undefined;
      release.resolve();
    }
  });

  // As if the statement marking it had failed: the row is pending again after its subscribers all ran.
  it('delivers again an event whose row is pending again after it was handled', async () => {
    const sessionId = randomUUID();
    expect((await t.http.post('/api/probe/publish', { body: { sessionIds: [sessionId] } })).status).toBe(201);
    await t.drain();
    expect(forSession(sessionId)).toHaveLength(1);
    await t.kernel.forkEm().execute(`update core_outbox_events set dispatched_at = null, claimed_until = null where payload->>'sessionId' = ?`, [sessionId]);
    await t.drain();
    // At least once: the subscribers see it again (a `once` one would skip it), and the row is marked.
    expect(forSession(sessionId)).toHaveLength(2);
    expect((await outboxRows(t.kernel as Kernel, sessionId))[0]!.dispatched_at).not.toBeNull();
  });

  it('delivers an event after its transaction commits, with the payload and the outbox row id', async () => {
    const sessionId = randomUUID();
    const response = await t.http.post('/api/probe/publish', { body: { sessionIds: [sessionId] } });
    expect(response.status).toBe(201);
    await t.drain();

    const deliveries = forSession(sessionId);
    expect(deliveries).toHaveLength(1);
    const [event] = deliveries;
    expect(event).toMatchObject({
      name: 'probe.thing.started',
      payload: { creatorId: response.body.creatorId, platform: 'other', sessionId },
    });
    expect(event!.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Date(event!.occurredAt).toISOString()).toBe(event!.occurredAt);
    // The id is the outbox row's, so it stays the same on any redelivery; the row is marked dispatched.
    const rows = await outboxRows(t.kernel as Kernel, sessionId);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).toBe(event!.id);
    expect(rows[0]!.dispatched_at).not.toBeNull();
    // The other subscriber got the very same event.
    expect(recorder.flakyAttempts.filter((a) => a.id === event!.id)).toEqual([{ id: event!.id, attempt: 1, ok: true }]);
  });

  it('never delivers an event whose transaction rolled back, and leaves no outbox row', async () => {
    const sessionId = randomUUID();
    const response = await t.http.post('/api/probe/publish', { body: { sessionIds: [sessionId], fail: true } });
    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({ code: 'probe_rolled_back' });
    await t.drain();

    expect(forSession(sessionId)).toEqual([]);
    expect(await outboxRows(t.kernel as Kernel, sessionId)).toEqual([]);

    // The bus still works afterwards: the next commit is delivered.
    const next = randomUUID();
    expect((await t.http.post('/api/probe/publish', { body: { sessionIds: [next] } })).status).toBe(201);
    await t.drain();
    expect(forSession(next)).toHaveLength(1);
    expect(forSession(sessionId)).toEqual([]);
  });

  // On PostgreSQL the rows go out with the commit: a write that fails there must fail the commit too.
  it('commits nothing, answers an error and delivers nothing when PostgreSQL refuses the rows at commit', async () => {
    const em = () => (t.kernel as Kernel).forkEm();
    const refused = '00000000-0000-4000-8000-0000000000ff';
    const other = randomUUID();
    await em().execute(`create function probe_refuse() returns trigger language plpgsql as $$ begin raise exception 'probe refuses this row'; end $$`);
    await em().execute(`create trigger probe_refuse before insert on core_outbox_events for each row when (new.payload->>'sessionId' = '${refused}') execute function probe_refuse()`);
    try {
      const response = await t.http.post('/api/probe/publish', { body: { sessionIds: [other, refused] } });
      expect(response.status).toBe(500);
      await t.drain();
      expect([...forSession(other), ...forSession(refused)]).toEqual([]);
      expect([...(await outboxRows(t.kernel as Kernel, other)), ...(await outboxRows(t.kernel as Kernel, refused))]).toEqual([]);
      expect(await em().execute(`select seq from core_session_sequences where session_id = ?`, [other])).toEqual([]);
    } finally {
      await em().execute(`drop trigger probe_refuse on core_outbox_events`);
      await em().execute(`drop function probe_refuse`);
    }
    // The connection it failed on is as good as any: the next commit is written and delivered.
    expect((await t.http.post('/api/probe/publish', { body: { sessionIds: [other] } })).status).toBe(201);
    await t.drain();
    expect(forSession(other)).toHaveLength(1);
  });

  it('retries a subscriber that throws, up to its `attempts`', async () => {
    const sessionId = randomUUID();
    expect((await t.http.post('/api/probe/publish', { body: { sessionIds: [sessionId], platform: 'stripchat' } })).status).toBe(201);
    await t.drain();

    const [event] = forSession(sessionId);
    expect(event).toBeDefined();
    expect(recorder.flakyAttempts.filter((a) => a.id === event!.id)).toEqual([
      { id: event!.id, attempt: 1, ok: false },
      { id: event!.id, attempt: 2, ok: true },
    ]);
    // One subscriber failing does not redeliver to the others, and the event is done with once its retry succeeds.
    expect(forSession(sessionId)).toHaveLength(1);
    expect(recorder.inOrder.filter((id) => id === event!.id)).toHaveLength(1);
    expect((await outboxRows(t.kernel as Kernel, sessionId))[0]!.dispatched_at).not.toBeNull();
  });

  it('gives up on a subscriber out of attempts, and is done with the event once the others are', async () => {
    const sessionId = randomUUID();
    expect((await t.http.post('/api/probe/publish', { body: { sessionIds: [sessionId], platform: 'chaturbate' } })).status).toBe(201);
    await t.drain();

    const [event] = forSession(sessionId);
    expect(recorder.gaveUp.filter((id) => id === event!.id)).toHaveLength(1);
    expect((await outboxRows(t.kernel as Kernel, sessionId))[0]!.dispatched_at).not.toBeNull();
  });

  it("skips a subscriber whose `when`, a function or SQL, says the event is none of its business: no handler, no record, and the event is done with", async () => {
    const [other, taken] = [randomUUID(), randomUUID()];
    expect((await t.http.post('/api/probe/publish', { body: { sessionIds: [other] } })).status).toBe(201);
    expect((await t.http.post('/api/probe/publish', { body: { sessionIds: [taken], platform: 'stripchat' } })).status).toBe(201);
    await t.drain();

    const [skipped] = forSession(other);
    const [picked] = forSession(taken);
    const ids = [skipped!.id, picked!.id];
    for (const [subscription, handledIds] of [['probe.picky', recorder.picked], ['probe.sql-picky', recorder.sqlPicked]] as const) {
      expect(handledIds.filter((id) => ids.includes(id))).toEqual([picked!.id]);
      const recorded = await t.kernel.forkEm().execute(`select event_id from core_handled_events where subscription = ? and event_id in (?, ?)`, [subscription, ...ids]);
      expect(recorded).toEqual([{ event_id: picked!.id }]);
    }
    for (const sessionId of [other, taken]) expect((await outboxRows(t.kernel as Kernel, sessionId))[0]!.dispatched_at).not.toBeNull();
  });

  it('lets each subscriber ask its own SQL `when` when asking them together fails: a broken one fails alone', async () => {
    const sessionId = randomUUID();
    expect((await t.http.post('/api/probe/publish', { body: { sessionIds: [sessionId], platform: 'chaturbate' } })).status).toBe(201);
    await t.drain();

    const [event] = forSession(sessionId);
    expect(recorder.sqlPicked).toContain(event!.id);
    expect(recorder.delivered.map((e) => e.id)).toContain(event!.id);
    expect(recorder.brokenRan).toEqual([]);
    expect((await outboxRows(t.kernel as Kernel, sessionId))[0]!.dispatched_at).not.toBeNull();
  });

  it('prunes rows delivered over 7 days ago in its daily job, and never a pending row', async () => {
    const em = (t.kernel as Kernel).forkEm();
    const [oldDelivered, recentDelivered, oldPending] = [randomUUID(), randomUUID(), randomUUID()];
    await em.execute(
      `insert into core_outbox_events (id, name, payload, created_at, dispatched_at) values
         (?, 'probe.unheard', '{}'::jsonb, now() - interval '9 days', now() - interval '8 days'),
         (?, 'probe.unheard', '{}'::jsonb, now() - interval '9 days', now() - interval '6 days'),
         (?, 'probe.unheard', '{}'::jsonb, now() - interval '9 days', null)`,
      [oldDelivered, recentDelivered, oldPending],
    );
    await t.kernel.jobs.enqueue('core.prune-outbox', {}, { jobId: `prune-${oldDelivered}` });
    await t.drain();
    const left: Array<{ id: string }> = await em.execute(`select id from core_outbox_events where id in (?, ?, ?)`, [oldDelivered, recentDelivered, oldPending]);
    expect(new Set(left.map((row) => row.id))).toEqual(new Set([recentDelivered, oldPending]));
  });

  it("prunes the sequences and cursors of sessions ended over 30 days ago, or gone, in its daily job", async () => {
    const em = (t.kernel as Kernel).forkEm();
    const session = async (endedDaysAgo: number | null) => {
      const { token } = await t.createCreator();
      const id = (await t.http.post('/api/sessions', { token, body: { platform: 'chaturbate' } })).body.id as string;
      if (endedDaysAgo === null) return id;
      expect((await t.http.post(`/api/sessions/${id}/end`, { token })).status).toBe(200);
      await em.execute(`update core_stream_sessions set ended_at = now() - make_interval(days => ?) where id = ?`, [endedDaysAgo, id], 'run');
      return id;
    };
    const [live, endedLately, endedLongAgo, gone] = [await session(null), await session(29), await session(31), randomUUID()];
    const sessions = [live, endedLately, endedLongAgo, gone];
    for (const id of sessions) {
      await em.execute(`insert into core_subscriber_cursors (subscription, session_id, seq) values ('probe.in-order', ?, 3)`, [id], 'run');
      await em.execute(`insert into core_session_sequences (session_id, stream, seq) values (?, 'probe.thing.started', 3) on conflict do nothing`, [id], 'run');
    }
    await t.kernel.jobs.enqueue('core.prune-session-numbering', {}, { jobId: `prune-${gone}` });
    await t.drain();
    const left = async (table: string) =>
      new Set((await em.execute<Array<{ session_id: string }>>(`select distinct session_id from ${table} where session_id in (?, ?, ?, ?)`, sessions)).map((row) => row.session_id));
    expect(await left('core_subscriber_cursors')).toEqual(new Set([live, endedLately]));
    expect(await left('core_session_sequences')).toEqual(new Set([live, endedLately]));
  });

  it('delivers every event published in one transaction, in publish order', async () => {
    const sessionIds: string[] = [randomUUID(), randomUUID(), randomUUID()];
    expect((await t.http.post('/api/probe/publish', { body: { sessionIds } })).status).toBe(201);
    await t.drain();

    const delivered = recorder.delivered.filter((e) => sessionIds.includes(e.payload.sessionId));
    expect(delivered.map((e) => e.payload.sessionId)).toEqual(sessionIds);
    expect(new Set(delivered.map((e) => e.id)).size).toBe(3);
    // Dispatch follows `created_at`: the rows of one transaction must not tie on it.
    const rows: Array<{ session_id: string }> = await (t.kernel as Kernel)
      .forkEm()
      .execute(`select distinct on (created_at) payload->>'sessionId' as session_id from core_outbox_events where payload->>'sessionId' in (?, ?, ?) order by created_at`, sessionIds);
    expect(rows.map((r) => r.session_id)).toEqual(sessionIds);
  });
});

describe('subscribers while a request is in flight', () => {
  const recorder = newRecorder();
  let t: TestKernel;
  beforeAll(async () => {
    // A bound no test run reaches: the subscriber can only have run because the request finished.
    t = await startTestKernel({ plugins: [probePlugin(recorder)], env: { JOBS_YIELD_MS: '60000' } });
  });
  afterAll(() => t?.stop());

  it('wait for it to finish, so the request is not kept behind the work earlier requests caused', async () => {
    const entered = Promise.withResolvers<void>();
    const release = Promise.withResolvers<void>();
    recorder.requestHold = { entered: entered.resolve, release: release.promise };
    try {
      const held = t.http.post('/api/probe/wait');
      await entered.promise;
      const sessionId = randomUUID();
      expect((await t.http.post('/api/probe/publish', { body: { sessionIds: [sessionId] } })).status).toBe(201);
      const foreground = (t.kernel as Kernel).foreground;
      await vi.waitFor(() => expect(foreground.waiting).toBe(1));
      expect(recorder.delivered.filter((e) => e.payload.sessionId === sessionId)).toEqual([]);

      release.resolve();
      expect((await held).status).toBe(204);
      await t.drain();
      expect(recorder.delivered.filter((e) => e.payload.sessionId === sessionId)).toHaveLength(1);
      expect(recorder.inOrder).toHaveLength(1);
    } finally {
      recorder.requestHold = undefined;
      release.resolve();
    }
  });
});

describe('a `once` subscriber', () => {
  const recorder = newRecorder();
  let t: TestKernel;
  beforeAll(async () => {
    t = await startTestKernel({ plugins: [probePlugin(recorder)] });
  });
  afterAll(() => t?.stop());

  it('runs once per event, however often it is delivered, and again after a failed attempt', async () => {
    const sessionId = randomUUID();
    expect((await t.http.post('/api/probe/publish', { body: { sessionIds: [sessionId], platform: 'stripchat' } })).status).toBe(201);
    await t.drain();
    const [event] = recorder.delivered.filter((e) => e.payload.sessionId === sessionId);
    expect(recorder.onceRuns.filter((r) => r.id === event!.id)).toEqual([
      { id: event!.id, attempt: 1 },
      { id: event!.id, attempt: 2 },
    ]);

    // The same event handed over again under new job ids, as after lost acknowledgements.
    for (const n of [1, 2]) await t.kernel.jobs.enqueue('events.probe.once', event, { jobId: `again-${n}-${event!.id}` });
    await t.drain();
    expect(recorder.onceRuns.filter((r) => r.id === event!.id)).toHaveLength(2);
    // The in-session-order subscriber records what it handles the same way.
    const handled = await t.kernel.forkEm().execute(`select subscription from core_handled_events where event_id = ? order by subscription`, [event!.id]);
    expect(handled).toEqual([{ subscription: 'probe.in-order' }, { subscription: 'probe.once' }, { subscription: 'probe.picky' }, { subscription: 'probe.sql-picky' }]);
  });
});

describe('broadcasts through the outbox', () => {
  let t: TestKernel;
  beforeAll(async () => {
    t = await startTestKernel({ plugins: [probePlugin(newRecorder())] });
  });
  afterAll(() => t?.stop());

  it("number a session's broadcasts in commit order, publish order within a transaction, and skip none for a rollback", async () => {
    const { token } = await t.createCreator();
    const sessionId: string = (await t.http.post('/api/sessions', { token, body: { platform: 'other' } })).body.id;
    await t.drain();
    const overlay = await t.overlaySocket();
    const seen: Array<{ step: number; seq: number }> = [];
    overlay.on('probe_step', (payload: { step: number }, meta: { sessionId: string; seq: number }) => {
      expect(meta.sessionId).toBe(sessionId);
      seen.push({ step: payload.step, seq: meta.seq });
    });
    expect((await overlay.emitWithAck('join_overlay', { sessionId })).ok).toBe(true);

    const steps = (body: object) => t.http.post('/api/probe/steps', { body: { sessionId, ...body } });
    expect((await steps({ steps: [1, 2, 3] })).status).toBe(204);
    expect((await steps({ steps: [99], fail: true })).status).toBe(409);
    expect((await steps({ steps: [4] })).status).toBe(204);
    await t.drain();
    await expect.poll(() => seen.length).toBe(4);
    // The session start's session_updated was broadcast 1; these follow without a gap.
    expect(seen).toEqual([
      { step: 1, seq: 2 },
      { step: 2, seq: 3 },
      { step: 3, seq: 4 },
      { step: 4, seq: 5 },
    ]);
  });

  it('throws where a payload that breaks its schema is published (development and tests), and the transaction writes nothing', async () => {
    const sessionId = randomUUID();
    const response = await t.http.post('/api/probe/bad-step', { body: { sessionId } });
    expect(response.body.thrown).toEqual({
      name: 'EventPayloadError',
      message: expect.stringMatching(/^socket event "probe_step" \(from probe\) has an invalid payload: step: .*int/i),
    });
    const rows = await t.kernel.forkEm().execute(`select id from core_outbox_events where payload->>'sessionId' = ?`, [sessionId]);
    expect(rows).toEqual([]);
  });
});

describe('an event committed but not dispatched before the process died', () => {
  let dataDir: string | undefined;
  let database: { url: string; drop(): Promise<void> } | undefined;
  const redisUrl = process.env.REDIS_URL || undefined;
  const redisPrefix = `sc-test-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    if (process.env.DATABASE_URL) database = await createTestDatabase(process.env.DATABASE_URL, { prefix: 'sc_outbox' });
    else dataDir = await mkdtemp(join(tmpdir(), 'sc-outbox-'));
  });
  afterAll(async () => {
    await database?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    if (redisUrl) await deleteRedisKeys(redisUrl, redisPrefix);
  });

  /** A kernel on the same persistent database every time (a PGlite dir, or one Postgres database). */
  function boot(recorder: Recorder): Promise<Kernel> {
    const kernel = createKernel({
      plugins: [probePlugin(recorder)],
      env: { LOG_LEVEL: 'silent' },
      config: { port: 0, host: '127.0.0.1', databaseUrl: database?.url, dataDir: dataDir ?? 'memory://', redisUrl },
      redisPrefix,
      logger: createLogger('silent', { pretty: false }),
      // No sweep while the first kernel runs: the row must wait for the next boot.
      outboxSweepMs: 3_600_000,
    });
    return kernel.start();
  }

  it('is delivered when the next kernel boots, exactly once', async () => {
    const first = newRecorder();
    const crashed = await boot(first);
    const eventId = randomUUID();
    const sessionId = randomUUID();
    try {
      // As if the process died between the commit and the dispatch: the row is there, pending.
      await crashed
        .forkEm()
        .execute(`insert into core_outbox_events (id, name, payload, created_at) values (?, 'probe.thing.started', ?::jsonb, now())`, [
          eventId,
          JSON.stringify({ creatorId: randomUUID(), platform: 'chaturbate', sessionId }),
        ]);
    } finally {
      await crashed.stop();
    }
    expect(first.delivered).toEqual([]);

    const second = newRecorder();
    const rebooted = await boot(second);
    try {
      await rebooted.drain();
      expect(second.delivered).toEqual([expect.objectContaining({ id: eventId, name: 'probe.thing.started', payload: expect.objectContaining({ sessionId }) })]);
      const rows = await outboxRows(rebooted, sessionId);
      expect(rows).toEqual([expect.objectContaining({ id: eventId })]);
      expect(rows[0]!.dispatched_at).not.toBeNull();
      // Another dispatch pass finds nothing pending: no second delivery.
      await rebooted.drain();
      expect(second.delivered).toHaveLength(1);
      expect(second.flakyAttempts).toEqual([{ id: eventId, attempt: 1, ok: true }]);
    } finally {
      await rebooted.stop();
    }
  });
});

describe.skipIf(Boolean(process.env.DATABASE_URL))('an event its dead writer had claimed, on the embedded default', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sc-claimed-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  const boot = (recorder: Recorder, deliverAfterCommit: boolean): Promise<Kernel> =>
    createKernel({
      plugins: [probePlugin(recorder)],
      env: { LOG_LEVEL: 'silent' },
      config: { port: 0, host: '127.0.0.1', dataDir },
      logger: createLogger('silent', { pretty: false }),
      outboxSweepMs: 3_600_000,
      deliverAfterCommit,
    }).start();

  it('is delivered as the next process boots, not once the claim runs out (one process owns the data directory)', async () => {
    const sessionId = randomUUID();
    const crashed = await boot(newRecorder(), false);
    try {
      const response = await fetch(`${crashed.url}/api/probe/publish`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sessionIds: [sessionId] }) });
      expect(response.status).toBe(201);
      await crashed.forkEm().execute(`update core_outbox_events set claimed_until = now() + interval '1 hour' where session_id = ?`, [sessionId]);
    } finally {
      await crashed.stop();
    }

    const recorder = newRecorder();
    const rebooted = await boot(recorder, true);
    try {
      await rebooted.drain();
      expect(recorder.delivered.map((e) => e.payload.sessionId)).toEqual([sessionId]);
      expect((await outboxRows(rebooted, sessionId)).every((r) => r.dispatched_at !== null)).toBe(true);
    } finally {
      await rebooted.stop();
    }
  });
});

// On PostgreSQL, where instances share the database: a dead instance's claims hold its rows
// until they run out while the others go on. (The embedded default releases them at boot.)
describe.skipIf(!process.env.DATABASE_URL)('an in-session-order subscriber, after a process died between commits and their delivery', () => {
  let database: { url: string; drop(): Promise<void> };
  const redisPrefix = `sc-test-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    database = await createTestDatabase(process.env.DATABASE_URL!, { prefix: 'sc_order' });
  });
  afterAll(async () => {
    await database?.drop();
    if (process.env.REDIS_URL) await deleteRedisKeys(process.env.REDIS_URL!, redisPrefix);
  });

  /** A kernel on the same database every time, with BullMQ when Redis is configured. */
  function boot(recorder: Recorder, deliverAfterCommit = true): Promise<Kernel> {
    return createKernel({
      plugins: [probePlugin(recorder)],
      env: { LOG_LEVEL: 'silent' },
      config: { port: 0, host: '127.0.0.1', databaseUrl: database.url, redisUrl: process.env.REDIS_URL || undefined },
      redisPrefix,
      logger: createLogger('silent', { pretty: false }),
      outboxSweepMs: 3_600_000,
      deliverAfterCommit,
    }).start();
  }

  async function publish(kernel: Kernel, sessionId: string, platform = 'other'): Promise<void> {
    const response = await fetch(`${kernel.url}/api/probe/publish`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sessionIds: [sessionId], platform }),
    });
    expect(response.status).toBe(201);
  }

  /**
   * The session's events committed by a process that died before delivering them: they are
   * pending, claimed by their dead writer until the claim runs out.
   */
  async function diedBeforeDelivering(sessionId: string, platforms: string[]): Promise<void> {
    const crashed = await boot(newRecorder(), false);
    try {
      for (const platform of platforms) await publish(crashed, sessionId, platform);
      await crashed.forkEm().execute(`update core_outbox_events set claimed_until = now() + interval '1 hour' where session_id = ? and dispatched_at is null`, [sessionId]);
    } finally {
      await crashed.stop();
    }
  }

  const rowsInOrder = (kernel: Kernel, sessionId: string): Promise<Array<{ id: string; seq: string; dispatched_at: Date | null }>> =>
    kernel.forkEm().execute(`select id, seq, dispatched_at from core_outbox_events where session_id = ? and kind = 'domain' order by seq`, [sessionId]);

  /** The dead writer's claims run out, once the rebooted kernel is done with its own row (the newest), whose claim is not to. */
  const claimRunsOut = async (kernel: Kernel, sessionId: string) => {
    await expect.poll(async () => (await rowsInOrder(kernel, sessionId)).at(-1)!.dispatched_at).not.toBeNull();
    await kernel.forkEm().execute(`update core_outbox_events set claimed_until = null where session_id = ? and dispatched_at is null`, [sessionId], 'run');
  };

  it('handles the events left behind before a newer one of the same session, then skips their redelivery', async () => {
    const sessionId = randomUUID();
    await diedBeforeDelivering(sessionId, ['other', 'other', 'other']);

    const recorder = newRecorder();
    const rebooted = await boot(recorder);
    try {
      await publish(rebooted, sessionId);
      // One dispatch runs the plain subscriber, then the in-order one (which takes the three before it first).
      await expect.poll(() => recorder.inOrder.length).toBe(4);
      const rows = await rowsInOrder(rebooted, sessionId);
      expect(rows.map((r) => Number(r.seq))).toEqual([1, 2, 3, 4]);
      // Only the new event was delivered; the in-order subscriber took the three before it first.
      expect(recorder.delivered.map((e) => e.id)).toEqual([rows[3]!.id]);
      expect(recorder.inOrder).toEqual(rows.map((r) => r.id));

      // Their own deliveries, once the dead writer's claim runs out, change nothing for it.
      await claimRunsOut(rebooted, sessionId);
      await rebooted.drain();
      expect(recorder.delivered).toHaveLength(4);
      expect(recorder.inOrder).toEqual(rows.map((r) => r.id));
      expect((await rowsInOrder(rebooted, sessionId)).every((r) => r.dispatched_at !== null)).toBe(true);
    } finally {
      await rebooted.stop();
    }
  });

  /**
   * Two events of a session left behind by a dead process, the first of `platform`, which the
   * in-order subscriber does not handle (`setUp` says why); a rebooted kernel publishes a third.
   * The subscriber handles the second and third, and still only those once the first one's own
   * delivery has come (the dead writer's claim ran out); then every row is done with.
   */
  async function leaveTheFirstUnhandled(platform: string, setUp: (recorder: Recorder) => void, andThen?: (kernel: Kernel, firstId: string) => Promise<void>): Promise<void> {
    const sessionId = randomUUID();
    await diedBeforeDelivering(sessionId, [platform, 'other']);

    const recorder = newRecorder();
    setUp(recorder);
    const rebooted = await boot(recorder);
    try {
      await publish(rebooted, sessionId);
      await expect.poll(() => recorder.inOrder.length).toBe(2);
      const [first, second, third] = await rowsInOrder(rebooted, sessionId);
      expect(recorder.inOrder).toEqual([second!.id, third!.id]);

      await claimRunsOut(rebooted, sessionId);
      await rebooted.drain();
      expect(recorder.inOrder).toEqual([second!.id, third!.id]);
      expect((await rowsInOrder(rebooted, sessionId)).every((r) => r.dispatched_at !== null)).toBe(true);
      await andThen?.(rebooted, first!.id);
    } finally {
      await rebooted.stop();
    }
  }

  it("asks its `when` about the events left behind too, and skips those it says are none of its business", () =>
    leaveTheFirstUnhandled(
      'chaturbate',
      (recorder) => (recorder.inOrderSkips = 'chaturbate'),
      async (kernel, skipped) => {
        // Skipped, not handled: nothing is recorded for it.
        const handled = await kernel.forkEm().execute(`select 1 from core_handled_events where subscription = 'probe.in-order' and event_id = ?`, [skipped]);
        expect(handled).toEqual([]);
      },
    ));

  // The failing event's own job runs out of attempts and settles; nothing ran twice.
  it('leaves an earlier event whose handler fails to its own retries, without holding back the later ones', () =>
    leaveTheFirstUnhandled('stripchat', (recorder) => (recorder.inOrderFailsOn = 'stripchat')));
});

describe.skipIf(!process.env.DATABASE_URL || !process.env.REDIS_URL)('events with BullMQ', () => {
  let database: { url: string; drop(): Promise<void> } | undefined;
  const redisPrefix = `sc-test-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    database = await createTestDatabase(process.env.DATABASE_URL!, { prefix: 'sc_outbox' });
  });
  afterAll(async () => {
    await database?.drop();
    await deleteRedisKeys(process.env.REDIS_URL!, redisPrefix);
  });

  function boot(recorder: Recorder, role: 'api' | 'all'): Promise<Kernel> {
    return createKernel({
      plugins: [probePlugin(recorder)],
      env: { LOG_LEVEL: 'silent' },
      config: { port: 0, host: '127.0.0.1', databaseUrl: database!.url, redisUrl: process.env.REDIS_URL },
      role,
      redisPrefix,
      logger: createLogger('silent', { pretty: false }),
      outboxSweepMs: 3_600_000,
    }).start();
  }

  it('a process that runs jobs dispatches its own events without a BullMQ job; stopping, it releases the claims of those still queued', async () => {
    // Every dispatch holds in the plain subscriber: four run at once, the fifth waits its turn.
    let entered = 0;
    let release!: () => void;
    const recorder: Recorder = { ...newRecorder(), hold: { entered: () => void entered++, release: new Promise<void>((resolve) => (release = resolve)) } };
    const kernel = await boot(recorder, 'all');
    const sessionIds = Array.from({ length: 5 }, () => randomUUID());
    let stopped: Promise<void> | undefined;
    try {
      const response = await fetch(`${kernel.url}/api/probe/publish`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sessionIds }),
      });
      expect(response.status).toBe(201);
      await expect.poll(() => entered).toBe(4);
      const redis = new Redis(process.env.REDIS_URL!);
      try {
        const ids = (await Promise.all(sessionIds.map((id) => queryRows(database!.url, id)))).flat().map((row) => row.id);
        expect(ids).toHaveLength(5);
        const jobKeys = (await redis.keys(`${redisPrefix}:*`)).filter((key) => ids.some((id) => key.includes(id)));
        expect(jobKeys).toEqual([]);
      } finally {
        redis.disconnect();
      }
      stopped = kernel.stop();
    } finally {
      release();
      await (stopped ?? kernel.stop());
    }
    expect(recorder.delivered.map((event) => event.payload.sessionId)).toEqual(sessionIds.slice(0, 4));
    const rows = (await Promise.all(sessionIds.map((id) => queryRows(database!.url, id, `select id, dispatched_at, claimed_until from core_outbox_events where payload->>'sessionId' = $1`)))).flat();
    expect(rows.slice(0, 4).every((row) => row.dispatched_at !== null)).toBe(true);
    // The fifth was dropped from this process's queue: any instance's next pass takes it, without waiting out the claim.
    expect(rows[4]).toMatchObject({ dispatched_at: null, claimed_until: null });

    const next = newRecorder();
    const rebooted = await boot(next, 'all');
    try {
      await rebooted.drain();
      expect(next.delivered.map((event) => event.payload.sessionId)).toEqual([sessionIds[4]]);
    } finally {
      await rebooted.stop();
    }
  });

  it('a job Redis lost before it ran is enqueued again by the next delivery pass, once (a Redis restarted without persistence)', async () => {
    // An API instance enqueues the event's jobs; no worker runs them.
    const api = await boot(newRecorder(), 'api');
    const sessionId = randomUUID();
    try {
      const response = await fetch(`${api.url}/api/probe/publish`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sessionIds: [sessionId] }),
      });
      expect(response.status).toBe(201);
      const redis = new Redis(process.env.REDIS_URL!);
      try {
        await expect.poll(async () => (await redis.keys(`${redisPrefix}:*:x.*`)).length).toBeGreaterThanOrEqual(3);
      } finally {
        redis.disconnect();
      }
    } finally {
      await api.stop();
    }
    // Its jobs are queued, not run: the row is still pending.
    const [row] = await queryRows(database!.url, sessionId);
    expect(row!.dispatched_at).toBeNull();

    // Redis loses everything; the writer's claim on the row runs out.
    await deleteRedisKeys(process.env.REDIS_URL!, redisPrefix);
    await queryRows(database!.url, sessionId, `update core_outbox_events set claimed_until = null where payload->>'sessionId' = $1`);

    const recorder = newRecorder();
    const worker = await boot(recorder, 'all');
    try {
      await worker.drain();
      expect(recorder.delivered).toEqual([expect.objectContaining({ name: 'probe.thing.started', payload: expect.objectContaining({ sessionId }) })]);
      expect(recorder.onceRuns).toHaveLength(1);
      expect((await outboxRows(worker, sessionId))[0]!.dispatched_at).not.toBeNull();
      await worker.drain();
      expect(recorder.delivered).toHaveLength(1);
    } finally {
      await worker.stop();
    }
  });
});

async function queryRows(databaseUrl: string, sessionId: string, sql = `select id, name, dispatched_at from core_outbox_events where payload->>'sessionId' = $1`) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql, [sessionId])).rows as Array<{ id: string; name: string; dispatched_at: Date | null; claimed_until?: Date | null }>;
  } finally {
    await client.end();
  }
}
