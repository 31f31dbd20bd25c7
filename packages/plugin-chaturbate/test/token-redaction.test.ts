import { tipsPlugin } from '@streaming-companion/plugin-tips';
import { startTestKernel, type TestKernel } from '@streaming-companion/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chaturbatePlugin } from '../src/index.ts';
import { connectCreator, fastConfig } from './support/connector-fixture.ts';
import { cb, FakeEventsApi } from './support/fake-events-api.ts';

/** Every log line, at debug level, through success, 5xx, a refused connection, a bad URL and a 401: none carries the token. */
describe('the Events API token', () => {
  const lines: string[] = [];
  let fake: FakeEventsApi;
  let t: TestKernel;

  beforeAll(async () => {
    fake = await FakeEventsApi.start();
    const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
    t = await startTestKernel({ plugins: [tipsPlugin, chaturbatePlugin], pluginConfig: { chaturbate: fastConfig(fake) }, logger });
  });
  afterAll(async () => {
    await t?.stop();
    await fake?.close();
  });

  it('never appears in a log line, a status or an error', async () => {
    const c = await connectCreator(t, fake);
    const sessionId = await c.goLive();
    fake.push(c.username, cb.tip('fan', 5));
    await expect.poll(async () => (await c.status()).tipsRecorded).toBe(1);

    fake.script(c.username, 502);
    fake.push(c.username, cb.tip('fan', 6));
    await expect.poll(async () => (await c.status()).tipsRecorded).toBe(2);

    // Off the network: the poll under way is cut, the next ones are refused at the port.
    await fake.offline();
    await expect.poll(async () => (await c.status()).lastError).toMatch(/ECONNREFUSED/);
    await fake.online();
    fake.push(c.username, cb.tip('fan', 7));
    await expect.poll(async () => (await c.status()).tipsRecorded).toBe(3);

    const refused = await t.http.put('/api/connectors/chaturbate', { token: c.token, body: { eventsUrl: `${c.eventsUrl}extra/`, centsPerToken: 0 } });
    expect(refused.status).toBe(400);

    fake.revoke(c.username);
    fake.push(c.username, cb.tip('fan', 8));
    await expect.poll(async () => (await c.status()).state).toBe('broken');
    const status = await c.status();
    expect(status.errors).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(status)).not.toContain(c.secret);
    expect(JSON.stringify(refused.body)).not.toContain(c.secret);

    expect((await t.http.post(`/api/sessions/${sessionId}/end`, { token: c.token })).status).toBe(200);
    await t.drain();
    // The paths that could leak were taken, and logged.
    const logged = lines.join('\n');
    expect(logged).toContain('chaturbate poll failed');
    expect(logged).toContain('ECONNREFUSED');
    expect(logged).toContain('refused the token');
    expect(lines.filter((line) => line.includes(c.secret))).toEqual([]);
  });
});
