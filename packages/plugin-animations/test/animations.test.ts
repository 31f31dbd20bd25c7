import { randomUUID } from 'node:crypto';
import { tipsPlugin } from '@streaming-companion/plugin-tips';
import { createManualClock, nextEvent, startTestKernel, type TestKernel, type TestSocket } from '@streaming-companion/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { animationEvents, animationsPlugin, type AnimationTrigger } from '../src/index.ts';

const clock = createManualClock('2026-12-01T20:00:00Z');
let t: TestKernel;
beforeAll(async () => {
  t = await startTestKernel({ plugins: [tipsPlugin, animationsPlugin], clock });
});
afterAll(() => t?.stop());

/** A creator with a live session and an overlay on it, collecting every animation it plays. */
async function liveStage() {
  const { token } = await t.createCreator();
  const sessionId: string = (await t.http.post('/api/sessions', { token, body: { platform: 'chaturbate' } })).body.id;
  await t.drain();
  const overlay = await t.overlaySocket();
  const played: AnimationTrigger[] = [];
  overlay.on('animation_trigger', (payload: AnimationTrigger) => played.push(payload));
  expect((await overlay.emitWithAck('join_overlay', { sessionId })).ok).toBe(true);
  const control = await t.socket(token);
  let marker = 0;
  return {
    token,
    sessionId,
    overlay,
    played,
    tip: async (amountCents: number) => expect((await t.http.post('/api/tips', { token, body: { sessionId, amountCents } })).status).toBe(201),
    rule: async (body: object) => expect((await t.http.post('/api/animations/rules', { token, body })).status).toBe(201),
    limits: async (body: object) => expect((await t.http.put('/api/animations/settings', { token, body })).status).toBe(200),
    /** Everything delivered so far has reached the overlay (a later broadcast on its connection has). */
    settled: () => settle(control, overlay, sessionId, 1_000 + ++marker),
  };
}

async function settle(control: TestSocket, overlay: TestSocket, sessionId: string, viewerCount: number): Promise<void> {
  await t.drain();
  const seen = nextEvent(overlay, 'session_updated', { match: (u) => u.viewerCount === viewerCount });
  expect((await control.emitWithAck('update_viewers', { sessionId, viewerCount })).ok).toBe(true);
  await t.drain();
  await seen;
}

