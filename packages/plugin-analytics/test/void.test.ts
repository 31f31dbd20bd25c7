import { menuPlugin } from '@streaming-companion/plugin-menu';
import { tipsPlugin } from '@streaming-companion/plugin-tips';
import { createManualClock, startTestKernel, type TestKernel } from '@streaming-companion/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyticsPlugin } from '../src/index.ts';

const clock = createManualClock('2026-01-31T00:00:00Z');
let t: TestKernel;
beforeAll(async () => {
  t = await startTestKernel({ plugins: [tipsPlugin, menuPlugin, analyticsPlugin], clock });
});
afterAll(() => t?.stop());

type Tip = [at: string, body: { amountCents: number; tipperName?: string; message?: string }];

/** Tips that stay: across a day and a month boundary, named and anonymous. */
const KEPT: Tip[] = [
  ['2026-01-31T22:10:00Z', { amountCents: 500, tipperName: 'Kai' }],
  ['2026-01-31T23:00:00Z', { amountCents: 300 }],
  ['2026-02-01T00:30:00Z', { amountCents: 1_000, tipperName: 'Ro' }],
  ['2026-02-01T01:00:00Z', { amountCents: 200, tipperName: 'kai' }],
];

/**
 * Tips voided afterwards, each undoing something else: the biggest of its day and month, a
 * tipper's only tip, the latest anonymous tip, a menu purchase, and an amount another tip has too.
 */
const VOIDED: Tip[] = [
  ['2026-01-31T22:20:00Z', { amountCents: 9_000, tipperName: 'KAI' }],
  ['2026-01-31T23:30:00Z', { amountCents: 555, tipperName: 'Ro', message: 'Flash please' }],
  ['2026-01-31T23:40:00Z', { amountCents: 300, tipperName: 'Ro' }],
  ['2026-02-01T00:40:00Z', { amountCents: 700, tipperName: 'Zed' }],
  ['2026-02-01T01:30:00Z', { amountCents: 400 }],
];

