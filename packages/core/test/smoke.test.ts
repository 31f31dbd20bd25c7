import { startTestKernel, nextEvent, type TestKernel } from '@streaming-companion/sdk/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';

let t: TestKernel;
beforeAll(async () => {
  t = await startTestKernel();
});
afterAll(() => t?.stop());

it('starts a session and broadcasts viewer updates', async () => {
  const { token } = await t.createCreator();
  const started = await t.http.post('/api/sessions', { token, body: { platform: 'chaturbate', title: 'Hi' } });
  expect(started.status).toBe(201);
  const socket = await t.socket(token);
  const joined = await socket.emitWithAck('join_session', { sessionId: started.body.id });
  expect(joined.ok).toBe(true);
  const update = nextEvent(socket, 'session_updated');
  const ack = await socket.emitWithAck('update_viewers', { sessionId: started.body.id, viewerCount: 12 });
  expect(ack.ok).toBe(true);
  expect(await update).toMatchObject({ sessionId: started.body.id, viewerCount: 12, peakViewers: 12 });
  await t.drain();
});
