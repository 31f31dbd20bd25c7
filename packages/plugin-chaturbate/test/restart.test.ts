import { tipsPlugin, type TipDto } from '@streaming-companion/plugin-tips';
import { startTestKernel, type TestKernel } from '@streaming-companion/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chaturbatePlugin } from '../src/index.ts';
import { connectCreator, fastConfig } from './support/connector-fixture.ts';
import { cb, FakeEventsApi } from './support/fake-events-api.ts';

/**
 * The server stops while a creator is live and starts again on the same database: polling
 * resumes at the stored nextUrl, so nothing sent meanwhile is missed and nothing is recorded
 * twice, even when the platform sends an event from before the restart again. Needs
 * PostgreSQL (embedded PGlite lives and dies with its kernel). `holder` only keeps the test
 * database for the two instances that take turns; it runs no connector.
 */
describe.skipIf(!process.env.DATABASE_URL)('a restart', () => {
  let fake: FakeEventsApi;
  let holder: TestKernel;
  const kernels: TestKernel[] = [];
  const instance = async () => {
    const k = await startTestKernel({ plugins: [tipsPlugin, chaturbatePlugin], pluginConfig: { chaturbate: fastConfig(fake) }, shareWith: holder });
    kernels.push(k);
    return k;
  };

  beforeAll(async () => {
    fake = await FakeEventsApi.start();
    holder = await startTestKernel({ plugins: [tipsPlugin] });
  });
  afterAll(async () => {
    for (const k of kernels) await k.stop();
    await holder?.stop();
    await fake?.close();
  });

  it('resumes after the last event processed: no gap, no double', async () => {
    const first = await instance();
    const c = await connectCreator(first, fake);
    const sessionId = await c.goLive();
    const before = fake.push(c.username, cb.tip('a', 1), cb.tip('b', 2));
    await expect.poll(async () => (await c.status()).tipsRecorded).toBe(2);
    // What the creator sees is where it will resume.
    expect((await c.status()).lastEventId).toBe(before.at(-1));
    await first.stop();
    const askedBeforeRestart = fake.requests(c.username).length;

    const during = fake.push(c.username, cb.tip('c', 3), cb.tip('d', 4));
    const second = await instance();
    const tips = async () => ((await second.http.get(`/api/tips?sessionId=${sessionId}`, { token: c.token })).body.items as TipDto[]).toReversed();
    await expect.poll(async () => (await tips()).length).toBe(4);
    // The platform sending an event processed before the restart again: skipped, not recorded twice.
    fake.redeliver(c.username, before[0]!);
    const after = fake.push(c.username, cb.tip('e', 5));
    await expect.poll(async () => (await tips()).length).toBe(5);

    expect((await tips()).map((tip) => tip.externalEventId)).toEqual([...before, ...during, ...after]);
    const resumed = fake.requests(c.username).slice(askedBeforeRestart);
    expect(resumed[0]).toMatchObject({ after: before.at(-1), eventIds: during });
    expect(resumed.some((r) => r.eventIds.join() === [before[0], ...after].join())).toBe(true);
    expect((await second.http.get('/api/connectors/chaturbate', { token: c.token })).body).toMatchObject({
      eventsSeen: 6,
      tipsRecorded: 5,
      skipped: { duplicate: 1 },
      lastEventId: after.at(-1),
    });

    expect((await second.http.post(`/api/sessions/${sessionId}/end`, { token: c.token })).status).toBe(200);
    await expect.poll(async () => (await second.http.get('/api/connectors/chaturbate', { token: c.token })).body.state).toBe('idle');
  });
});
