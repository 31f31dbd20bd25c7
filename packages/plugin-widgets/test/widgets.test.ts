import { request } from 'node:http';
import { analyticsPlugin } from '@streaming-companion/plugin-analytics';
import { goalsPlugin } from '@streaming-companion/plugin-goals';
import { tipsPlugin } from '@streaming-companion/plugin-tips';
import type { PayloadOf } from '@streaming-companion/sdk';
import { nextEvent, startTestKernel, type TestKernel, type TestResponse, type TestSocket } from '@streaming-companion/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WidgetSettings, widgetEvents, widgetsPlugin, type MediaDto, type TestAlert } from '../src/index.ts';
import { GIF, PNG, SVG, wav } from './support/media-fixtures.ts';

const MAX_SOUND = 8_192;
const MAX_IMAGE = 16_384;
const MAX_MEDIA = 4;

let t: TestKernel;
beforeAll(async () => {
  t = await startTestKernel({
    plugins: [tipsPlugin, goalsPlugin, analyticsPlugin, widgetsPlugin],
    pluginConfig: { widgets: { maxSoundBytes: MAX_SOUND, maxImageBytes: MAX_IMAGE, maxMediaPerCreator: MAX_MEDIA } },
  });
});
afterAll(() => t?.stop());

const DEFAULTS = WidgetSettings.parse({});

function expectProblem(res: { status: number; headers: Headers; body: any }, status: number, field?: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  if (field) expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
}

