import { tipsPlugin, type TipDto } from '@streaming-companion/plugin-tips';
import { startTestKernel, type TestKernel } from '@streaming-companion/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chaturbatePlugin } from '../src/index.ts';
import { connectCreator, fastConfig } from './support/connector-fixture.ts';
import { cb, FakeEventsApi } from './support/fake-events-api.ts';

/**
 * Two servers on one database and one Redis, both running the connector: the Events API sees
 * one poll at a time per creator, and every tip is recorded once.
 */
describe.skipIf(!process.env.REDIS_URL || !process.env.DATABASE_URL)('two instances', () => {
  let fake: FakeEventsApi;
  let a: TestKernel;
  let b: TestKernel;

  beforeAll(async () => {
    fake = await FakeEventsApi.start();
    const pluginConfig = { chaturbate: { ...fastConfig(fake), watchdogEveryMs: 200 } };
    a = await startTestKernel({ plugins: [tipsPlugin, chaturbatePlugin], pluginConfig });
    b = await startTestKernel({ plugins: [tipsPlugin, chaturbatePlugin], pluginConfig, shareWith: a });
  });
  afterAll(async () => {
    // B first: A owns the database and drops it.
    await b?.stop();
    await a?.stop();
    await fake?.close();
  });

  it('poll each creator once at a time and record each tip once', async () => {
    const c = await connectCreator(a, fake);
    const other = await connectCreator(b, fake);
    const started = await Promise.all([c, other].map((creator) => b.http.post('/api/sessions', { token: creator.token, body: { platform: 'chaturbate' } })));
    expect(started.map((s) => s.status)).toEqual([201, 201]);

    const pushed: string[] = [];
    for (let round = 0; round < 5; round++) {
      pushed.push(...fake.push(c.username, cb.tip(`fan${round}`, round + 1), cb.tip(`fan${round}b`, 10)));
      fake.push(other.username, cb.tip('x', 1));
      await expect.poll(async () => (await c.status()).tipsRecorded).toBe(pushed.length);
    }
    const tips = (await a.http.get(`/api/tips?sessionId=${started[0]!.body.id}&pageSize=100`, { token: c.token })).body.items as TipDto[];
    expect(tips.map((tip) => tip.externalEventId).toSorted()).toEqual(pushed.toSorted());
    await expect.poll(async () => (await other.status()).tipsRecorded).toBe(5);

    expect(fake.maxInFlight(c.username)).toBe(1);
    expect(fake.maxInFlight(other.username)).toBe(1);
    // Each request picked up exactly where the one before it left off.
    const answered = fake.requests(c.username).filter((r) => r.status === 200);
    for (let i = 1; i < answered.length; i++) expect(answered[i]!.after).toBe(answered[i - 1]!.eventIds.at(-1) ?? answered[i - 1]!.after);

    for (const [i, creator] of [c, other].entries()) {
      expect((await a.http.post(`/api/sessions/${started[i]!.body.id}/end`, { token: creator.token })).status).toBe(200);
      await expect.poll(async () => (await creator.status()).state).toBe('idle');
    }
  });
});
