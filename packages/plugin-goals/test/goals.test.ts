import { randomUUID } from 'node:crypto';
import { tipsPlugin } from '@streaming-companion/plugin-tips';
import { nextEvent, startTestKernel, type TestKernel } from '@streaming-companion/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goalsPlugin } from '../src/index.ts';
import { completed, createGoalProbe, expectProblem, LiveSession, progress, type KernelInternals } from './support/goals-harness.ts';

const probe = createGoalProbe();
let t: TestKernel;
beforeAll(async () => {
  t = await startTestKernel({ plugins: [tipsPlugin, goalsPlugin, probe.plugin] });
});
afterAll(() => t?.stop());

const completionsOf = (sessionId: string) => probe.completions.filter((e) => e.payload.sessionId === sessionId);

describe('goal routes', () => {
  it('creates goals (201), lists them per session in order, and announces only the active one', async () => {
    const live = await LiveSession.start(t);
    const outfit = await live.createGoal({ title: 'Outfit change', targetCents: 5_000, description: 'the red one' });
    expect(outfit).toEqual({
      id: expect.any(String),
      sessionId: live.sessionId,
      creatorId: live.creatorId,
      title: 'Outfit change',
      description: 'the red one',
      targetCents: 5_000,
      currentCents: 0,
      percentage: 0,
      order: 0,
      status: 'active',
      completedAt: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const dance = await live.createGoal({ title: 'Dance', targetCents: 2_000 });
    const first = await live.createGoal({ title: 'Warm-up', targetCents: 1_000, order: 0 });
    expect(dance).toMatchObject({ order: 1, status: 'pending', description: null });
    expect(first).toMatchObject({ order: 0, status: 'active' });

    const goals = await live.goals();
    expect(goals.map((g) => [g.title, g.order, g.status])).toEqual([
      ['Warm-up', 0, 'active'],
      ['Outfit change', 1, 'pending'],
      ['Dance', 2, 'pending'],
    ]);
    // Overlays show the active goal: a pending one is not announced, a new first one is.
    expect(await live.settle()).toEqual([progress(outfit, 0, 0), progress(first, 0, 0)]);

    // Another session of another creator has its own list.
    const other = await LiveSession.start(t);
    expect(await other.goals()).toEqual([]);
  });

  it('edits and reorders through PATCH, announcing only the active goal when it changes', async () => {
    const live = await LiveSession.start(t);
    const a = await live.createGoal({ title: 'A', targetCents: 1_000 });
    const b = await live.createGoal({ title: 'B', targetCents: 2_000 });
    const c = await live.createGoal({ title: 'C', targetCents: 3_000 });
    await live.settle();

    const moved = await t.http.patch(`/api/goals/${c.id}`, { token: live.token, body: { order: 0 } });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body).toMatchObject({ id: c.id, order: 0, status: 'active' });
    expect((await live.goals()).map((g) => [g.title, g.order, g.status])).toEqual([
      ['C', 0, 'active'],
      ['A', 1, 'pending'],
      ['B', 2, 'pending'],
    ]);
    expect(await live.settle()).toEqual([progress(c, 0, 0)]);

    const edited = await t.http.patch(`/api/goals/${b.id}`, {
      token: live.token,
      body: { title: 'B, longer', targetCents: 2_500, description: 'now with props', order: 99 },
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body).toMatchObject({ title: 'B, longer', targetCents: 2_500, description: 'now with props', order: 2, status: 'pending' });
    expect(await live.settle()).toEqual([]); // a pending goal's edit is not shown on overlays

    // Moving the active goal back makes the new first one active, and says so.
    expect((await t.http.patch(`/api/goals/${c.id}`, { token: live.token, body: { order: 2 } })).status).toBe(200);
    expect((await live.goals()).map((g) => [g.title, g.status])).toEqual([
      ['A', 'active'],
      ['B, longer', 'pending'],
      ['C', 'pending'],
    ]);
    expect(await live.settle()).toEqual([progress(a, 0, 0)]);

    const cleared = await t.http.patch(`/api/goals/${b.id}`, { token: live.token, body: { description: null } });
    expect(cleared.body.description).toBeNull();
  });

  it('deletes a goal (204); deleting the active goal makes the next one active', async () => {
    const live = await LiveSession.start(t);
    const a = await live.createGoal({ title: 'A', targetCents: 1_000 });
    const b = await live.createGoal({ title: 'B', targetCents: 2_000 });
    const c = await live.createGoal({ title: 'C', targetCents: 3_000 });
    await live.tip(400);
    await live.settle();

    const deleted = await t.http.delete(`/api/goals/${a.id}`, { token: live.token });
    expect(deleted.status).toBe(204);
    expect((await live.goals()).map((g) => [g.id, g.order, g.status, g.currentCents])).toEqual([
      [b.id, 0, 'active', 0],
      [c.id, 1, 'pending', 0],
    ]);
    expect(await live.settle()).toEqual([progress(b, 0, 0)]);
    expectProblem(await t.http.delete(`/api/goals/${a.id}`, { token: live.token }), 404);

    // The next tip goes to the goal that is active now.
    await live.tip(500);
    expect(await live.settle()).toEqual([progress(b, 500, 25)]);
  });

  it('documents its routes and the TipGoal schema in the OpenAPI document', async () => {
    const doc = await t.http.get('/api/docs/openapi.json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths['/api/goals'])).toEqual(expect.arrayContaining(['get', 'post']));
    expect(Object.keys(doc.body.paths['/api/goals/{id}'])).toEqual(expect.arrayContaining(['patch', 'delete']));
    expect(doc.body.components.schemas.TipGoal.properties).toHaveProperty('percentage');
  });
});

describe('progress on tips', () => {
  it('fills the active goal; progress and completion reach the overlay once, with the spec fields', async () => {
    const live = await LiveSession.start(t);
    const a = await live.createGoal({ title: 'Outfit change', targetCents: 1_000 });
    const b = await live.createGoal({ title: 'Dance', targetCents: 3_000 });
    await live.settle();

    await live.tip(333);
    expect(await live.settle()).toEqual([progress(a, 333, 33.3)]);
    expect((await live.goals()).map((g) => [g.currentCents, g.percentage, g.status])).toEqual([
      [333, 33.3, 'active'],
      [0, 0, 'pending'],
    ]);

    await live.tip(667);
    expect(await live.settle()).toEqual([progress(a, 1_000, 100), completed(a), progress(b, 0, 0)]);
    const [doneA, nowB] = await live.goals();
    expect(doneA).toMatchObject({ status: 'completed', currentCents: 1_000, percentage: 100, completedAt: expect.any(String) });
    expect(nowB).toMatchObject({ status: 'active', currentCents: 0 });

    await live.tip(1_001);
    expect(await live.settle()).toEqual([progress(b, 1_001, 33.37)]);

    expect(completionsOf(live.sessionId).map((e) => e.payload)).toEqual([
      { creatorId: live.creatorId, goalId: a.id, targetCents: 1_000, sessionId: live.sessionId },
    ]);
  });

  it('carries the overshoot into the next goals, completing each it fills (autoAdvance on)', async () => {
    const live = await LiveSession.start(t);
    const a = await live.createGoal({ title: 'A', targetCents: 500 });
    const b = await live.createGoal({ title: 'B', targetCents: 500 });
    const c = await live.createGoal({ title: 'C', targetCents: 1_000 });
    await live.settle();

    await live.tip(1_200);
    expect(await live.settle()).toEqual([
      progress(a, 500, 100),
      completed(a),
      progress(b, 500, 100),
      completed(b),
      progress(c, 200, 20),
    ]);
    expect((await live.goals()).map((g) => [g.title, g.currentCents, g.status])).toEqual([
      ['A', 500, 'completed'],
      ['B', 500, 'completed'],
      ['C', 200, 'active'],
    ]);
    expect(completionsOf(live.sessionId).map((e) => e.payload.goalId)).toEqual([a.id, b.id]);

    // With no goal left to carry into, the overshoot stays on the last one; later tips count nowhere.
    await live.tip(1_000);
    expect(await live.settle()).toEqual([progress(c, 1_200, 100), completed(c)]);
    await live.tip(50);
    expect(await live.settle()).toEqual([]);
    expect((await live.goals()).map((g) => [g.currentCents, g.status])).toEqual([
      [500, 'completed'],
      [500, 'completed'],
      [1_200, 'completed'],
    ]);
    expect(completionsOf(live.sessionId)).toHaveLength(3);
  });

  it('counts a redelivered streaming.tip.received once', async () => {
    const live = await LiveSession.start(t);
    const goal = await live.createGoal({ title: 'Once', targetCents: 10_000 });
    const tip = await live.tip(700);
    expect(await live.settle()).toEqual([progress(goal, 0, 0), progress(goal, 700, 7)]);

    const kernel = t.kernel as KernelInternals;
    const db = kernel.forkEm();
    const [row] = await db.execute<Array<{ id: string; name: string; payload: Record<string, unknown>; created_at: Date | string }>>(
      `select id, name, payload, created_at from core_outbox_events where name = 'streaming.tip.received' and payload->>'tipId' = ?`,
      [tip.id],
    );
    expect(row).toBeDefined();
    const event = { id: row!.id, name: row!.name, payload: row!.payload, occurredAt: new Date(row!.created_at).toISOString() };

    // The outbox row dispatched again (as after a crash between enqueue and marking it dispatched).
    await db.execute('update core_outbox_events set dispatched_at = null where id = ?', [event.id]);
    // The same event handed to the subscriber again under a new job id (as after a lost acknowledgement).
    await kernel.jobs.enqueue('events.goals.count-tip', event, { jobId: `redelivery-${event.id}` });
    expect(await live.settle()).toEqual([]);
    expect((await live.goals())[0]).toMatchObject({ currentCents: 700 });

    // The control: the same path with a new event id does count, so the job above did run.
    await kernel.jobs.enqueue('events.goals.count-tip', { ...event, id: randomUUID() }, { jobId: `control-${event.id}` });
    expect(await live.settle()).toEqual([progress(goal, 1_400, 14)]);
  });

  it('completes a goal whose target is edited to or below the current amount (and carries the rest)', async () => {
    const live = await LiveSession.start(t);
    const a = await live.createGoal({ title: 'A', targetCents: 1_000 });
    const b = await live.createGoal({ title: 'B', targetCents: 1_000 });
    await live.tip(600);
    await live.settle();

    const lowered = await t.http.patch(`/api/goals/${a.id}`, { token: live.token, body: { targetCents: 500 } });
    expect(lowered.status, JSON.stringify(lowered.body)).toBe(200);
    expect(lowered.body).toMatchObject({ status: 'completed', currentCents: 500, targetCents: 500, percentage: 100 });
    const a500 = { ...a, targetCents: 500 };
    expect(await live.settle()).toEqual([progress(a500, 500, 100), completed(a500), progress(b, 100, 10)]);
    expect(completionsOf(live.sessionId).map((e) => e.payload)).toEqual([
      { creatorId: live.creatorId, goalId: a.id, targetCents: 500, sessionId: live.sessionId },
    ]);

    // Exactly equal completes too.
    const equal = await t.http.patch(`/api/goals/${b.id}`, { token: live.token, body: { targetCents: 100 } });
    expect(equal.body).toMatchObject({ status: 'completed', currentCents: 100, targetCents: 100 });
    expect(await live.settle()).toEqual([progress({ ...b, targetCents: 100 }, 100, 100), completed({ ...b, targetCents: 100 })]);

    // A completed goal keeps its target; its title can still change.
    expectProblem(await t.http.patch(`/api/goals/${a.id}`, { token: live.token, body: { targetCents: 5_000 } }), 409, 'targetCents');
    expect((await t.http.patch(`/api/goals/${a.id}`, { token: live.token, body: { title: 'A (done)' } })).body).toMatchObject({ status: 'completed' });
    expect(completionsOf(live.sessionId)).toHaveLength(2);
  });

  it('sends a freshly joined overlay the session totals and the active goal at once', async () => {
    const live = await LiveSession.start(t);
    await live.createGoal({ title: 'A', targetCents: 300 });
    await live.createGoal({ title: 'B', targetCents: 900 });
    await live.tip(500);
    await t.drain();
    const reloaded = await t.overlaySocket();
    const totals = nextEvent(reloaded, 'session_updated');
    const goal = nextEvent(reloaded, 'goal_progress');
    expect((await reloaded.emitWithAck('join_overlay', { sessionId: live.sessionId })).ok).toBe(true);
    expect(await totals).toMatchObject({ sessionId: live.sessionId, totalTipsCents: 500, tipCount: 1 });
    expect(await goal).toMatchObject({ sessionId: live.sessionId, title: 'B', currentCents: 200, targetCents: 900 });
  });

  it("offers the active goal's progress through goalsServiceRef", async () => {
    const live = await LiveSession.start(t);
    const active = () => t.http.get(`/api/goal-probe/active?sessionId=${live.sessionId}`, { token: live.token });
    expect((await active()).body).toEqual({ active: null });
    const a = await live.createGoal({ title: 'A', targetCents: 300 });
    const b = await live.createGoal({ title: 'B', targetCents: 900 });
    await live.tip(200);
    await t.drain();
    expect((await active()).body).toEqual({ active: progress(a, 200, 66.67).payload });
    await live.tip(400);
    await t.drain();
    expect((await active()).body).toEqual({ active: progress(b, 300, 33.33).payload });

    const stranger = await t.createCreator();
    expect((await t.http.get(`/api/goal-probe/active?sessionId=${live.sessionId}`, { token: stranger.token })).body).toEqual({ active: null });
  });
});

describe('refusals', () => {
  it('refuses bad input with a 4xx naming the field, and writes nothing', async () => {
    const live = await LiveSession.start(t);
    const kept = await live.createGoal({ title: 'Kept', targetCents: 1_000 });
    await live.settle();
    const post = (body: Record<string, unknown>) => t.http.post('/api/goals', { token: live.token, body: { sessionId: live.sessionId, title: 'T', targetCents: 100, ...body } });

    expectProblem(await post({ targetCents: 0 }), 400, 'body.targetCents');
    expectProblem(await post({ targetCents: -5 }), 400, 'body.targetCents');
    expectProblem(await post({ targetCents: 12.5 }), 400, 'body.targetCents');
    expectProblem(await post({ targetCents: '100' }), 400, 'body.targetCents');
    expectProblem(await post({ title: '   ' }), 400, 'body.title');
    expectProblem(await post({ title: 'Dance\u0000' }), 400, 'body.title');
    expectProblem(await post({ description: 'a\u0000b' }), 400, 'body.description');
    expectProblem(await post({ order: -1 }), 400, 'body.order');
    expectProblem(await post({ sessionId: 'not-a-uuid' }), 400, 'body.sessionId');
    expectProblem(await post({ sessionId: randomUUID() }), 404, 'sessionId');

    expectProblem(await t.http.get('/api/goals', { token: live.token }), 400, 'query.sessionId');
    expectProblem(await t.http.get(`/api/goals?sessionId=${randomUUID()}`, { token: live.token }), 404, 'sessionId');

    const patch = (body: unknown, id = kept.id) => t.http.patch(`/api/goals/${id}`, { token: live.token, body });
    expectProblem(await patch({ targetCents: 0 }), 400, 'body.targetCents');
    expectProblem(await patch({ title: '' }), 400, 'body.title');
    expectProblem(await patch({ title: '\u0000' }), 400, 'body.title');
    expectProblem(await patch({}), 400, 'body');
    expectProblem(await patch({ status: 'completed' }), 400);
    expectProblem(await patch({ title: 'x' }, 'nope'), 400, 'params.id');
    expectProblem(await patch({ title: 'x' }, randomUUID()), 404);
    expectProblem(await t.http.delete('/api/goals/nope', { token: live.token }), 400, 'params.id');
    expectProblem(await t.http.get(`/api/goals?sessionId=${live.sessionId}`), 401);

    expect(await live.goals()).toEqual([kept]);
    expect(await live.settle()).toEqual([]);
  });

  it("gives another creator 404 on every route, and changes nothing", async () => {
    const owner = await LiveSession.start(t);
    const goal = await owner.createGoal({ title: 'Mine', targetCents: 1_000 });
    await owner.tip(100);
    await owner.settle();
    const before = await owner.goals();

    const intruder = await t.createCreator();
    const token = intruder.token;
    expectProblem(await t.http.post('/api/goals', { token, body: { sessionId: owner.sessionId, title: 'Theirs', targetCents: 10 } }), 404, 'sessionId');
    expectProblem(await t.http.get(`/api/goals?sessionId=${owner.sessionId}`, { token }), 404, 'sessionId');
    expectProblem(await t.http.patch(`/api/goals/${goal.id}`, { token, body: { targetCents: 50 } }), 404);
    expectProblem(await t.http.patch(`/api/goals/${goal.id}`, { token, body: { order: 3 } }), 404);
    expectProblem(await t.http.delete(`/api/goals/${goal.id}`, { token }), 404);

    expect(await owner.goals()).toEqual(before);
    expect(await owner.settle()).toEqual([]);
    expect(completionsOf(owner.sessionId)).toEqual([]);
  });
});

describe('the goals tables', () => {
  it('match the entities once migrated (the schema diff is empty)', async () => {
    expect(await t.schemaDiff()).toBe('');
  });
});
