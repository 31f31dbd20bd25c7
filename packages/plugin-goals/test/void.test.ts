import { tipsPlugin } from '@streaming-companion/plugin-tips';
import { nextEvent, startTestKernel, type TestKernel } from '@streaming-companion/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goalsPlugin } from '../src/index.ts';
import { completed, LiveSession, progress } from './support/goals-harness.ts';

let t: TestKernel;
beforeAll(async () => {
  t = await startTestKernel({ plugins: [tipsPlugin, goalsPlugin] });
});
afterAll(() => t?.stop());

async function voidTip(live: LiveSession, tipId: string) {
  const res = await t.http.post(`/api/tips/${tipId}/void`, { token: live.token, body: { reason: 'test' } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

const amounts = async (live: LiveSession) => (await live.goals()).map((g) => [g.title, g.currentCents, g.status]);

describe('a voided tip and the goals', () => {
  it('comes back out of exactly the goals it filled: a completed one stays completed, the active one goes down and is announced', async () => {
    const live = await LiveSession.start(t);
    const a = await live.createGoal({ title: 'A', targetCents: 300 });
    const b = await live.createGoal({ title: 'B', targetCents: 900 });
    const c = await live.createGoal({ title: 'C', targetCents: 1_000 });
    const first = await live.tip(200);
    const spread = await live.tip(500); // 100 completes A, 400 carries into B
    const last = await live.tip(100);
    await live.settle();
    expect(await amounts(live)).toEqual([
      ['A', 300, 'completed'],
      ['B', 500, 'active'],
      ['C', 0, 'pending'],
    ]);

    await voidTip(live, spread.id);
    expect(await live.settle()).toEqual([progress(b, 100, 11.11)]);
    expect(await amounts(live)).toEqual([
      ['A', 300, 'completed'],
      ['B', 100, 'active'],
      ['C', 0, 'pending'],
    ]);

    // All on a completed goal: nothing an overlay shows changes.
    await voidTip(live, first.id);
    expect(await live.settle()).toEqual([]);
    await voidTip(live, last.id);
    expect(await live.settle()).toEqual([progress(b, 0, 0)]);
    expect(await amounts(live)).toEqual([
      ['A', 300, 'completed'],
      ['B', 0, 'active'],
      ['C', 0, 'pending'],
    ]);

    // A void again (idempotent at the route) takes nothing more.
    await voidTip(live, spread.id);
    expect(await live.settle()).toEqual([]);
    expect((await live.goals())[1]).toMatchObject({ currentCents: 0 });

    // Tips after it count as before.
    await live.tip(900);
    expect(await live.settle()).toEqual([progress(b, 900, 100), completed(b), progress(c, 0, 0)]);
    expect((await live.goals())[0]).toMatchObject({ id: a.id, currentCents: 300, status: 'completed' });
  });

  it('ignores the share of a goal deleted since', async () => {
    const live = await LiveSession.start(t);
    const a = await live.createGoal({ title: 'A', targetCents: 1_000 });
    const gone = await live.createGoal({ title: 'Gone', targetCents: 100, order: 0 });
    const tip = await live.tip(300); // 100 completes Gone, 200 into A
    await live.settle();
    expect((await t.http.delete(`/api/goals/${gone.id}`, { token: live.token })).status).toBe(204);
    await live.settle();
    await voidTip(live, tip.id);
    expect(await live.settle()).toEqual([progress(a, 0, 0)]);
  });
});

describe('the goal an overlay joining sees', () => {
  it('is the last goal reached, at 100%, once every goal is completed', async () => {
    const live = await LiveSession.start(t);
    await live.createGoal({ title: 'First', targetCents: 200 });
    const second = await live.createGoal({ title: 'Second', targetCents: 300 });
    await live.tip(800); // completes both, the last keeps the overshoot
    await live.settle();

    const reloaded = await t.overlaySocket();
    const shown = nextEvent(reloaded, 'goal_progress');
    expect((await reloaded.emitWithAck('join_overlay', { sessionId: live.sessionId })).ok).toBe(true);
    expect(await shown).toEqual({ sessionId: live.sessionId, goalId: second.id, title: 'Second', currentCents: 600, targetCents: 300, percentage: 100 });

    // A new goal is what it shows next.
    const third = await live.createGoal({ title: 'Third', targetCents: 1_000 });
    const again = await t.overlaySocket();
    const active = nextEvent(again, 'goal_progress');
    await again.emitWithAck('join_overlay', { sessionId: live.sessionId });
    expect(await active).toMatchObject({ goalId: third.id, currentCents: 0, percentage: 0 });
  });
});
