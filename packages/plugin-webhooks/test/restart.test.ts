import { tipsPlugin } from '@streaming-companion/plugin-tips';
import { verifyWebhook } from '@streaming-companion/sdk/webhooks';
import { createManualClock, startTestKernel, type TestKernel } from '@streaming-companion/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhooksPlugin, type WebhookDeliveryDto } from '../src/index.ts';
import { TestReceiver } from './support/receiver.ts';

const RETRY_DELAY_MS = 60_000;

/**
 * The server stops while a delivery waits for its retry, and starts again on the same database.
 * Without Redis (forced here) the queued retry died with the process: the sweep finds the
 * delivery due and sends it. Needs PostgreSQL (embedded PGlite lives and dies with its kernel).
 * `holder` only keeps the test database for the two instances that take turns.
 */
describe.skipIf(!process.env.DATABASE_URL)('a restart', () => {
  const clock = createManualClock();
  let receiver: TestReceiver;
  let holder: TestKernel;
  const kernels: TestKernel[] = [];
  const instance = async () => {
    const k = await startTestKernel({
      plugins: [tipsPlugin, webhooksPlugin],
      pluginConfig: { webhooks: { allowPrivateNetworks: true, retryDelaysMs: [RETRY_DELAY_MS], retryJitter: 0, sweepEveryMs: 100 } },
      shareWith: holder,
      redisUrl: '',
      clock,
    });
    kernels.push(k);
    return k;
  };

  beforeAll(async () => {
    receiver = await TestReceiver.start();
    holder = await startTestKernel({ plugins: [tipsPlugin], redisUrl: '' });
  });
  afterAll(async () => {
    for (const k of kernels) await k.stop();
    await holder?.stop();
    await receiver?.close();
  });

  it('loses no retry: the next instance sends it once it is due', async () => {
    const first = await instance();
    const { token } = await first.createCreator();
    const created = await first.http.post('/api/webhooks', { token, body: { url: receiver.url('restart'), events: ['streaming.tip.received'] } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const { id, secret } = created.body;
    const deliveries = async (k: TestKernel): Promise<WebhookDeliveryDto[]> => (await k.http.get(`/api/webhooks/${id}/deliveries`, { token })).body.items;

    receiver.answer('restart', 500);
    const sessionId = (await first.http.post('/api/sessions', { token, body: { platform: 'other' } })).body.id;
    expect((await first.http.post('/api/tips', { token, body: { sessionId, amountCents: 300 } })).status).toBe(201);
    await expect.poll(async () => (await deliveries(first))[0]?.lastResponseStatus).toBe(500);
    expect((await deliveries(first))[0]).toMatchObject({ status: 'pending', attempts: 1 });
    await first.stop();

    const second = await instance();
    // Not due yet: the sweep leaves it.
    await second.drain();
    expect(receiver.to('restart')).toHaveLength(1);
    clock.advance(RETRY_DELAY_MS + 1_000);
    await expect.poll(async () => (await deliveries(second))[0]?.status).toBe('delivered');
    expect((await deliveries(second))[0]).toMatchObject({ attempts: 2, lastResponseStatus: 200 });
    const requests = receiver.to('restart');
    expect(requests).toHaveLength(2);
    expect(verifyWebhook({ secret, headers: requests[1]!.headers, body: requests[1]!.body, now: clock.now() }).id).toBe(requests[0]!.headers['webhook-id']);
  });
});
