import { nextEvent, startTestKernel, type TestKernel } from '@streaming-companion/sdk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { greeterPlugin } from '../examples/greeter-plugin.ts';

describe('the README example plugin', () => {
  let t: TestKernel;
  beforeAll(async () => {
    t = await startTestKernel({ plugins: [greeterPlugin], pluginConfig: { greeter: { greeting: 'Hello again' } } });
  });
  afterAll(() => t?.stop());

  it('greets the creator on every stream start and counts each start once', async () => {
    const { token } = await t.createCreator({ displayName: 'Mia' });
    const socket = await t.socket(token);

    const greeting = nextEvent<{ responseText: string; personaName: string }>(socket, 'chatbot_response');
    const first = await t.http.post('/api/sessions', { token, body: { platform: 'stripchat' } });
    expect(first.status).toBe(201);
    await t.drain();
    expect(await greeting).toMatchObject({ personaName: 'Greeter', responseText: 'Hello again! This is stream #1.' });

    await t.http.post(`/api/sessions/${first.body.id}/end`, { token });
    await t.http.post('/api/sessions', { token, body: { platform: 'stripchat' } });
    await t.drain();
    expect((await t.http.get('/api/greeter/count', { token })).body).toEqual({ count: 2 });
  });

  it('answers its socket event with an ack, and names the bad field otherwise', async () => {
    const { token } = await t.createCreator({ displayName: 'Ana' });
    const socket = await t.socket(token);
    expect(await socket.emitWithAck('greeter_ping', { name: 'bot' })).toEqual({ ok: true, data: { reply: 'hi bot, from Ana' } });
    const refused = await socket.emitWithAck('greeter_ping', { name: '' });
    expect(refused.ok).toBe(false);
    expect(refused.error.errors[0].field).toBe('name');
  });

  it('keeps its route behind a creator token', async () => {
    const response = await t.http.get('/api/greeter/count');
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });
});
