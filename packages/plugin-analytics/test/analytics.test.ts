import { goalsPlugin } from '@streaming-companion/plugin-goals';
import { menuPlugin } from '@streaming-companion/plugin-menu';
import { tipsPlugin } from '@streaming-companion/plugin-tips';
import { createManualClock, startTestKernel, type TestKernel, type TestResponse } from '@streaming-companion/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyticsPlugin, type AnalyticsSummary } from '../src/index.ts';

const clock = createManualClock('2026-03-01T00:00:00Z');
let t: TestKernel;
beforeAll(async () => {
  t = await startTestKernel({ plugins: [tipsPlugin, goalsPlugin, menuPlugin, analyticsPlugin], clock });
});
afterAll(() => t?.stop());

/** A creator whose streams run at given times: the clock is set before each step. */
async function creator() {
  const { token } = await t.createCreator();
  const at = (time: string) => clock.set(time);
  const start = async (time: string, platform = 'chaturbate', title?: string): Promise<string> => {
    at(time);
    const res = await t.http.post('/api/sessions', { token, body: { platform, title } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id;
  };
  const tip = async (sessionId: string, time: string, body: object) => {
    at(time);
    const res = await t.http.post('/api/tips', { token, body: { sessionId, ...body } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    await t.drain(); // its subscribers (a goal it completes) run at the tip's time, as they would live
    return res.body as { id: string };
  };
  const end = async (sessionId: string, time: string) => {
    at(time);
    expect((await t.http.post(`/api/sessions/${sessionId}/end`, { token })).status).toBe(200);
  };
  const get = async (path: string): Promise<TestResponse> => {
    await t.drain();
    return t.http.get(path, { token });
  };
  const summary = async (query: string): Promise<AnalyticsSummary> => {
    const res = await get(`/api/analytics/summary?${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  return { token, start, tip, end, get, summary };
}

/**
 * Two chaturbate streams on the first two days of March 2026:
 * - A (20:00–22:00 UTC): Kai 500, kai 1500 (the same person), anonymous 300, Ro 1000, anonymous 200
 * - B (21:00–21:30 UTC on the 2nd): Mo 700, Kai 100, plus a tip of 10000 from Zed
 * Hand-computed over both: 8 tips, 14300 cents; amounts sorted 100 200 300 500 700 1000 1500 10000
 * → median (500+700)/2 = 600; biggest 10000; average 1787.5 → 1788; named tippers Kai, Ro, Mo,
 * Zed → 4; anonymous 2 tips, 500 cents → 0.25 of the tips, 0.035 of the amount.
 */
async function twoStreams() {
  const c = await creator();
  const a = await c.start('2026-03-01T20:00:00Z', 'chaturbate', 'First =cmd|');
  await c.tip(a, '2026-03-01T20:05:00Z', { amountCents: 500, tipperName: 'Kai' });
  await c.tip(a, '2026-03-01T20:05:30Z', { amountCents: 1_500, tipperName: 'kai', message: 'again' });
  await c.tip(a, '2026-03-01T20:40:00Z', { amountCents: 300 });
  await c.tip(a, '2026-03-01T21:10:00Z', { amountCents: 1_000, tipperName: 'Ro' });
  await c.tip(a, '2026-03-01T21:50:00Z', { amountCents: 200, isAnonymous: true });
  await c.end(a, '2026-03-01T22:00:00Z');
  const b = await c.start('2026-03-02T21:00:00Z', 'chaturbate', 'Second');
  await c.tip(b, '2026-03-02T21:01:00Z', { amountCents: 700, tipperName: 'Mo' });
  await c.tip(b, '2026-03-02T21:02:00Z', { amountCents: 100, tipperName: 'KAI' });
  await c.tip(b, '2026-03-02T21:02:30Z', { amountCents: 10_000, tipperName: 'Zed' });
  await c.end(b, '2026-03-02T21:30:00Z');
  return { ...c, a, b };
}

describe('GET /api/analytics/summary', () => {
  it('adds up a range against hand-computed figures, with token figures for a token platform', async () => {
    const c = await twoStreams();
    clock.set('2026-03-10T00:00:00Z');
    const s = await c.summary('from=2026-03-01&to=2026-03-03&tz=UTC');
    expect(s).toMatchObject({
      from: '2026-03-01T00:00:00.000Z',
      to: '2026-03-03T00:00:00.000Z',
      tz: 'UTC',
      interval: 'hour',
      sessionCount: 2,
      tipCount: 8,
      totalCents: 14_300,
      averageCents: 1_788,
      medianCents: 600,
      biggestCents: 10_000,
      uniqueTippers: 4,
      anonymous: { tipCount: 2, totalCents: 500, tipShare: 0.25, amountShare: 0.035 },
      tokens: { centsPerToken: 5, total: 2_860, average: 357.6, median: 120, biggest: 2_000 },
      bestMinute: null,
    });
    // Hourly points only where something happened.
    expect(s.curve.map((p) => [p.start, p.tipCount, p.totalCents])).toEqual([
      ['2026-03-01T20:00:00.000Z', 3, 2_300],
      ['2026-03-01T21:00:00.000Z', 2, 1_200],
      ['2026-03-02T21:00:00.000Z', 3, 10_800],
    ]);
  });

  it('gives the same figures for a range that cuts a session as for one that holds it whole', async () => {
    const c = await twoStreams();
    clock.set('2026-03-10T00:00:00Z');
    // Cuts stream A after its start (read from its tips) and holds B whole (read from its rollups).
    const cut = await c.summary('from=2026-03-01T20:04:00Z&to=2026-03-03T00:00:00Z&tz=UTC');
    const whole = await c.summary('from=2026-03-01&to=2026-03-03&tz=UTC');
    const figures = ({ tipCount, totalCents, medianCents, biggestCents, uniqueTippers, anonymous }: AnalyticsSummary) => ({
      tipCount,
      totalCents,
      medianCents,
      biggestCents,
      uniqueTippers,
      anonymous,
    });
    expect(figures(cut)).toEqual(figures(whole));
    // A range inside stream A: its tips from 20:30 to 21:30 only.
    const inner = await c.summary('from=2026-03-01T20:30:00Z&to=2026-03-01T21:30:00Z&tz=UTC');
    expect(inner).toMatchObject({ tipCount: 2, totalCents: 1_300, medianCents: 650, uniqueTippers: 1, interval: 'minute' });
  });

  it("for one session: its span by default, its best minute, its goals' times and its menu sales", async () => {
    const c = await creator();
    const s = await c.start('2026-03-05T18:00:00Z');
    clock.set('2026-03-05T18:01:00Z');
    await t.http.post('/api/goals', { token: c.token, body: { sessionId: s, title: 'Dance', targetCents: 1_000 } });
    await t.http.post('/api/menu', { token: c.token, body: { title: 'Flash', priceCents: 400 } });
    await c.tip(s, '2026-03-05T18:10:00Z', { amountCents: 400, tipperName: 'Ana' });
    await c.tip(s, '2026-03-05T18:10:40Z', { amountCents: 400, tipperName: 'Bo' });
    await c.tip(s, '2026-03-05T18:30:00Z', { amountCents: 700, tipperName: 'Cy' });
    await c.end(s, '2026-03-05T19:00:00Z');
    const summary = await c.summary(`sessionId=${s}`);
    expect(summary).toMatchObject({
      sessionId: s,
      from: '2026-03-05T18:00:00.000Z',
      sessionCount: 1,
      tipCount: 3,
      totalCents: 1_500,
      bestMinute: { start: '2026-03-05T18:10:00.000Z', tipCount: 2, totalCents: 800 },
      menuItems: [{ title: 'Flash', count: 2, revenueCents: 800 }],
    });
    expect(summary.goals).toEqual([{ goalId: expect.any(String), sessionId: s, title: 'Dance', targetCents: 1_000, completedAt: '2026-03-05T18:30:00.000Z', secondsIntoSession: 1_800 }]);
  });

  it('cuts days in the creator’s time zone, across a daylight-saving change (Europe/Berlin, 29 March 2026)', async () => {
    const c = await creator();
    // Berlin is UTC+1 until 02:00 local on 29 March, UTC+2 after: that day has 23 hours.
    const s = await c.start('2026-03-27T22:30:00Z');
    await c.tip(s, '2026-03-27T22:45:00Z', { amountCents: 100 }); // 23:45 on the 27th in Berlin
    await c.tip(s, '2026-03-27T23:15:00Z', { amountCents: 200 }); // 00:15 on the 28th
    await c.tip(s, '2026-03-28T22:30:00Z', { amountCents: 300 }); // 23:30 on the 28th (UTC+1)
    await c.tip(s, '2026-03-28T23:30:00Z', { amountCents: 400 }); // 00:30 on the 29th
    await c.tip(s, '2026-03-29T21:30:00Z', { amountCents: 500 }); // 23:30 on the 29th (UTC+2)
    await c.tip(s, '2026-03-29T22:30:00Z', { amountCents: 600 }); // 00:30 on the 30th
    await c.end(s, '2026-03-30T00:00:00Z');
    const berlin = await c.summary('from=2026-03-28&to=2026-03-30&tz=Europe/Berlin&interval=day');
    expect(berlin.from).toBe('2026-03-27T23:00:00.000Z'); // midnight in Berlin (UTC+1)
    expect(berlin.to).toBe('2026-03-29T22:00:00.000Z'); // midnight in Berlin (UTC+2)
    expect(berlin.curve.map((p) => [p.start, p.totalCents])).toEqual([
      ['2026-03-27T23:00:00.000Z', 500],
      ['2026-03-28T23:00:00.000Z', 900],
    ]);
    const utc = await c.summary('from=2026-03-28&to=2026-03-30&tz=UTC&interval=day');
    expect(utc.curve.map((p) => [p.start, p.totalCents])).toEqual([
      ['2026-03-28T00:00:00.000Z', 700],
      ['2026-03-29T00:00:00.000Z', 1_100],
    ]);
  });

  it('refuses a bad range, time zone or interval with a 400 naming the field', async () => {
    const c = await creator();
    const refused = async (query: string, field: string) => {
      const res = await c.get(`/api/analytics/summary?${query}`);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    };
    await refused('from=2026-03-02&to=2026-03-01', 'query.from');
    await refused('from=2026-03-01&to=2026-03-01', 'query.from');
    await refused('from=2025-01-01&to=2026-01-01&interval=minute', 'query.interval');
    await refused('from=yesterday', 'query.from');
    await refused('from=2026-02-30', 'query.from');
    await refused('to=2026-03-01T10:00:00', 'query.to');
    // Dates outside 1970–9999, or a date-time on a day the calendar lacks.
    await refused('from=-100000-01-01', 'query.from');
    await refused(`to=${encodeURIComponent('+275760-09-13T00:00:00Z')}`, 'query.to');
    await refused('from=0001-01-01&to=2026-03-01', 'query.from');
    await refused('to=0005-01-01', 'query.to');
    await refused(`from=1969-12-31T00:00:00Z&to=1970-01-02T00:00:00Z`, 'query.from');
    await refused('from=2026-02-30T10:00:00Z&to=2026-03-05T00:00:00Z', 'query.from');
    await refused('tz=Mars/Olympus_Mons', 'query.tz');
    await refused('interval=fortnight', 'query.interval');
    await refused('platform=onlyfans', 'query.platform');
  });

  it("refuses another creator's session, and never counts another creator's tips", async () => {
    const owner = await twoStreams();
    const other = await creator();
    const foreign = await other.get(`/api/analytics/summary?sessionId=${owner.a}`);
    expect(foreign).toMatchObject({ status: 404, body: { code: 'session_not_found', errors: [{ field: 'query.sessionId' }] } });
    clock.set('2026-03-10T00:00:00Z');
    expect(await other.summary('from=2026-03-01&to=2026-03-03')).toMatchObject({ sessionCount: 0, tipCount: 0, totalCents: 0, medianCents: 0, curve: [] });
    expect((await t.http.get('/api/analytics/summary')).status).toBe(401);
  });

  it('counts a tip once when its event is delivered again', async () => {
    const c = await creator();
    const s = await c.start('2026-03-06T10:00:00Z');
    const tip = await c.tip(s, '2026-03-06T10:05:00Z', { amountCents: 900, tipperName: 'Echo' });
    await t.drain();
    const [row] = await t.kernel.forkEm().execute<Array<{ id: string; payload: Record<string, unknown>; created_at: Date }>>(
      `select id, payload, created_at from core_outbox_events where name = 'streaming.tip.received' and payload->>'tipId' = ?`,
      [tip.id],
    );
    const event = { id: row!.id, name: 'streaming.tip.received', payload: row!.payload, occurredAt: new Date(row!.created_at).toISOString() };
    await t.kernel.jobs.enqueue('events.analytics.tip', event, { jobId: `again-${row!.id}` });
    clock.set('2026-03-06T12:00:00Z');
    expect(await c.summary(`sessionId=${s}`)).toMatchObject({ tipCount: 1, totalCents: 900, uniqueTippers: 1 });
    // A whole day is read from its rollups, which the redelivery must not have added to either.
    clock.set('2026-03-08T00:00:00Z');
    expect(await c.summary('from=2026-03-06&to=2026-03-07&tz=UTC')).toMatchObject({ tipCount: 1, totalCents: 900, uniqueTippers: 1 });
    const top = await c.get('/api/analytics/top-tippers?from=2026-03-06&to=2026-03-07&tz=UTC');
    expect(top.body.items).toMatchObject([{ tipperName: 'Echo', tipCount: 1, totalCents: 900 }]);
  });
});

describe('GET /api/analytics/top-tippers', () => {
  it('ranks tippers by what they gave, one person however they spell their name, and anonymous tips as one "Anonymous"', async () => {
    const c = await twoStreams();
    // A named tipper who calls themself Anonymous stays apart from the anonymous tips.
    const s = await c.start('2026-03-02T23:00:00Z');
    await c.tip(s, '2026-03-02T23:10:00Z', { amountCents: 50, tipperName: 'Anonymous' });
    await c.end(s, '2026-03-02T23:30:00Z');
    clock.set('2026-03-10T00:00:00Z');
    const res = await c.get('/api/analytics/top-tippers?from=2026-03-01&to=2026-03-03&limit=10');
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: { tipperName: string; anonymous: boolean; tipCount: number; totalCents: number; totalTokens: number }) => [i.tipperName, i.anonymous, i.tipCount, i.totalCents, i.totalTokens])).toEqual([
      ['Zed', false, 1, 10_000, 2_000],
      ['KAI', false, 3, 2_100, 420],
      ['Ro', false, 1, 1_000, 200],
      ['Mo', false, 1, 700, 140],
      ['Anonymous', true, 2, 500, 100],
      ['Anonymous', false, 1, 50, 10],
    ]);
    const two = await c.get('/api/analytics/top-tippers?from=2026-03-01&to=2026-03-03&limit=2');
    expect(two.body.items.map((i: { tipperName: string }) => i.tipperName)).toEqual(['Zed', 'KAI']);
    expect((await c.get('/api/analytics/top-tippers?limit=0')).status).toBe(400);
  });
});

describe('reports over months', () => {
  it('agree with adding up every tip, for a range of whole months and days cut mid-day at both ends', async () => {
    const c = await creator();
    const s = await c.start('2025-11-01T00:00:00Z');
    let seed = 7;
    const draw = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const tips: Array<{ at: number; amountCents: number; tipper: string | null }> = [];
    for (let at = Date.parse('2025-11-01T06:00:00Z'); at < Date.parse('2026-02-20T00:00:00Z'); at += Math.floor(draw() * 36) * 3_600_000 + 60_000) {
      const amountCents = 100 * (1 + Math.floor(draw() ** 3 * 40));
      const tipper = draw() < 0.1 ? null : `Fan${Math.floor(draw() ** 2 * 30)}`;
      tips.push({ at, amountCents, tipper });
      await c.tip(s, new Date(at).toISOString(), tipper ? { amountCents, tipperName: tipper } : { amountCents });
    }
    await c.end(s, '2026-02-20T00:00:00Z');

    const from = Date.parse('2025-11-15T13:00:00Z');
    const to = Date.parse('2026-02-10T07:00:00Z');
    const inRange = tips.filter((tip) => tip.at >= from && tip.at < to);
    const amounts = inRange.map((tip) => tip.amountCents).sort((a, b) => a - b);
    const middle = amounts.length / 2;
    const byTipper = new Map<string, { totalCents: number; last: number }>();
    for (const tip of inRange.filter((tip) => tip.tipper)) {
      const was = byTipper.get(tip.tipper!) ?? { totalCents: 0, last: 0 };
      byTipper.set(tip.tipper!, { totalCents: was.totalCents + tip.amountCents, last: Math.max(was.last, tip.at) });
    }
    const ranked = [...byTipper].sort(([, a], [, b]) => b.totalCents - a.totalCents || b.last - a.last).map(([name, { totalCents }]) => [name, totalCents]);
    const query = `from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}&tz=UTC`;

    expect(await c.summary(query)).toMatchObject({
      tipCount: inRange.length,
      totalCents: amounts.reduce((a, b) => a + b, 0),
      biggestCents: amounts.at(-1),
      medianCents: amounts.length % 2 ? amounts[Math.floor(middle)] : Math.round((amounts[middle - 1]! + amounts[middle]!) / 2),
      uniqueTippers: byTipper.size,
      anonymous: { tipCount: inRange.filter((tip) => !tip.tipper).length },
    });
    for (const limit of [1, 3, 25]) {
      const res = await c.get(`/api/analytics/top-tippers?${query}&limit=${limit}`);
      const named = res.body.items.filter((i: { anonymous: boolean }) => !i.anonymous).map((i: { tipperName: string; totalCents: number }) => [i.tipperName, i.totalCents]);
      expect(named).toEqual(ranked.slice(0, named.length));
      expect(res.body.items).toHaveLength(Math.min(limit, ranked.length + 1));
    }
  });
});

describe('GET /api/analytics/export', () => {
  it('streams every tip of the range as RFC 4180 CSV, safe from spreadsheet formulas', async () => {
    const c = await creator();
    const s = await c.start('2026-03-07T12:00:00Z', 'stripchat', '=HYPERLINK("x")');
    await c.tip(s, '2026-03-07T12:01:00Z', { amountCents: 100, tipperName: 'Comma, Person', message: 'a' });
    await c.tip(s, '2026-03-07T12:02:00Z', { amountCents: 200, tipperName: 'Say "hi"' });
    await c.tip(s, '2026-03-07T12:03:00Z', { amountCents: 300, tipperName: '=1+1' });
    await c.tip(s, '2026-03-07T12:04:00Z', { tokens: 20, tipperName: '@home' });
    await c.tip(s, '2026-03-07T12:05:00Z', { amountCents: 500, isAnonymous: true });
    await c.end(s, '2026-03-07T13:00:00Z');
    const res = await c.get(`/api/analytics/export?sessionId=${s}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="tips-2026-03-07-to-2026-03-07\.csv"$/);
    const lines = (res.body as string).split('\r\n');
    expect(lines[0]).toBe('session_id,session_title,tipped_at,tipper,anonymous,amount_cents,tokens,cents_per_token,source,menu_item');
    const title = `"'=HYPERLINK(""x"")"`;
    expect(lines.slice(1)).toEqual([
      `${s},${title},2026-03-07T12:01:00.000Z,"Comma, Person",false,100,,,manual,`,
      `${s},${title},2026-03-07T12:02:00.000Z,"Say ""hi""",false,200,,,manual,`,
      `${s},${title},2026-03-07T12:03:00.000Z,'=1+1,false,300,,,manual,`,
      `${s},${title},2026-03-07T12:04:00.000Z,'@home,false,100,20,5,manual,`,
      `${s},${title},2026-03-07T12:05:00.000Z,,true,500,,,manual,`,
      '',
    ]);
  });
});

describe('GET /api/analytics/export, multi-line text', () => {
  it('quotes a field with a lone line break, so the row stays one record', async () => {
    const c = await creator();
    const s = await c.start('2026-03-08T12:00:00Z', 'stripchat', 'Late\nshow\rtonight');
    await c.tip(s, '2026-03-08T12:01:00Z', { amountCents: 100, tipperName: 'Ann' });
    await c.end(s, '2026-03-08T13:00:00Z');
    const body = (await c.get(`/api/analytics/export?sessionId=${s}`)).body as string;
    expect(body.split('\r\n')[1]).toBe(`${s},"Late\nshow\rtonight",2026-03-08T12:01:00.000Z,Ann,false,100,,,manual,`);
  });
});

describe('the analytics tables', () => {
  it('match the entities once migrated (the schema diff is empty)', async () => {
    expect(await t.schemaDiff()).toBe('');
  });
});
