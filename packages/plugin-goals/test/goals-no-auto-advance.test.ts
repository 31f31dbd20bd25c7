import { tipsPlugin } from '@streaming-companion/plugin-tips';
import { startTestKernel, type TestKernel } from '@streaming-companion/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GoalsConfig, goalsPlugin } from '../src/index.ts';
import { completed, createGoalProbe, LiveSession, progress } from './support/goals-harness.ts';

const probe = createGoalProbe();
let t: TestKernel;
beforeAll(async () => {
  t = await startTestKernel({ plugins: [tipsPlugin, goalsPlugin, probe.plugin], pluginConfig: { goals: { autoAdvance: false } } });
});
afterAll(() => t?.stop());

describe('with autoAdvance off', () => {
  it('keeps the overshoot on the completed goal; the next goal starts from 0 with the next tip', async () => {
    const live = await LiveSession.start(t);
    const a = await live.createGoal({ title: 'A', targetCents: 500 });
    const b = await live.createGoal({ title: 'B', targetCents: 500 });
    const c = await live.createGoal({ title: 'C', targetCents: 500 });
    await live.settle();

    await live.tip(1_200);
    expect(await live.settle()).toEqual([progress(a, 1_200, 100), completed(a), progress(b, 0, 0)]);
    expect((await live.goals()).map((g) => [g.title, g.currentCents, g.percentage, g.status])).toEqual([
      ['A', 1_200, 100, 'completed'],
      ['B', 0, 0, 'active'],
      ['C', 0, 0, 'pending'],
    ]);

    await live.tip(100);
    expect(await live.settle()).toEqual([progress(b, 100, 20)]);

    // Lowering a target below the amount completes the goal without carrying the rest either.
    const lowered = await t.http.patch(`/api/goals/${b.id}`, { token: live.token, body: { targetCents: 50 } });
    expect(lowered.body).toMatchObject({ status: 'completed', currentCents: 100, targetCents: 50, percentage: 100 });
    const b50 = { ...b, targetCents: 50 };
    expect(await live.settle()).toEqual([progress(b50, 100, 100), completed(b50), progress(c, 0, 0)]);

    expect(probe.completions.filter((e) => e.payload.sessionId === live.sessionId).map((e) => e.payload)).toEqual([
      { creatorId: live.creatorId, goalId: a.id, targetCents: 500, sessionId: live.sessionId },
      { creatorId: live.creatorId, goalId: b.id, targetCents: 50, sessionId: live.sessionId },
    ]);
  });
});

describe('config', () => {
  it('defaults autoAdvance to true and refuses anything but a boolean, or an unknown key', () => {
    expect(GoalsConfig.parse({})).toEqual({ autoAdvance: true });
    expect(GoalsConfig.parse({ autoAdvance: false })).toEqual({ autoAdvance: false });
    expect(GoalsConfig.safeParse({ autoAdvance: 'yes' }).error?.issues.map((i) => i.path.join('.'))).toEqual(['autoAdvance']);
    expect(GoalsConfig.safeParse({ autoadvance: false }).success).toBe(false);
  });
});
