import { kernelEvents } from '@streaming-companion/sdk';
import { nextEvent, startTestKernel, type TestKernel } from '@streaming-companion/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { greeterEvents, greeterPlugin } from '../src/index.ts';

describe('the greeter example plugin', () => {
  let t: TestKernel;
  beforeAll(async () => {
    t = await startTestKernel({ plugins: [greeterPlugin], pluginConfig: { greeter: { greeting: 'Hello again' } } });
  });
  afterAll(() => t?.stop());

  it('greets the creator on every stream start, once per start', async () => {
    const { token } = await t.createCreator({ displayName: 'Mia' });
    const socket = await t.socket(token);

    const greeting = nextEvent(socket, greeterEvents.socket.greeting);
    const first = await t.http.post('/api/sessions', { token, body: { platform: 'stripchat' } });
    expect(first.status).toBe(201);
    await t.drain(); // the outbox delivered, every job finished
    expect(await greeting).toEqual({ sessionId: first.body.id, text: 'Hello again! This is stream #1.' });

    await t.http.post(`/api/sessions/${first.body.id}/end`, { token });
    const second = await t.http.post('/api/sessions', { token, body: { platform: 'stripchat' } });
    await t.drain();
    expect((await t.http.get('/api/greeter/greetings', { token })).body).toEqual({
      items: [
        { sessionId: first.body.id, text: 'Hello again! This is stream #1.' },
        { sessionId: second.body.id, text: 'Hello again! This is stream #2.' },
      ],
    });
  });

  it('answers its socket command through the ack, and names the bad field otherwise', async () => {
    const { token } = await t.createCreator({ displayName: 'Ana' });
    const socket = await t.socket(token);
    expect(await socket.emitWithAck('greeter_ping', { name: 'bot' })).toEqual({ ok: true, data: { reply: 'hi bot, from Ana' } });
    const refused = await socket.emitWithAck('greeter_ping', { name: '' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'validation_failed', errors: [{ field: 'name' }] } });
  });

  it('keeps its route behind a creator token', async () => {
    const response = await t.http.get('/api/greeter/greetings');
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });

  it('owns tables that match its entity once migrated', async () => {
    expect(await t.schemaDiff()).toBe('');
  });

  it('subscribes to a kernel event without naming the kernel in deps', () => {
    expect(greeterPlugin.dependencies).toEqual([]);
    expect(kernelEvents.domain['streaming.session.started'].owner).toBe('core');
  });
});