/** A creator with the menu item and one stream from 22:00 to 02:00 UTC, with `tips` recorded at their times. */
async function stream(tips: Tip[]) {
  const { token } = await t.createCreator();
  clock.set('2026-01-31T21:00:00Z');
  const item = await t.http.post('/api/menu', { token, body: { title: 'Flash', priceCents: 555 } });
  clock.set('2026-01-31T22:00:00Z');
  const sessionId: string = (await t.http.post('/api/sessions', { token, body: { platform: 'chaturbate' } })).body.id;
  const ids: string[] = [];
  for (const [at, body] of [...tips].sort(([a], [b]) => a.localeCompare(b))) {
    clock.set(at);
    const res = await t.http.post('/api/tips', { token, body: { sessionId, ...body } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    ids.push(res.body.id);
    await t.drain();
  }
  clock.set('2026-02-01T02:00:00Z');
  await t.http.post(`/api/sessions/${sessionId}/end`, { token });
  return { token, sessionId, itemId: item.body.id as string, ids };
}

/** Every report the creator can read, with their own ids named generically so two creators' can be compared. */
async function reports({ token, sessionId, itemId }: { token: string; sessionId: string; itemId: string }) {
  await t.drain();
  const read = async (path: string) => {
    const res = await t.http.get(path, { token });
    expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(200);
    return JSON.stringify(res.body).replaceAll(sessionId, '<session>').replaceAll(itemId, '<item>');
  };
  const ranges = ['from=2026-01-01&to=2026-03-01&tz=UTC', 'from=2026-01-31&to=2026-02-02&tz=UTC', 'from=2026-01-31T22:15:00Z&to=2026-02-01T01:45:00Z&tz=UTC', `sessionId=${sessionId}`];
  const out: Record<string, string> = {};
  for (const range of ranges) {
    out[`summary ${range}`] = await read(`/api/analytics/summary?${range}&interval=hour`);
    out[`top-tippers ${range}`] = await read(`/api/analytics/top-tippers?${range}&limit=10`);
  }
  const csv = await t.http.get(`/api/analytics/export?sessionId=${sessionId}`, { token });
  out.export = String(csv.body).replaceAll(sessionId, '<session>');
  return out;
}

describe('a voided tip in the analytics', () => {
  it('leaves every report exactly as if the tip had never been recorded, read from rollups or from tips', async () => {
    const clean = await stream(KEPT);
    const voided = await stream([...KEPT, ...VOIDED]);
    clock.set('2026-02-03T09:00:00Z');
    const voidedAt = new Set(VOIDED.map(([at]) => at));
    const tipsToVoid = [...KEPT, ...VOIDED].sort(([a], [b]) => a.localeCompare(b)).flatMap(([at], i) => (voidedAt.has(at) ? [voided.ids[i]!] : []));
    const before = await reports(voided);
    expect(before['summary sessionId=' + voided.sessionId]).toContain('"tipCount":9');
    expect(before['summary sessionId=' + voided.sessionId]).toContain('"count":1');

    for (const id of tipsToVoid) {
      const res = await t.http.post(`/api/tips/${id}/void`, { token: voided.token, body: { reason: 'test' } });
      expect(res.status).toBe(200);
    }
    const after = await reports(voided);
    const expected = await reports(clean);
    expect(Object.keys(after)).toHaveLength(Object.keys(expected).length);
    for (const [key, value] of Object.entries(expected)) expect(after[key.replace(clean.sessionId, voided.sessionId)], key).toBe(value);
  });

  it('counts nothing of a tip whose void is handled before its count (the count finds it void), nor its menu sale', async () => {
    // Nothing is delivered after commit here: the test hands the void's event to the analytics first.
    const held = await startTestKernel({ plugins: [tipsPlugin, menuPlugin, analyticsPlugin], deliverAfterCommit: false });
    try {
      const { token } = await held.createCreator();
      await held.http.post('/api/menu', { token, body: { title: 'Dance', priceCents: 250 } });
      const sessionId: string = (await held.http.post('/api/sessions', { token, body: { platform: 'other' } })).body.id;
      await held.drain();
      const tip = await held.http.post('/api/tips', { token, body: { sessionId, amountCents: 250, tipperName: 'Early', message: 'Dance' } });
      await held.http.post(`/api/tips/${tip.body.id}/void`, { token, body: { reason: 'test' } });

      const em = held.kernel.forkEm();
      const [row] = await em.execute<Array<{ id: string; payload: Record<string, unknown>; created_at: Date }>>(
        `select id, payload, created_at from core_outbox_events where name = 'streaming.tip.voided' and payload->>'tipId' = ?`,
        [tip.body.id],
      );
      const event = { id: row!.id, name: 'streaming.tip.voided', payload: row!.payload, occurredAt: new Date(row!.created_at).toISOString() };
      await held.kernel.jobs.enqueue('events.analytics.tip-voided', event, { jobId: `${row!.id}.analytics.tip-voided` });
      const handled = () => em.execute<Array<{ n: number }>>(`select count(*)::int as n from core_handled_events where subscription = 'analytics.tip-voided' and event_id = ?`, [row!.id]);
      await expect.poll(async () => (await handled())[0]!.n).toBe(1);

      await held.drain(); // now the tip's own events: its count and its menu sale
      const summary = (await held.http.get(`/api/analytics/summary?sessionId=${sessionId}`, { token })).body;
      expect(summary).toMatchObject({ tipCount: 0, totalCents: 0, uniqueTippers: 0, menuItems: [] });
      expect((await held.http.get(`/api/menu/sales?sessionId=${sessionId}`, { token })).body).toEqual({ items: [] });
    } finally {
      await held.stop();
    }
  });
});

describe.skipIf(!process.env.DATABASE_URL)('a count meeting its void under way (PostgreSQL: two connections)', () => {
  /**
   * The void's first write is the tip's claim; here another transaction holds that claim
   * uncommitted while the tips' counts are delivered, then ends one way or the other.
   */
  async function countsWhileClaimed(end: 'commit' | 'rollback') {
    const held = await startTestKernel({ plugins: [tipsPlugin, analyticsPlugin], deliverAfterCommit: false });
    try {
      const { token } = await held.createCreator();
      const sessionId: string = (await held.http.post('/api/sessions', { token, body: { platform: 'other' } })).body.id;
      await held.drain();
      const anonymous = await held.http.post('/api/tips', { token, body: { sessionId, amountCents: 300 } });
      const named = await held.http.post('/api/tips', { token, body: { sessionId, amountCents: 700, tipperName: 'Claimed' } });

      const claimed = Promise.withResolvers<void>();
      const released = Promise.withResolvers<void>();
      const rolledBack = new Error('rolled back');
      const claim = held.kernel
        .forkEm()
        .transactional(async (tx) => {
          await tx.execute('insert into analytics_tip_claims (tip_id) values (?), (?)', [anonymous.body.id, named.body.id]);
          claimed.resolve();
          await released.promise;
          if (end === 'rollback') throw rolledBack;
        })
        .catch((error: unknown) => {
          if (error !== rolledBack) throw error;
        });
      await claimed.promise;
      const delivered = held.drain();
      const em = held.kernel.forkEm();
      const waiting = async () => (await em.execute<Array<{ n: number }>>(`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`))[0]!.n;
      await expect.poll(waiting, { message: 'a count waits for the claim' }).toBeGreaterThan(0);
      released.resolve();
      await claim;
      await delivered;

      const summary = (await held.http.get(`/api/analytics/summary?sessionId=${sessionId}`, { token })).body;
      const tippers = await em.execute(`select tipper_name from analytics_tippers where tipper_key = 'claimed'`);
      return { summary, tippers };
    } finally {
      await held.stop();
    }
  }

  it('counts nothing once the void commits its claim, and leaves the named tipper unnumbered', async () => {
    const { summary, tippers } = await countsWhileClaimed('commit');
    expect(summary).toMatchObject({ tipCount: 0, totalCents: 0, uniqueTippers: 0 });
    expect(tippers).toEqual([]);
  });

  it('counts both tips when the void rolls back', async () => {
    const { summary, tippers } = await countsWhileClaimed('rollback');
    expect(summary).toMatchObject({ tipCount: 2, totalCents: 1_000, uniqueTippers: 1 });
    expect(tippers).toEqual([{ tipper_name: 'Claimed' }]);
  });
});

describe('a tip event written by an earlier version of the tips plugin', () => {
  it('is counted from the tip itself, and not once the tip is void', async () => {
    const held = await startTestKernel({ plugins: [tipsPlugin, analyticsPlugin], deliverAfterCommit: false });
    try {
      const { token } = await held.createCreator();
      const sessionId: string = (await held.http.post('/api/sessions', { token, body: { platform: 'other' } })).body.id;
      await held.drain();
      expect((await held.http.post('/api/tips', { token, body: { sessionId, amountCents: 400, tipperName: 'Old' } })).status).toBe(201);
      const voided = await held.http.post('/api/tips', { token, body: { sessionId, amountCents: 900 } });
      await held.http.post(`/api/tips/${voided.body.id}/void`, { token, body: { reason: 'test' } });
      // The payload as it was before it carried the tip: creator, amount, source, session and tip only.
      await held.kernel
        .forkEm()
        .execute(`update core_outbox_events set payload = payload - 'tipperName' - 'tokens' - 'centsPerToken' - 'createdAt' where name = 'streaming.tip.received'`);
      await held.drain();

      const summary = (await held.http.get(`/api/analytics/summary?sessionId=${sessionId}`, { token })).body;
      expect(summary).toMatchObject({ tipCount: 1, totalCents: 400, uniqueTippers: 1 });
      const top = (await held.http.get(`/api/analytics/top-tippers?sessionId=${sessionId}`, { token })).body;
      expect(JSON.stringify(top)).toContain('"Old"');
    } finally {
      await held.stop();
    }
  });
});
