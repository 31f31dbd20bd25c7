import { definePlugin } from '@streaming-companion/sdk';
import { nextEvent, startTestKernel, type TestKernel } from '@streaming-companion/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { starterKitEvents, starterKitPlugin, type Highlight } from '../src/index.ts';

/** What another plugin building on this one would do: subscribe to its domain event. */
const marked: Array<{ creatorId: string; highlight: Highlight }> = [];
const subscriber = definePlugin({
  id: 'test-subscriber',
  version: '0.0.0',
  engine: '*',
  deps: { starterKit: starterKitEvents },
  setup(ctx, { starterKit }) {
    ctx.events.on(starterKit.domain['starter-kit.highlight.marked'], ({ payload }) => {
      marked.push(payload);
    });
  },
});

let t: TestKernel;
beforeAll(async () => {
  // A real kernel (routes, outbox, jobs, sockets) on an embedded database, or on the PostgreSQL and Redis in DATABASE_URL / REDIS_URL.
  t = await startTestKernel({ plugins: [starterKitPlugin, subscriber], pluginConfig: { 'starter-kit': { streamStartLabel: 'Going live' } } });
});
afterAll(() => t?.stop());

/** A new creator with a live session. */
async function liveCreator() {
  const { token, creator } = await t.createCreator();
  const started = await t.http.post('/api/sessions', { token, body: { platform: 'chaturbate' } });
  expect(started.status).toBe(201);
  return { token, creatorId: creator.id, sessionId: started.body.id as string };
}

describe('the starter-kit plugin', () => {
  it('marks a highlight through its route, sends it to the creator’s sockets and to subscribing plugins, and lists it', async () => {
    const { token, creatorId, sessionId } = await liveCreator();
    const socket = await t.socket(token);
    const sent = nextEvent(socket, starterKitEvents.socket.starter_kit_highlight_marked, { match: (highlight) => highlight.label === 'First goal' });

    const created = await t.http.post('/api/starter-kit/highlights', { token, body: { sessionId, label: '  First goal ' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ sessionId, label: 'First goal' });
    expect(await sent).toEqual(created.body);

    await t.drain(); // the outbox delivered, every job finished
    expect(marked).toContainEqual({ creatorId, highlight: created.body });
    const listed = await t.http.get(`/api/starter-kit/highlights?sessionId=${sessionId}`, { token });
    expect(listed.status).toBe(200);
    expect(listed.body.items).toContainEqual(created.body);
  });

  it('marks the start of every stream once, through its subscriber and its job', async () => {
    const { token, sessionId } = await liveCreator();
    await t.drain();
    const listed = await t.http.get(`/api/starter-kit/highlights?sessionId=${sessionId}`, { token });
    expect(listed.body.items).toEqual([expect.objectContaining({ sessionId, label: 'Going live' })]);
  });

  it('answers a retry under the same Idempotency-Key with the first highlight', async () => {
    const { token, sessionId } = await liveCreator();
    const request = { token, body: { sessionId, label: 'Encore' }, headers: { 'idempotency-key': 'encore-1' } };
    const first = await t.http.post('/api/starter-kit/highlights', request);
    const retry = await t.http.post('/api/starter-kit/highlights', request);
    expect([first.status, retry.status]).toEqual([201, 200]);
    expect(retry.body).toEqual(first.body);
    await t.drain();
    const labels = (await t.http.get(`/api/starter-kit/highlights?sessionId=${sessionId}`, { token })).body.items.map((h: Highlight) => h.label);
    expect(labels.filter((label: string) => label === 'Encore')).toHaveLength(1);
  });

  it('answers its socket command through the ack', async () => {
    const { token, sessionId } = await liveCreator();
    await t.drain();
    const socket = await t.socket(token);
    expect(await socket.emitWithAck('starter_kit_count_highlights', { sessionId })).toEqual({ ok: true, data: { count: 1 } });
    const refused = await socket.emitWithAck('starter_kit_count_highlights', { sessionId: 'not-a-uuid' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'validation_failed', errors: [{ field: 'sessionId' }] } });
  });

  it('refuses bad input with a problem naming the field, and a request without a token', async () => {
    const { token, sessionId } = await liveCreator();
    const blank = await t.http.post('/api/starter-kit/highlights', { token, body: { sessionId, label: '   ' } });
    expect(blank.status).toBe(400);
    expect(blank.headers.get('content-type')).toContain('application/problem+json');
    expect(blank.body).toMatchObject({ code: 'validation_failed', errors: [{ field: 'body.label' }] });
    expect((await t.http.get(`/api/starter-kit/highlights?sessionId=${sessionId}`)).status).toBe(401);
  });

  it('keeps each creator’s highlights to themselves', async () => {
    const { sessionId } = await liveCreator();
    const other = await t.createCreator();
    const mark = await t.http.post('/api/starter-kit/highlights', { token: other.token, body: { sessionId, label: 'Not mine' } });
    expect(mark).toMatchObject({ status: 404, body: { code: 'session_not_found' } });
    expect((await t.http.get(`/api/starter-kit/highlights?sessionId=${sessionId}`, { token: other.token })).status).toBe(404);
    const socket = await t.socket(other.token);
    expect(await socket.emitWithAck('starter_kit_count_highlights', { sessionId })).toMatchObject({ ok: false, error: { code: 'session_not_found' } });
  });

  it('owns a table that matches its entity once migrated', async () => {
    expect(await t.schemaDiff()).toBe('');
  });
});
