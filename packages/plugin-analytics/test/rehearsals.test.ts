import { goalsPlugin } from '@streaming-companion/plugin-goals';
import { menuPlugin } from '@streaming-companion/plugin-menu';
import { tipsPlugin } from '@streaming-companion/plugin-tips';
import { coreServices, definePlugin, STREAM_PLATFORMS } from '@streaming-companion/sdk';
import { createManualClock, startTestKernel, type TestKernel } from '@streaming-companion/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { analyticsPlugin } from '../src/index.ts';

/** Starts sessions flagged `rehearsal` through the kernel's sessions service, as the rehearsal plugin does. */
const rehearsalSessions = definePlugin({
  id: 'rehearsal-sessions',
  version: '0.0.0',
  engine: '*',
  deps: { sessions: coreServices.sessions },
  setup(ctx, { sessions }) {
    ctx.http.post('/api/test/rehearsal-sessions', { auth: 'creator', status: 201, body: z.object({ platform: z.enum(STREAM_PLATFORMS) }) }, (req) =>
      sessions.start(req.em, req.creator.id, { platform: req.body.platform, title: 'Rehearsal', rehearsal: true }),
    );
  },
});

const clock = createManualClock('2026-05-01T00:00:00Z');
let t: TestKernel;
beforeAll(async () => {
  t = await startTestKernel({ plugins: [tipsPlugin, goalsPlugin, menuPlugin, analyticsPlugin, rehearsalSessions], clock });
});
afterAll(() => t?.stop());

describe('rehearsals in analytics', () => {
  it("change no figure: a rehearsal's session, tips, tippers, viewers, goal and menu sale are left out of every report and the export", async () => {
    const { token } = await t.createCreator();
    const post = async (path: string, body?: object, status = 201) => {
      const res = await t.http.post(path, { token, body });
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      await t.drain();
      return res.body;
    };
    const at = (time: string) => clock.set(time);
    const reports = async () => {
      await t.drain();
      const read = async (path: string) => {
        const res = await t.http.get(path, { token });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        return res.body;
      };
      const range = 'from=2026-05-01&to=2026-05-02&tz=UTC';
      return {
        summary: await read(`/api/analytics/summary?${range}`),
        perMinute: await read(`/api/analytics/summary?${range}&platform=chaturbate&interval=15m`),
        topTippers: await read(`/api/analytics/top-tippers?${range}`),
        export: await read(`/api/analytics/export?${range}`),
      };
    };

    // A real stream, with a goal reached and an item bought.
    at('2026-05-01T20:00:00Z');
    const real = (await post('/api/sessions', { platform: 'chaturbate', title: 'Live' })).id;
    await post('/api/goals', { sessionId: real, title: 'Dance', targetCents: 800 });
    await post('/api/menu', { title: 'Flash', priceCents: 700 });
    at('2026-05-01T20:10:00Z');
    await post('/api/tips', { sessionId: real, amountCents: 700, tipperName: 'Kai' });
    at('2026-05-01T20:20:00Z');
    await post('/api/tips', { sessionId: real, amountCents: 300, isAnonymous: true });
    at('2026-05-01T21:00:00Z');
    await post(`/api/sessions/${real}/end`, undefined, 200);
    const before = await reports();
    expect(before.summary).toMatchObject({ sessionCount: 1, tipCount: 2, totalCents: 1_000, uniqueTippers: 1 });
    expect(before.summary.goals).toHaveLength(1);
    expect(before.summary.menuItems).toEqual([expect.objectContaining({ title: 'Flash', count: 1 })]);

    // A rehearsal the same evening, on the same platform: a new tipper, a known one, a goal, a purchase, viewers.
    at('2026-05-01T21:30:00Z');
    const rehearsal = (await post('/api/test/rehearsal-sessions', { platform: 'chaturbate' })).id;
    await post('/api/goals', { sessionId: rehearsal, title: 'Rehearsed dance', targetCents: 500 });
    const socket = await t.socket(token);
    expect((await socket.emitWithAck('update_viewers', { sessionId: rehearsal, viewerCount: 9_999 })).ok).toBe(true);
    at('2026-05-01T21:31:00Z');
    await post('/api/tips', { sessionId: rehearsal, amountCents: 700, tipperName: 'Zed', message: 'Flash' });
    at('2026-05-01T21:32:00Z');
    await post('/api/tips', { sessionId: rehearsal, amountCents: 50_000, tipperName: 'Kai' });
    await post('/api/tips', { sessionId: rehearsal, amountCents: 100, isAnonymous: true });
    at('2026-05-01T21:45:00Z');
    await post(`/api/sessions/${rehearsal}/end`, undefined, 200);

    expect(await reports()).toEqual(before);
    const alone = (await t.http.get(`/api/analytics/summary?sessionId=${rehearsal}`, { token })).body;
    expect(alone).toMatchObject({ sessionCount: 0, tipCount: 0, totalCents: 0, goals: [], menuItems: [], curve: [] });
    // Not a row of it anywhere in the plugin's tables.
    const em = t.kernel.forkEm();
    for (const table of ['analytics_sessions', 'analytics_tips', 'analytics_viewer_samples', 'analytics_goal_completions', 'analytics_menu_sales']) {
      const [row] = await em.execute<Array<{ n: number }>>(`select count(*)::int as n from ${table} where session_id = ?`, [rehearsal]);
      expect(Number(row!.n), table).toBe(0);
    }
    const [tippers] = await em.execute<Array<{ n: number }>>(`select count(*)::int as n from analytics_tippers where tipper_key = 'zed'`);
    expect(Number(tippers!.n)).toBe(0);
  });
});