async function creator() {
  const { token, creator } = await t.createCreator();
  const upload = async (kind: string, name: string, bytes: Uint8Array, contentType: string): Promise<TestResponse> => {
    const res = await fetch(`${t.url}/api/widgets/media?kind=${kind}&name=${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
      body: bytes as Uint8Array<ArrayBuffer>,
    });
    return { status: res.status, headers: res.headers, body: await res.json() };
  };
  const uploaded = async (kind: string, name: string, bytes: Uint8Array, contentType: string): Promise<MediaDto> => {
    const res = await upload(kind, name, bytes, contentType);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const save = (part: string, body: unknown) => t.http.put(`/api/widgets/settings/${part}`, { token, body });
  const settings = async (): Promise<WidgetSettings> => (await t.http.get('/api/widgets/settings', { token })).body;
  /** An OBS source: joined by key, as the overlay pages are. */
  const overlayByKey = async (): Promise<{ overlay: TestSocket; joined: WidgetSettingsEventPayload }> => {
    const { overlayKey } = (await t.http.get('/api/overlay-key', { token })).body;
    const overlay = await t.overlaySocket();
    const joined = nextEvent(overlay, widgetEvents.socket.widget_settings);
    expect(await overlay.emitWithAck('join_overlay', { overlayKey })).toMatchObject({ ok: true });
    return { overlay, joined: await joined };
  };
  const goLive = async () => (await t.http.post('/api/sessions', { token, body: { platform: 'chaturbate' } })).body.id as string;
  return { token, creatorId: creator.id, upload, uploaded, save, settings, overlayByKey, goLive };
}

type WidgetSettingsEventPayload = PayloadOf<typeof widgetEvents.socket.widget_settings>;

describe('settings', () => {
  it('are the defaults until saved, round-trip part by part, and a part is replaced whole', async () => {
    const c = await creator();
    expect(await c.settings()).toEqual(DEFAULTS);

    const alerts = { textColor: '#112233', accentColor: '#ff000080', template: '{name} sent {amount}: {message}', minAmountCents: 100, variations: [{ minAmountCents: 5_000, template: 'BIG {amount} from {name}', textColor: '#ffd700' }] };
    const saved = await c.save('alerts', alerts);
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.alerts).toMatchObject({ ...alerts, variations: [{ ...alerts.variations[0], durationMs: 5_000, soundId: null }], fontFamily: 'system' });
    expect(saved.body.goal).toEqual(DEFAULTS.goal);
    expect((await c.save('display', { kind: 'tokens', centsPerToken: 5 })).status).toBe(200);
    expect((await c.save('leaderboard', { title: 'Kings', limit: 3 })).status).toBe(200);

    const read = await c.settings();
    expect(read).toEqual({ ...saved.body, display: { kind: 'tokens', centsPerToken: 5, label: 'tokens' }, leaderboard: { ...DEFAULTS.leaderboard, title: 'Kings', limit: 3 } });
    // Whole: what the new alerts part leaves out is back to its default.
    expect((await c.save('alerts', { template: 'Thanks {name}!' })).body.alerts).toEqual({ ...DEFAULTS.alerts, template: 'Thanks {name}!' });
  });

  it('refuse a bad colour, an unknown template variable, an unknown field or part, naming the field, and write nothing', async () => {
    const c = await creator();
    expectProblem(await c.save('alerts', { textColor: 'red; background: url(x)' }), 400, 'body.textColor');
    expectProblem(await c.save('alerts', { template: 'Hi {name}, {secret}' }), 400, 'body.template');
    expectProblem(await c.save('alerts', { variations: [{ minAmountCents: 100 }, { minAmountCents: 200, template: '{nope}' }] }), 400, 'body.variations.1.template');
    expectProblem(await c.save('alerts', { variations: [{ minAmountCents: 100 }, { minAmountCents: 100 }] }), 400, 'body.variations');
    const unknownField = await c.save('goal', { showReached: true, colour: '#ffffff' });
    expectProblem(unknownField, 400, 'body');
    expect(unknownField.body.detail).toMatch(/colour/);
    expectProblem(await c.save('display', { kind: 'tokens', centsPerToken: 0 }), 400, 'body.centsPerToken');
    expectProblem(await c.save('display', { kind: 'yen' }), 400, 'body.kind');
    expectProblem(await c.save('recent', [{ limit: 3 }]), 400, 'body');
    expectProblem(await c.save('sidebar', {}), 404);
    expectProblem(await t.http.put('/api/widgets/settings/alerts', { body: {} }), 401);
    expect(await c.settings()).toEqual(DEFAULTS);
  });

  it('name only uploads of the creator, of the right kind: another is a 422 naming the field', async () => {
    const c = await creator();
    const sound = await c.uploaded('sound', 'ding.wav', wav(), 'audio/wav');
    const image = await c.uploaded('image', 'heart.png', PNG, 'image/png');
    expectProblem(await c.save('alerts', { soundId: image.id }), 422, 'body.soundId');
    expectProblem(await c.save('alerts', { imageId: sound.id }), 422, 'body.imageId');
    expectProblem(await c.save('alerts', { variations: [{ minAmountCents: 100 }, { minAmountCents: 500, soundId: crypto.randomUUID() }] }), 422, 'body.variations.1.soundId');
    const other = await creator();
    const theirs = await other.uploaded('sound', 'theirs.wav', wav(800, 7), 'audio/wav');
    const refused = await c.save('alerts', { soundId: theirs.id });
    expectProblem(refused, 422, 'body.soundId');
    // As an id of no one's: the same answer.
    expect(refused.body.errors).toEqual((await c.save('alerts', { soundId: crypto.randomUUID() })).body.errors);
    expect(await c.settings()).toEqual(DEFAULTS);

    const saved = await c.save('alerts', { soundId: sound.id, imageId: image.id, variations: [{ minAmountCents: 1_000, soundId: sound.id, imageId: null }] });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.alerts).toMatchObject({ soundId: sound.id, imageId: image.id });
  });

  it('are per creator: another creator reads their own defaults', async () => {
    const a = await creator();
    expect((await a.save('goal', { textColor: '#abcdef' })).status).toBe(200);
    const b = await creator();
    expect(await b.settings()).toEqual(DEFAULTS);
    expect((await a.settings()).goal.textColor).toBe('#abcdef');
  });
});

describe('overlays', () => {
  it('get the settings when they join by key with no live session, and follow a save live', async () => {
    const c = await creator();
    const sound = await c.uploaded('sound', 'ding.wav', wav(), 'audio/wav');
    const { overlay, joined } = await c.overlayByKey();
    expect(joined).toEqual({ creatorId: c.creatorId, settings: DEFAULTS, media: {} });

    const next = nextEvent(overlay, widgetEvents.socket.widget_settings);
    expect((await c.save('alerts', { template: 'Live {name}', soundId: sound.id })).status).toBe(200);
    expect(await next).toMatchObject({ creatorId: c.creatorId, settings: { alerts: { template: 'Live {name}', soundId: sound.id } }, media: { [sound.id]: sound.url } });

    // A reload gets what was saved.
    const again = await c.overlayByKey();
    expect(again.joined.settings.alerts.template).toBe('Live {name}');
  });

  it('joined by key and by session id during a live session each get a save once', async () => {
    const c = await creator();
    const sessionId = await c.goLive();
    const { overlay: byKey } = await c.overlayByKey();
    const bySession = await t.overlaySocket();
    const joined = nextEvent(bySession, widgetEvents.socket.widget_settings);
    expect(await bySession.emitWithAck('join_overlay', { sessionId })).toMatchObject({ ok: true });
    await joined;

    const heard = new Map<TestSocket, string[]>([
      [byKey, []],
      [bySession, []],
    ]);
    for (const [socket, templates] of heard) socket.on(widgetEvents.socket.widget_settings.name, (e: WidgetSettingsEventPayload) => templates.push(e.settings.alerts.template));
    expect((await c.save('alerts', { template: 'first {name}' })).status).toBe(200);
    expect((await c.save('alerts', { template: 'second {name}' })).status).toBe(200);
    // Events of one socket arrive in order: a duplicate of the first would come before the second.
    for (const templates of heard.values()) await expect.poll(() => templates.at(-1)).toBe('second {name}');
    for (const templates of heard.values()) expect(templates).toEqual(['first {name}', 'second {name}']);
  });

  it("never get another creator's settings", async () => {
    const a = await creator();
    const { overlay } = await a.overlayByKey();
    const seen: WidgetSettingsEventPayload[] = [];
    overlay.on(widgetEvents.socket.widget_settings.name, (e: WidgetSettingsEventPayload) => seen.push(e));
    const b = await creator();
    expect((await b.save('alerts', { template: 'B {name}' })).status).toBe(200);
    expect((await a.save('alerts', { template: 'A {name}' })).status).toBe(200);
    await expect.poll(() => seen.length).toBe(1);
    expect(seen[0]!.creatorId).toBe(a.creatorId);
  });
});

describe('uploads', () => {
  it('store a sound and an image, list them, and serve them to anyone by id with their type, for good', async () => {
    const c = await creator();
    const sound = await c.upload('sound', 'Ding dong.wav', wav(), 'audio/x-wav');
    expect(sound.status, JSON.stringify(sound.body)).toBe(201);
    expect(sound.body).toEqual({
      id: expect.any(String),
      kind: 'sound',
      name: 'Ding dong.wav',
      mediaType: 'audio/wav',
      sizeBytes: wav().length,
      url: `/api/widgets/media/${sound.body.id}/file`,
      createdAt: expect.any(String),
    });
    const gif = await c.uploaded('image', 'party.gif', GIF, 'image/gif');
    expect((await t.http.get('/api/widgets/media', { token: c.token })).body.items.map((m: MediaDto) => m.id).sort()).toEqual([sound.body.id, gif.id].sort());

    const served = await fetch(t.url + sound.body.url);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('audio/wav');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(served.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(served.headers.get('content-disposition')).toBe("inline; filename*=UTF-8''Ding%20dong.wav");
    expect(Buffer.from(await served.arrayBuffer()).equals(wav())).toBe(true);
    const image = await fetch(t.url + gif.url);
    expect(image.headers.get('content-type')).toBe('image/gif');
    expect(Buffer.from(await image.arrayBuffer()).equals(GIF)).toBe(true);
    expectProblem(await t.http.get(`/api/widgets/media/${crypto.randomUUID()}/file`), 404);
  });

  it('store a file sent again (a retry) once, answering the first upload', async () => {
    const c = await creator();
    const first = await c.uploaded('image', 'a.png', PNG, 'image/png');
    const again = await c.upload('image', 'b.png', PNG, 'image/png');
    expect(again).toMatchObject({ status: 200, body: first });
    expect((await t.http.get('/api/widgets/media', { token: c.token })).body.items).toEqual([first]);
  });

  it('refuse a Content-Type not taken (415), SVG included, and a kind it does not fit, naming Content-Type', async () => {
    const c = await creator();
    expectProblem(await c.upload('image', 'x.svg', SVG, 'image/svg+xml'), 415, 'Content-Type');
    expectProblem(await c.upload('sound', 'x.txt', Buffer.from('hello'), 'text/plain'), 415, 'Content-Type');
    expectProblem(await c.upload('sound', 'x.json', Buffer.from('{}'), 'application/json'), 415, 'Content-Type');
    expectProblem(await c.upload('sound', 'heart.png', PNG, 'image/png'), 415, 'Content-Type');
    expect((await t.http.get('/api/widgets/media', { token: c.token })).body.items).toEqual([]);
  });

  it('refuse bytes that are not what the Content-Type says (422 naming body): an SVG or a WAV passed off as a PNG; and no bytes at all', async () => {
    const c = await creator();
    expectProblem(await c.upload('image', 'evil.png', SVG, 'image/png'), 422, 'body');
    expectProblem(await c.upload('image', 'sound.png', wav(), 'image/png'), 422, 'body');
    expectProblem(await c.upload('sound', 'image.mp3', GIF, 'audio/mpeg'), 422, 'body');
    expectProblem(await c.upload('sound', 'empty.wav', new Uint8Array(), 'audio/wav'), 400, 'body');
    expect((await t.http.get('/api/widgets/media', { token: c.token })).body.items).toEqual([]);
  });

  it('refuse a file over its kind’s size (413 naming body), also one sent without a length, read only up to the limit', async () => {
    const c = await creator();
    // Over the sound limit, under the image one: refused by the plugin, after reading.
    expectProblem(await c.upload('sound', 'long.wav', wav(MAX_SOUND), 'audio/wav'), 413, 'body');
    // Over every limit, with its length declared: refused unread.
    expectProblem(await c.upload('image', 'huge.png', Buffer.concat([PNG, Buffer.alloc(MAX_IMAGE)]), 'image/png'), 413, 'body');
    // A body that never ends, without a length: answered once the limit is passed.
    const endless = await streamUntilAnswered(c.token, '/api/widgets/media?kind=image&name=endless.png', 'image/png');
    expect(endless.status).toBe(413);
    expect(JSON.parse(endless.body)).toMatchObject({ code: 'body_too_large', errors: [{ field: 'body' }] });
    expect((await t.http.get('/api/widgets/media', { token: c.token })).body.items).toEqual([]);
  });

  it('keep at most the configured count per creator (409 media_limit)', async () => {
    const c = await creator();
    for (let i = 0; i < MAX_MEDIA; i++) await c.uploaded('sound', `s${i}.wav`, wav(100, i), 'audio/wav');
    const over = await c.upload('sound', 'one-more.wav', wav(100, 99), 'audio/wav');
    expectProblem(over, 409);
    expect(over.body.code).toBe('media_limit');
  });

  it('delete one no setting uses; keep one in use (409 naming the setting); another creator’s is missing (404)', async () => {
    const c = await creator();
    const sound = await c.uploaded('sound', 'used.wav', wav(), 'audio/wav');
    const spare = await c.uploaded('image', 'spare.png', PNG, 'image/png');
    expect((await c.save('alerts', { variations: [{ minAmountCents: 2_000, soundId: sound.id }] })).status).toBe(200);

    const inUse = await t.http.delete(`/api/widgets/media/${sound.id}`, { token: c.token });
    expectProblem(inUse, 409, 'alerts.variations.0.soundId');
    expect(inUse.body).toMatchObject({ code: 'media_in_use', settings: ['alerts.variations.0.soundId'] });

    const other = await creator();
    expectProblem(await t.http.delete(`/api/widgets/media/${spare.id}`, { token: other.token }), 404);
    expect((await other.save('alerts', { imageId: spare.id })).status).toBe(422);
    expect((await t.http.get('/api/widgets/media', { token: other.token })).body.items).toEqual([]);

    expect((await t.http.delete(`/api/widgets/media/${spare.id}`, { token: c.token })).status).toBe(204);
    expectProblem(await t.http.delete(`/api/widgets/media/${spare.id}`, { token: c.token }), 404);
    expect((await fetch(t.url + spare.url)).status).toBe(404);
    expect((await t.http.get('/api/widgets/media', { token: c.token })).body.items.map((m: MediaDto) => m.id)).toEqual([sound.id]);
  });
});

describe('test alerts', () => {
  it('reach the overlays marked as a test, and change no total, goal, tip or report', async () => {
    const c = await creator();
    const sessionId = await c.goLive();
    const goal = (await t.http.post('/api/goals', { token: c.token, body: { sessionId, title: 'Goal', targetCents: 10_000 } })).body;
    await t.drain();
    const before = await liveFigures(c.token, sessionId);
    const { overlay } = await c.overlayByKey();

    const heard = nextEvent(overlay, widgetEvents.socket.test_alert);
    const sent = await t.http.post('/api/widgets/test-alert', { token: c.token, body: { amountCents: 2_500, tipperName: ' Fan <b>1</b>\n', message: 'hello' } });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    const alert: TestAlert = sent.body;
    expect(alert).toEqual({
      test: true,
      creatorId: c.creatorId,
      tip: { id: expect.any(String), amountCents: 2_500, tokens: null, centsPerToken: null, tipperName: 'Fan <b>1</b>', message: 'hello', isAnonymous: false, createdAt: expect.any(String) },
    });
    expect(await heard).toEqual(alert);

    await t.drain();
    expect(await liveFigures(c.token, sessionId)).toEqual(before);
    expect(before.goals.map((g: { id: string }) => g.id)).toEqual([goal.id]);
  });

  it('reach a key-joined overlay with no live session, with a sample in the creator’s display unit', async () => {
    const c = await creator();
    expect((await c.save('display', { kind: 'tokens', centsPerToken: 5 })).status).toBe(200);
    const { overlay } = await c.overlayByKey();
    const heard = nextEvent(overlay, widgetEvents.socket.test_alert);
    const sent = await t.http.post('/api/widgets/test-alert', { token: c.token, body: {} });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect(sent.body.tip).toMatchObject({ amountCents: 500, tokens: 100, centsPerToken: 5, tipperName: expect.any(String), message: expect.any(String) });
    expect((await heard).tip.id).toBe(sent.body.tip.id);
    // Each one is a new tip to the overlay.
    const second = await t.http.post('/api/widgets/test-alert', { token: c.token, body: {} });
    expect(second.body.tip.id).not.toBe(sent.body.tip.id);
  });

  it("reach only the creator's overlays", async () => {
    const a = await creator();
    const { overlay } = await a.overlayByKey();
    const seen: TestAlert[] = [];
    overlay.on(widgetEvents.socket.test_alert.name, (e: TestAlert) => seen.push(e));
    const b = await creator();
    expect((await t.http.post('/api/widgets/test-alert', { token: b.token, body: {} })).status).toBe(200);
    expect((await t.http.post('/api/widgets/test-alert', { token: a.token, body: {} })).status).toBe(200);
    await expect.poll(() => seen.length).toBe(1);
    expect(seen[0]!.creatorId).toBe(a.creatorId);
  });

  it('refuse bad input naming the field', async () => {
    const c = await creator();
    expectProblem(await t.http.post('/api/widgets/test-alert', { token: c.token, body: { amountCents: 0 } }), 400, 'body.amountCents');
    expectProblem(await t.http.post('/api/widgets/test-alert', { token: c.token, body: { amountCents: 1.5 } }), 400, 'body.amountCents');
    const unknownField = await t.http.post('/api/widgets/test-alert', { token: c.token, body: { sessionId: crypto.randomUUID() } });
    expectProblem(unknownField, 400, 'body');
    expect(unknownField.body.detail).toMatch(/sessionId/);
  });
});

describe('the API document and the schema', () => {
  it('documents the upload as a raw body of each media type, and the file by its types', async () => {
    const doc = (await t.http.get('/api/docs/openapi.json')).body;
    const upload = doc.paths['/api/widgets/media'].post;
    expect(Object.keys(upload.requestBody.content)).toEqual(expect.arrayContaining(['audio/mpeg', 'audio/wav', 'image/png', 'image/webp']));
    expect(upload.requestBody.content).not.toHaveProperty('image/svg+xml');
    expect(upload.requestBody.content['image/png'].schema).toEqual({ type: 'string', format: 'binary' });
    expect(Object.keys(upload.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '413', '415']));
    expect(upload.parameters.map((p: { name: string }) => p.name)).toEqual(['kind', 'name']);
    const file = doc.paths['/api/widgets/media/{id}/file'].get;
    expect(file.security).toBeUndefined();
    expect(Object.keys(file.responses['200'].content)).toEqual(['audio/mpeg', 'audio/ogg', 'audio/wav', 'audio/webm', 'image/png', 'image/jpeg', 'image/gif', 'image/webp']);
    for (const part of ['display', 'alerts', 'goal', 'recent', 'leaderboard', 'highlights']) expect(doc.paths[`/api/widgets/settings/${part}`].put.requestBody.required).toBe(true);
  });

  it('migrations match the entities (the schema diff is empty)', async () => {
    expect(await t.schemaDiff()).toBe('');
  });
});

/** Everything a tip would move: the session's totals, its tips, its goals, and the report. */
async function liveFigures(token: string, sessionId: string) {
  const session = (await t.http.get(`/api/sessions/${sessionId}`, { token })).body;
  return {
    totals: { totalTipsCents: session.totalTipsCents, tipCount: session.tipCount, tipperCount: session.tipperCount, biggestTipCents: session.biggestTipCents },
    tips: (await t.http.get(`/api/tips?sessionId=${sessionId}`, { token })).body.total,
    goals: (await t.http.get(`/api/goals?sessionId=${sessionId}`, { token })).body.items,
    // Less `to`: a live session's report runs to now.
    report: omitTo((await t.http.get(`/api/analytics/summary?sessionId=${sessionId}`, { token })).body),
  };
}

const omitTo = ({ to: _to, ...rest }: Record<string, unknown>) => rest;

/**
 * POST a body that never ends, chunked (no Content-Length), until the server answers: it must
 * answer once the limit is passed, without waiting for an end that never comes.
 */
function streamUntilAnswered(token: string, path: string, contentType: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, t.url), { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': contentType } });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString('utf8') }));
    });
    // Once answered, the server closes the connection under what is still being written.
    req.on('error', (error) => (answered ? undefined : reject(error)));
    const chunk = Buffer.concat([PNG, Buffer.alloc(4_096 - PNG.length)]);
    const write = () => {
      while (!answered && req.write(chunk));
      if (!answered) req.once('drain', write);
    };
    write();
  });
}