describe('POST /api/animations/trigger', () => {
  it("plays on the session's overlays at once, custom media included", async () => {
    const stage = await liveStage();
    const response = await t.http.post('/api/animations/trigger', { token: stage.token, body: { sessionId: stage.sessionId, type: 'confetti', metadata: { intensity: 7 } } });
    expect(response).toMatchObject({ status: 200, body: { outcome: 'played' } });
    const custom = await t.http.post('/api/animations/trigger', {
      token: stage.token,
      body: { sessionId: stage.sessionId, type: 'custom', metadata: { url: 'https://cdn.example.com/party.webm' } },
    });
    expect(custom.status).toBe(200);
    await stage.settled();
    expect(stage.played).toEqual([
      { sessionId: stage.sessionId, type: 'confetti', metadata: { intensity: 7, source: 'manual' } },
      { sessionId: stage.sessionId, type: 'custom', metadata: { intensity: 3, source: 'manual', url: 'https://cdn.example.com/party.webm' } },
    ]);
  });

  it.each([
    [{ type: 'fireworks' }, 'body.type'],
    [{ type: 'custom' }, 'body.metadata.url'],
    [{ type: 'custom', metadata: { url: 'javascript:alert(1)' } }, 'body.metadata.url'],
    [{ type: 'custom', metadata: { url: 'data:image/png;base64,AAAA' } }, 'body.metadata.url'],
    [{ type: 'custom', metadata: { url: 'http://plain.example.com/a.gif' } }, 'body.metadata.url'],
    [{ type: 'custom', metadata: { url: '//elsewhere.example.com/a.gif' } }, 'body.metadata.url'],
    [{ type: 'hearts', metadata: { intensity: 11 } }, 'body.metadata.intensity'],
  ])('refuses %o with a 400 naming %s', async (body, field) => {
    const stage = await liveStage();
    const response = await t.http.post('/api/animations/trigger', { token: stage.token, body: { sessionId: stage.sessionId, ...body } });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it("refuses another creator's session (404) and an ended one (409), naming sessionId", async () => {
    const stage = await liveStage();
    const other = await t.createCreator();
    const foreign = await t.http.post('/api/animations/trigger', { token: other.token, body: { sessionId: stage.sessionId, type: 'hearts' } });
    expect(foreign).toMatchObject({ status: 404, body: { code: 'session_not_found', errors: [{ field: 'sessionId' }] } });
    await t.http.post(`/api/sessions/${stage.sessionId}/end`, { token: stage.token });
    const ended = await t.http.post('/api/animations/trigger', { token: stage.token, body: { sessionId: stage.sessionId, type: 'hearts' } });
    expect(ended).toMatchObject({ status: 409, body: { code: 'session_ended' } });
    expect((await t.http.post('/api/animations/trigger', { body: { sessionId: stage.sessionId, type: 'hearts' } })).status).toBe(401);
  });
});

describe('rules', () => {
  it('are created, listed by threshold, changed and deleted; another creator sees none and changes none', async () => {
    const { token } = await t.createCreator();
    const hearts = await t.http.post('/api/animations/rules', { token, body: { minAmountCents: 500, type: 'hearts' } });
    expect(hearts).toMatchObject({ status: 201, body: { minAmountCents: 500, type: 'hearts', intensity: 3, url: null, active: true } });
    const rain = await t.http.post('/api/animations/rules', { token, body: { minAmountCents: 100, type: 'rain', intensity: 2 } });
    expect((await t.http.get('/api/animations/rules', { token })).body.items.map((r: { type: string }) => r.type)).toEqual(['rain', 'hearts']);

    const patched = await t.http.patch(`/api/animations/rules/${rain.body.id}`, { token, body: { intensity: 9, active: false } });
    expect(patched).toMatchObject({ status: 200, body: { intensity: 9, active: false } });
    const taken = await t.http.patch(`/api/animations/rules/${rain.body.id}`, { token, body: { minAmountCents: 500 } });
    expect(taken).toMatchObject({ status: 409, body: { code: 'threshold_taken', errors: [{ field: 'minAmountCents' }] } });

    const other = await t.createCreator();
    expect((await t.http.get('/api/animations/rules', { token: other.token })).body.items).toEqual([]);
    expect((await t.http.patch(`/api/animations/rules/${rain.body.id}`, { token: other.token, body: { intensity: 1 } })).status).toBe(404);
    expect((await t.http.delete(`/api/animations/rules/${rain.body.id}`, { token: other.token })).status).toBe(404);

    expect((await t.http.delete(`/api/animations/rules/${rain.body.id}`, { token })).status).toBe(204);
    expect((await t.http.get('/api/animations/rules', { token })).body.items).toHaveLength(1);
  });

  it.each([
    [{ minAmountCents: 0, type: 'hearts' }, 'body.minAmountCents'],
    [{ minAmountCents: 100, type: 'nope' }, 'body.type'],
    [{ minAmountCents: 100, type: 'custom' }, 'body.url'],
    [{ minAmountCents: 100, type: 'hearts', url: 'https://cdn.example.com/a.gif' }, 'body.url'],
    [{ minAmountCents: 100, type: 'hearts', intensity: 0 }, 'body.intensity'],
  ])('refuse %o naming %s, and write nothing', async (body, field) => {
    const { token } = await t.createCreator();
    const response = await t.http.post('/api/animations/rules', { token, body });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect((await t.http.get('/api/animations/rules', { token })).body.items).toEqual([]);
  });

  it('play the highest threshold a tip reaches, once per tip, and nothing below the lowest', async () => {
    const stage = await liveStage();
    await stage.limits({ cooldownMs: 0, maxConcurrent: 10, effectMs: 1_000 });
    await stage.rule({ minAmountCents: 100, type: 'hearts', intensity: 2 });
    await stage.rule({ minAmountCents: 1_000, type: 'confetti', intensity: 8 });
    await stage.tip(50);
    await stage.tip(300);
    await stage.tip(1_000);
    await stage.settled();
    expect(stage.played.map((p) => [p.type, p.metadata?.intensity, p.metadata?.source])).toEqual([
      ['hearts', 2, 'rule'],
      ['confetti', 8, 'rule'],
    ]);
    expect(stage.played.every((p) => typeof p.metadata?.tipId === 'string')).toBe(true);
  });
});

describe('settings', () => {
  it('answer the defaults until set, and refuse values out of range naming the field', async () => {
    const { token } = await t.createCreator();
    expect((await t.http.get('/api/animations/settings', { token })).body).toEqual({ cooldownMs: 1_500, maxConcurrent: 3, effectMs: 4_000 });
    expect((await t.http.put('/api/animations/settings', { token, body: { cooldownMs: 0, maxConcurrent: 1, effectMs: 500 } })).status).toBe(200);
    expect((await t.http.get('/api/animations/settings', { token })).body).toEqual({ cooldownMs: 0, maxConcurrent: 1, effectMs: 500 });
    const bad = await t.http.put('/api/animations/settings', { token, body: { cooldownMs: -1, maxConcurrent: 0, effectMs: 500 } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['body.cooldownMs', 'body.maxConcurrent']);
  });
});

describe('a burst of tips', () => {
  it('plays the first, merges the rest inside the cooldown into one bigger effect, and plays that when the cooldown ends', async () => {
    const stage = await liveStage();
    await stage.limits({ cooldownMs: 10_000, maxConcurrent: 3, effectMs: 4_000 });
    await stage.rule({ minAmountCents: 100, type: 'hearts', intensity: 3 });
    await stage.rule({ minAmountCents: 500, type: 'confetti', intensity: 4 });
    await stage.tip(100);
    await stage.tip(500);
    await stage.tip(100);
    await stage.settled();
    expect(stage.played.map((p) => p.type)).toEqual(['hearts']);

    const merged = nextEvent(stage.overlay, animationEvents.socket.animation_trigger);
    clock.advance(10_000);
    expect(await merged).toEqual({ sessionId: stage.sessionId, type: 'confetti', metadata: { intensity: 7, merged: 2, source: 'rule' } });
  });

  it('holds back what would exceed the cap on concurrent effects until one ends, merging it', async () => {
    const stage = await liveStage();
    await stage.limits({ cooldownMs: 0, maxConcurrent: 2, effectMs: 60_000 });
    await stage.rule({ minAmountCents: 100, type: 'rain', intensity: 2 });
    for (let i = 0; i < 5; i++) await stage.tip(100);
    await stage.settled();
    expect(stage.played).toHaveLength(2);

    const merged = nextEvent(stage.overlay, animationEvents.socket.animation_trigger);
    clock.advance(60_000);
    expect(await merged).toMatchObject({ type: 'rain', metadata: { intensity: 6, merged: 3 } });
  });
});

describe('the animations tables', () => {
  it('match the entities once migrated (the schema diff is empty)', async () => {
    expect(await t.schemaDiff()).toBe('');
  });

  it('keep no stage for a session nobody animated', async () => {
    const rows = await t.kernel.forkEm().execute(`select session_id from animations_stages where session_id = ?`, [randomUUID()]);
    expect(rows).toEqual([]);
  });
});
