import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { analyticsPlugin } from '@streaming-companion/plugin-analytics';
import { animationsPlugin } from '@streaming-companion/plugin-animations';
import { chatbotPlugin } from '@streaming-companion/plugin-chatbot';
import { chaturbatePlugin } from '@streaming-companion/plugin-chaturbate';
import { goalsPlugin } from '@streaming-companion/plugin-goals';
import { menuPlugin } from '@streaming-companion/plugin-menu';
import { rehearsalPlugin } from '@streaming-companion/plugin-rehearsal';
import { tipsPlugin } from '@streaming-companion/plugin-tips';
import { ttsPlugin } from '@streaming-companion/plugin-tts';
import { webhooksPlugin } from '@streaming-companion/plugin-webhooks';
import { widgetsPlugin } from '@streaming-companion/plugin-widgets';
import {
  ApiError,
  createClient,
  OVERLAY_PAGES,
  type ConnectionStatus,
  type LiveConnection,
  type ServerToClientEvents,
  type StreamingCompanionClient,
} from '@streaming-companion/client';
import { toSessionUpdate } from '@streaming-companion/sdk';
import { verifyWebhook } from '@streaming-companion/sdk/webhooks';
import { nextEvent, startTestKernel, type TestKernel } from '@streaming-companion/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PASSWORD = 'correct horse battery staple';

let t: TestKernel;
const connections: LiveConnection[] = [];

beforeAll(async () => {
  t = await startTestKernel({
    plugins: [tipsPlugin, goalsPlugin, animationsPlugin, menuPlugin, analyticsPlugin, chaturbatePlugin, rehearsalPlugin, chatbotPlugin, ttsPlugin, widgetsPlugin, webhooksPlugin],
    // A rehearsal's session ends right after its last tip; webhooks may reach a receiver on this machine.
    pluginConfig: { rehearsal: { lingerSeconds: 0 }, webhooks: { allowPrivateNetworks: true } },
  });
});
afterAll(async () => {
  for (const connection of connections) connection.close();
  await t?.stop();
});

const uniqueEmail = (name: string) => `${name.toLowerCase()}-${randomUUID().slice(0, 8)}@example.test`;

/** A client signed up as a fresh creator. */
async function signedUp(displayName = 'Client Test') {
  const client = createClient({ baseUrl: t.url });
  const email = uniqueEmail(displayName.replace(/\W/g, ''));
  const { creator } = await client.auth.signup({ email, password: PASSWORD, displayName });
  return { client, creator, email };
}

/** The promise's rejection, which must be an ApiError. */
async function apiError(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

function connect(client: StreamingCompanionClient): LiveConnection {
  const connection = client.connect();
  connections.push(connection);
  return connection;
}

/** Resolves when the connection reports `status` (at once if it already is). */
function statusReached(connection: LiveConnection, status: ConnectionStatus, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`status "${status}" not reached within ${timeoutMs} ms (now "${connection.status}")`));
    }, timeoutMs);
    const off = connection.onStatus((current) => {
      if (current !== status) return;
      clearTimeout(timer);
      // onStatus reports the current status before it returns `off`: unsubscribe a tick later.
      queueMicrotask(() => off());
      resolve();
    });
  });
}

/** The next `event` delivered through `connection.on` (the next matching one, with `match`). */
function nextThroughOn<E extends keyof ServerToClientEvents>(
  connection: LiveConnection,
  event: E,
  match: (payload: ServerToClientEvents[E]) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<ServerToClientEvents[E]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no "${event}" within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = connection.on(event, (payload) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      off();
      resolve(payload);
    });
  });
}

describe('auth', () => {
  it('signs up (keeping the token), answers me(), and says the server uses local accounts', async () => {
    const client = createClient({ baseUrl: `${t.url}/` });
    expect(client.baseUrl).toBe(t.url);
    expect(client.token).toBeNull();
    expect(await client.auth.mode()).toBe('local');

    const email = uniqueEmail('Ada');
    const signup = await client.auth.signup({ email, password: PASSWORD, displayName: 'Ada' });
    expect(signup.creator).toMatchObject({ email, displayName: 'Ada' });
    expect(client.token).toBe(signup.token);
    expect(await client.auth.me()).toEqual(signup.creator);

    const other = createClient({ baseUrl: t.url });
    const login = await other.auth.login({ email, password: PASSWORD });
    expect(login.creator.id).toBe(signup.creator.id);
    expect(other.token).toBe(login.token);
  });

  it('rejects a wrong password with a 401 ApiError and keeps no token', async () => {
    const { email } = await signedUp('Wrong');
    const client = createClient({ baseUrl: t.url });
    const error = await apiError(client.auth.login({ email, password: 'not the password at all' }));
    expect(error).toMatchObject({ name: 'ApiError', status: 401, code: 'invalid_credentials', unreachable: false });
    expect(error.detail).toBeTruthy();
    expect(error.message).toBe(error.detail);
    expect(client.token).toBeNull();
  });

  it('names every bad signup field at once (400)', async () => {
    const client = createClient({ baseUrl: t.url });
    const error = await apiError(client.auth.signup({ email: 'not-an-email', password: 'short', displayName: 'Bad' }));
    expect(error.status).toBe(400);
    expect(error.code).toBe('validation_failed');
    expect(error.errors.map((e) => e.field).sort()).toEqual(['body.email', 'body.password']);
    expect(error.fieldError('email')).toEqual(expect.any(String));
    expect(error.fieldError('body.email')).toBe(error.fieldError('email'));
    expect(error.fieldError('password')).toBe('must be at least 10 characters');
    expect(error.fieldError('displayName')).toBeUndefined();
  });

  it('rejects calls without a token with 401 unauthorized', async () => {
    const error = await apiError(createClient({ baseUrl: t.url }).auth.me());
    expect(error).toMatchObject({ status: 401, code: 'unauthorized' });
  });
});

describe('sessions', () => {
  it('runs a session from start to end', async () => {
    const { client, creator } = await signedUp('Sessions');
    expect(await client.sessions.active()).toBeNull();

    const session = await client.sessions.start({ platform: 'chaturbate', title: 'Friday', metadata: { room: 'main' } });
    expect(session).toMatchObject({ creatorId: creator.id, platform: 'chaturbate', title: 'Friday', status: 'active', metadata: { room: 'main' } });
    expect(await client.sessions.active()).toEqual(session);

    const conflict = await apiError(client.sessions.start({ platform: 'stripchat' }));
    expect(conflict).toMatchObject({ status: 409, code: 'session_already_active' });
    expect(conflict.extra.activeSessionId).toBe(session.id);

    const renamed = await client.sessions.update(session.id, { title: 'Friday night' });
    expect(renamed).toMatchObject({ id: session.id, title: 'Friday night' });
    expect(await client.sessions.get(session.id)).toMatchObject({ title: 'Friday night' });

    const first = await client.sessions.addNote(session.id, 'lights too bright');
    await client.sessions.addNote(session.id, 'ask about the poll');
    expect(first).toMatchObject({ sessionId: session.id, text: 'lights too bright' });
    expect((await client.sessions.notes(session.id)).map((n) => n.text)).toEqual(['lights too bright', 'ask about the poll']);

    await client.tips.record({ sessionId: session.id, amountCents: 700, tipperName: 'Kai' });

    const ended = await client.sessions.end(session.id);
    expect(ended).toMatchObject({ id: session.id, status: 'ended', durationSeconds: expect.any(Number), endedAt: expect.any(String) });
    expect(await client.sessions.end(session.id)).toEqual(ended);
    expect(await client.sessions.active()).toBeNull();

    const page = await client.sessions.list({ status: 'ended' });
    expect(page).toMatchObject({ total: 1, page: 1 });
    expect(page.items).toEqual([
      expect.objectContaining({ id: session.id, status: 'ended', totalTipsCents: 700, tipCount: 1, tipperCount: 1, biggestTipCents: 700 }),
    ]);
    expect((await client.sessions.list({ status: 'active' })).total).toBe(0);
  });

  it("answers 404 for another creator's session", async () => {
    const { client: owner } = await signedUp('Owner');
    const session = await owner.sessions.start({ platform: 'other' });
    const { client: stranger } = await signedUp('Stranger');
    const error = await apiError(stranger.sessions.get(session.id));
    expect(error).toMatchObject({ status: 404, code: 'not_found' });
  });
});

describe('tips', () => {
  it('records once per idempotency key, filters by session and names a bad field', async () => {
    const { client } = await signedUp('Tips');
    const first = await client.sessions.start({ platform: 'chaturbate' });
    const key = randomUUID();
    const input = { sessionId: first.id, amountCents: 500, tipperName: 'Kai', message: 'hi!' };

    const recorded = await client.tips.record(input, { idempotencyKey: key });
    expect(recorded).toMatchObject({
      sessionId: first.id,
      amountCents: 500,
      tipperName: 'Kai',
      message: 'hi!',
      source: 'manual',
      sessionTotals: { totalTipsCents: 500, tipCount: 1, tipperCount: 1, biggestTipCents: 500 },
    });
    const replayed = await client.tips.record(input, { idempotencyKey: key });
    expect(replayed.id).toBe(recorded.id);
    expect(replayed.sessionTotals.tipCount).toBe(1);
    expect((await client.tips.list()).total).toBe(1);

    const reused = await apiError(client.tips.record({ ...input, amountCents: 900 }, { idempotencyKey: key }));
    expect(reused).toMatchObject({ status: 422, code: 'idempotency_key_reused' });

    await client.sessions.end(first.id);
    const second = await client.sessions.start({ platform: 'chaturbate' });
    const later = await client.tips.record({ sessionId: second.id, amountCents: 1_200 });
    await client.tips.record({ sessionId: second.id, tokens: 10, centsPerToken: 5 });

    const all = await client.tips.list();
    expect(all.total).toBe(3);
    expect(all.items.map((tip) => tip.id)).toContain(recorded.id);
    const ofFirst = await client.tips.list({ sessionId: first.id });
    expect(ofFirst.total).toBe(1);
    expect(ofFirst.items.map((tip) => tip.id)).toEqual([recorded.id]);
    const ofSecond = await client.tips.list({ sessionId: second.id, pageSize: 1 });
    expect(ofSecond).toMatchObject({ total: 2, pageSize: 1 });
    expect(ofSecond.items).toHaveLength(1);
    expect((await client.tips.list({ sessionId: second.id, tipperName: 'nobody' })).total).toBe(0);
    expect(later.sessionTotals).toMatchObject({ totalTipsCents: 1_200, tipCount: 1 });

    const bad = await apiError(client.tips.record({ sessionId: second.id, amountCents: 0 }));
    expect(bad.status).toBeGreaterThanOrEqual(400);
    expect(bad.status).toBeLessThan(500);
    expect(bad.code).toBe('validation_failed');
    expect(bad.fieldError('amountCents')).toEqual(expect.any(String));
    expect(bad.fieldError('tipperName')).toBeUndefined();
    expect((await client.tips.list({ sessionId: second.id })).total).toBe(2);

    // Voiding: the tip stays listed, marked, and the totals leave it out; a second void changes nothing.
    const voided = await client.tips.void(later.id, { reason: 'typed 1200 for 12' });
    expect(voided).toMatchObject({ id: later.id, voidReason: 'typed 1200 for 12', sessionTotals: { totalTipsCents: 50, tipCount: 1 } });
    expect(await client.tips.void(later.id, { reason: 'again' })).toEqual(voided);
    expect((await client.tips.list({ sessionId: second.id })).items.find((tip) => tip.id === later.id)?.voidedAt).toBe(voided.voidedAt);
    const blank = await apiError(client.tips.void(later.id, { reason: ' ' }));
    expect(blank.fieldError('reason')).toEqual(expect.any(String));
  });
});

describe('goals', () => {
  it('creates, reorders, edits and removes goals', async () => {
    const { client, creator } = await signedUp('Goals');
    const session = await client.sessions.start({ platform: 'stripchat' });
    const outfit = await client.goals.create({ sessionId: session.id, title: 'Outfit change', targetCents: 5_000, description: 'the red one' });
    const dance = await client.goals.create({ sessionId: session.id, title: 'Dance', targetCents: 2_000 });
    expect(outfit).toMatchObject({ creatorId: creator.id, sessionId: session.id, order: 0, status: 'active', description: 'the red one', currentCents: 0 });
    expect(dance).toMatchObject({ order: 1, status: 'pending', description: null });

    const moved = await client.goals.move(dance.id, 0);
    expect(moved).toMatchObject({ id: dance.id, order: 0, status: 'active' });
    expect((await client.goals.list(session.id)).map((g) => [g.title, g.order, g.status])).toEqual([
      ['Dance', 0, 'active'],
      ['Outfit change', 1, 'pending'],
    ]);

    const edited = await client.goals.update(outfit.id, { title: 'Outfit', targetCents: 6_000, description: null });
    expect(edited).toMatchObject({ id: outfit.id, title: 'Outfit', targetCents: 6_000, description: null, order: 1 });

    expect(await client.goals.remove(dance.id)).toBeUndefined();
    expect(await client.goals.list(session.id)).toEqual([expect.objectContaining({ id: outfit.id, order: 0, status: 'active' })]);

    const gone = await apiError(client.goals.update(dance.id, { title: 'again' }));
    expect(gone.status).toBe(404);
  });
});

describe('menu', () => {
  it('keeps a tip menu: create, list, edit, reorder, toggle, public menu, sales of a session, delete', async () => {
    const { client, creator } = await signedUp('Menu Owner');
    const live = connect(client);
    await statusReached(live, 'connected');

    const announced = nextThroughOn(live, 'menu_updated', (m) => m.items.some((item) => item.title === 'Dance'));
    const dance = await client.menu.create({ title: 'Dance', priceCents: 500, priceTokens: 50, emoji: '💃', actions: { animation: { type: 'hearts' } } });
    expect(dance).toMatchObject({
      title: 'Dance',
      description: null,
      priceCents: 500,
      priceTokens: 50,
      category: 'performance',
      active: true,
      order: 0,
      emoji: '💃',
      actions: { animation: { type: 'hearts', intensity: 5 } },
    });
    expect(await announced).toEqual({ creatorId: creator.id, items: [expect.objectContaining({ id: dance.id, title: 'Dance', priceTokens: 50 })] });
    const flash = await client.menu.create({ title: 'Flash', priceCents: 1_000, category: 'request', actions: { goalBonusCents: 200, ttsTemplate: '{tipperName} bought {title}!' } });
    expect(flash).toMatchObject({ order: 1, category: 'request', priceTokens: null, actions: { goalBonusCents: 200, ttsTemplate: '{tipperName} bought {title}!' } });

    const bad = await apiError(client.menu.create({ title: ' ', priceCents: 0 }));
    expect(bad).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(bad.fieldError('priceCents')).toBe('must be greater than 0');
    expect(bad.fieldError('title')).toBe('must not be empty');
    const badUrl = await apiError(client.menu.create({ title: 'Show', priceCents: 100, actions: { animation: { type: 'custom' } } }));
    expect(badUrl.fieldError('actions.animation.url')).toEqual(expect.any(String));

    const edited = await client.menu.update(flash.id, { title: 'Flash 2', description: 'quick one', emoji: '' });
    expect(edited).toMatchObject({ id: flash.id, title: 'Flash 2', description: 'quick one', emoji: null, priceCents: 1_000 });

    const reordered = await client.menu.reorder([flash.id, dance.id]);
    expect(reordered.map((item) => [item.title, item.order])).toEqual([
      ['Flash 2', 0],
      ['Dance', 1],
    ]);
    const notAll = await apiError(client.menu.reorder([flash.id]));
    expect(notAll.fieldError('ids')).toEqual(expect.any(String));

    expect(await client.menu.toggle(dance.id)).toMatchObject({ id: dance.id, active: false });
    expect((await client.menu.list()).map((item) => [item.title, item.active])).toEqual([
      ['Flash 2', true],
      ['Dance', false],
    ]);

    // Viewers need no sign-in, and see the active items only, without their actions.
    const publicMenu = await createClient({ baseUrl: t.url }).menu.publicMenu(creator.id);
    expect(publicMenu).toEqual({
      creatorId: creator.id,
      displayName: 'Menu Owner',
      items: [{ id: flash.id, title: 'Flash 2', description: 'quick one', priceCents: 1_000, priceTokens: null, category: 'request', emoji: null, order: 0 }],
    });

    // A tip of an item's price buys it: announced to the session, and counted in its sales.
    const session = await client.sessions.start({ platform: 'chaturbate' });
    await live.joinSession(session.id);
    const purchased = nextThroughOn(live, 'menu_item_purchased');
    const tip = await client.tips.record({ sessionId: session.id, amountCents: 1_000, tipperName: 'Kai' });
    expect(await purchased).toEqual({ sessionId: session.id, tipId: tip.id, itemId: flash.id, title: 'Flash 2', tipperName: 'Kai' });
    await t.drain();
    expect(await client.menu.sales(session.id)).toEqual([{ itemId: flash.id, title: 'Flash 2', count: 1, revenueCents: 1_000 }]);

    expect(await client.menu.remove(dance.id)).toBeUndefined();
    expect((await client.menu.list()).map((item) => item.id)).toEqual([flash.id]);
    expect(await apiError(client.menu.toggle(dance.id))).toMatchObject({ status: 404 });
    live.close();
  });
});

describe('animations', () => {
  it('keeps threshold rules and settings, and plays an animation on a live session', async () => {
    const { client } = await signedUp('Animator');

    const rule = await client.animations.rules.create({ minAmountCents: 500, type: 'confetti' });
    expect(rule).toMatchObject({ minAmountCents: 500, type: 'confetti', intensity: 3, url: null, active: true });
    const taken = await apiError(client.animations.rules.create({ minAmountCents: 500, type: 'hearts' }));
    expect(taken).toMatchObject({ status: 409, code: 'threshold_taken' });
    expect(taken.fieldError('minAmountCents')).toEqual(expect.any(String));
    const noUrl = await apiError(client.animations.rules.create({ minAmountCents: 2_000, type: 'custom' }));
    expect(noUrl.fieldError('url')).toEqual(expect.any(String));
    const custom = await client.animations.rules.create({ minAmountCents: 2_000, type: 'custom', url: 'https://cdn.example.com/party.webm', intensity: 9, active: false });

    expect(await client.animations.rules.update(rule.id, { intensity: 8, type: 'rain' })).toMatchObject({ id: rule.id, type: 'rain', intensity: 8 });
    expect((await client.animations.rules.list()).map((r) => [r.minAmountCents, r.type, r.intensity, r.active])).toEqual([
      [500, 'rain', 8, true],
      [2_000, 'custom', 9, false],
    ]);
    expect(await client.animations.rules.remove(custom.id)).toBeUndefined();
    expect((await client.animations.rules.list()).map((r) => r.id)).toEqual([rule.id]);

    const defaults = await client.animations.settings.get();
    expect(defaults).toEqual({ cooldownMs: expect.any(Number), maxConcurrent: expect.any(Number), effectMs: expect.any(Number) });
    const limits = { cooldownMs: 0, maxConcurrent: 5, effectMs: 2_500 };
    expect(await client.animations.settings.set(limits)).toEqual(limits);
    expect(await client.animations.settings.get()).toEqual(limits);
    const outOfRange = await apiError(client.animations.settings.set({ ...limits, maxConcurrent: 0 }));
    expect(outOfRange.fieldError('maxConcurrent')).toEqual(expect.any(String));

    const session = await client.sessions.start({ platform: 'stripchat' });
    const live = connect(client);
    await live.joinSession(session.id);
    const played = nextThroughOn(live, 'animation_trigger');
    expect(await client.animations.trigger({ sessionId: session.id, type: 'hearts', intensity: 7 })).toBe('played');
    expect(await played).toEqual({ sessionId: session.id, type: 'hearts', metadata: { intensity: 7, source: 'manual' } });

    const customPlayed = nextThroughOn(live, 'animation_trigger', (p) => p.type === 'custom');
    expect(await client.animations.trigger({ sessionId: session.id, type: 'custom', url: '/media/party.webm' })).toBe('played');
    expect((await customPlayed).metadata).toMatchObject({ url: '/media/party.webm' });

    const missingUrl = await apiError(client.animations.trigger({ sessionId: session.id, type: 'custom' }));
    expect(missingUrl).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(missingUrl.fieldError('metadata.url')).toEqual(expect.any(String));
    const tooStrong = await apiError(client.animations.trigger({ sessionId: session.id, type: 'rain', intensity: 11 }));
    expect(tooStrong.fieldError('metadata.intensity')).toEqual(expect.any(String));

    await client.sessions.end(session.id);
    expect((await apiError(client.animations.trigger({ sessionId: session.id, type: 'rain' }))).status).toBeGreaterThanOrEqual(400);
    live.close();
  });
});

describe('analytics', () => {
  it("reads a session's summary and top tippers, and streams its CSV", async () => {
    const { client } = await signedUp('Counter');
    const session = await client.sessions.start({ platform: 'chaturbate' });
    await client.tips.record({ sessionId: session.id, amountCents: 500, tipperName: 'Ana', source: 'manual' });
    await client.tips.record({ sessionId: session.id, amountCents: 250, tipperName: 'ana', message: '=1+1', source: 'manual' });
    await client.tips.record({ sessionId: session.id, amountCents: 100, isAnonymous: true, source: 'manual' });
    await client.sessions.end(session.id);
    await t.drain();

    const summary = await client.analytics.summary({ sessionId: session.id });
    expect(summary).toMatchObject({ sessionId: session.id, tipCount: 3, totalCents: 850, medianCents: 250, uniqueTippers: 1, anonymous: { tipCount: 1, totalCents: 100 } });
    expect(summary.tokens).toMatchObject({ centsPerToken: 5, total: 170 });
    const top = await client.analytics.topTippers({ sessionId: session.id, limit: 5 });
    expect(top.items.map((i) => [i.tipperName, i.totalCents, i.anonymous])).toEqual([
      ['ana', 750, false],
      ['Anonymous', 100, true],
    ]);
    const csv = await client.analytics.exportCsv({ sessionId: session.id });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('session_id,session_title,tipped_at,tipper,anonymous,amount_cents,tokens,cents_per_token,source,menu_item');
    expect(lines.slice(1).map((line) => line.split(',').slice(3, 6))).toEqual([
      ['Ana', 'false', '500'],
      ['ana', 'false', '250'],
      ['', 'true', '100'],
    ]);

    const refused = await apiError(client.analytics.summary({ from: '2026-03-02', to: '2026-03-01' }));
    expect(refused).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(refused.fieldError('query.from')).toEqual(expect.any(String));
    expect((await apiError(client.analytics.exportCsv({ tz: 'Nowhere/Land' }))).fieldError('query.tz')).toEqual(expect.any(String));
  });
});

describe('overlay', () => {
  it('reads and rotates the overlay key, and builds the OBS page URLs', async () => {
    const { client } = await signedUp('Overlay');
    const key = await client.overlay.key();
    expect(key).toEqual(expect.any(String));
    expect(await client.overlay.key()).toBe(key);

    const rotated = await client.overlay.rotateKey();
    expect(rotated).not.toBe(key);
    expect(await client.overlay.key()).toBe(rotated);

    const urls = client.overlay.pageUrls(rotated);
    expect(Object.keys(urls).sort()).toEqual([...OVERLAY_PAGES].sort());
    expect(OVERLAY_PAGES).toHaveLength(8);
    for (const page of OVERLAY_PAGES) expect(urls[page]).toBe(`${t.url}/overlay/${page}#key=${encodeURIComponent(rotated)}`);
    expect(client.overlay.pageUrls('k', 'https://obs.example').goal).toBe('https://obs.example/overlay/goal#key=k');
  });
});

describe('API tokens', () => {
  it('creates a token another client signs in with, lists it, and revokes it (REST and socket cut off)', async () => {
    const { client, creator } = await signedUp('Tokens');
    const created = await client.tokens.create('OBS bot');
    expect(created).toMatchObject({ name: 'OBS bot', token: expect.stringMatching(/^scp_/) });

    const bot = createClient({ baseUrl: t.url, token: created.token });
    expect(bot.token).toBe(created.token);
    expect(await bot.auth.me()).toMatchObject({ id: creator.id });

    const listed = await client.tokens.list();
    expect(listed).toEqual([expect.objectContaining({ id: created.id, name: 'OBS bot', prefix: created.prefix })]);
    expect(listed[0]).not.toHaveProperty('token');

    const botLive = connect(bot);
    await statusReached(botLive, 'connected');

    const closed = statusReached(botLive, 'closed');
    expect(await client.tokens.revoke(created.id)).toBeUndefined();
    await closed;

    const refused = await apiError(bot.auth.me());
    expect(refused).toMatchObject({ status: 401, code: 'unauthorized' });
    expect(await client.tokens.list()).toEqual([]);
    expect(await client.auth.me()).toMatchObject({ id: creator.id });
  });
});

describe('live connection', () => {
  it('passes each session broadcast on once, and reports a gap in its sequence so the caller refetches', async () => {
    const { client } = await signedUp('Seq');
    const session = await client.sessions.start({ platform: 'other' });
    const live = connect(client);
    await statusReached(live, 'connected');
    await live.joinSession(session.id);
    await t.drain();

    const viewers: number[] = [];
    const gaps: string[] = [];
    live.on('session_updated', (u) => viewers.push(u.viewerCount));
    live.onGap((sessionId) => gaps.push(sessionId));
    // The server's own broadcast path, with the numbers a redelivery and a loss would produce.
    const send = (viewerCount: number, seq: number) =>
      t.kernel.realtime.send({ sessionId: session.id }, 'session_updated', { ...toSessionUpdate(session), viewerCount }, { sessionId: session.id, seq });
    send(1, 40);
    send(1, 40); // delivered twice
    send(2, 41);
    send(4, 43); // 42 was lost
    await expect.poll(() => viewers).toEqual([1, 2, 4]);
    expect(gaps).toEqual([session.id]);
  });

  it('connects, joins a session and receives tips and goal progress', async () => {
    const { client } = await signedUp('Live');
    const session = await client.sessions.start({ platform: 'chaturbate' });
    const goal = await client.goals.create({ sessionId: session.id, title: 'Dance', targetCents: 2_000 });

    const live = connect(client);
    const seen: ConnectionStatus[] = [];
    live.onStatus((status) => seen.push(status));
    await statusReached(live, 'connected');
    expect(live.status).toBe('connected');
    expect(seen).toEqual(['connecting', 'connected']);

    await live.joinSession(session.id);

    const tipReceived = nextThroughOn(live, 'tip_received');
    const progress = nextEvent(live.socket, 'goal_progress', { match: (p) => p.goalId === goal.id && p.currentCents === 500 });
    const recorded = await client.tips.record({ sessionId: session.id, amountCents: 500, tipperName: 'Kai' }, { idempotencyKey: randomUUID() });
    const { sessionTotals, ...tip } = recorded;
    expect(await tipReceived).toEqual({ sessionId: session.id, tip, sessionTotals });
    expect(sessionTotals).toEqual({ totalTipsCents: 500, tipCount: 1, tipperCount: 1, biggestTipCents: 500 });
    expect(await progress).toEqual({ sessionId: session.id, goalId: goal.id, title: 'Dance', currentCents: 500, targetCents: 2_000, percentage: 25 });

    const overSocket = nextThroughOn(live, 'tip_received', (p) => p.tip.source === 'websocket');
    const added = await live.addTip({ sessionId: session.id, amountCents: 300, tipperName: 'Ro', message: 'from the socket', clientTipId: 'tip-1' });
    expect(added).toMatchObject({
      id: expect.any(String),
      sessionId: session.id,
      amountCents: 300,
      tipperName: 'Ro',
      message: 'from the socket',
      source: 'websocket',
      sessionTotals: { totalTipsCents: 800, tipCount: 2, tipperCount: 2, biggestTipCents: 500 },
    });
    expect((await overSocket).tip.id).toBe(added.id);
    expect((await live.addTip({ sessionId: session.id, amountCents: 300, tipperName: 'Ro', message: 'from the socket', clientTipId: 'tip-1' })).id).toBe(
      added.id,
    );
    expect((await client.tips.list({ sessionId: session.id })).total).toBe(2);

    const refused = await apiError(live.addTip({ sessionId: session.id, amountCents: -5 }));
    expect(refused).toMatchObject({ status: 0, code: 'validation_failed' });
    expect(refused.fieldError('amountCents')).toEqual(expect.any(String));

    await live.updateViewers(session.id, 42);
    expect(await client.sessions.get(session.id)).toMatchObject({ viewerCount: 42, peakViewers: 42 });

    const { client: stranger } = await signedUp('Stranger');
    const strangerSession = await stranger.sessions.start({ platform: 'other' });
    const notYours = await apiError(live.joinSession(strangerSession.id));
    expect(notYours).toMatchObject({ status: 0, code: 'not_found' });

    const closed = statusReached(live, 'closed');
    live.close();
    await closed;
    expect(live.status).toBe('closed');
    expect(live.socket.connected).toBe(false);
    expect(seen.at(-1)).toBe('closed');
  });

  it('stops delivering to a listener once it is unsubscribed, and after leaveSession', async () => {
    const { client } = await signedUp('Unsubscribe');
    const session = await client.sessions.start({ platform: 'stripchat' });
    const live = connect(client);
    await live.joinSession(session.id);
    expect(live.status).toBe('connected');

    const heard: number[] = [];
    const off = live.on('tip_received', (p) => heard.push(p.tip.amountCents));

    const first = nextThroughOn(live, 'tip_received', (p) => p.tip.amountCents === 100);
    await client.tips.record({ sessionId: session.id, amountCents: 100 });
    await first;
    expect(heard).toEqual([100]);

    off();
    const second = nextThroughOn(live, 'tip_received', (p) => p.tip.amountCents === 200);
    await client.tips.record({ sessionId: session.id, amountCents: 200 });
    await second;
    // Both listeners sat on the same socket: the event that reached one was offered to the other.
    expect(heard).toEqual([100]);

    // After leaving, the session's events stop; the next one seen is from a session joined afterwards.
    await live.leaveSession(session.id);
    await client.sessions.end(session.id);
    const next = await client.sessions.start({ platform: 'stripchat' });
    await live.joinSession(next.id);
    const afterLeave = nextThroughOn(live, 'tip_received');
    await client.tips.record({ sessionId: next.id, amountCents: 300 });
    expect((await afterLeave).sessionId).toBe(next.id);
    live.close();
  });

  it('keeps delivering after the connection drops, recovered or joined again', async () => {
    const { client } = await signedUp('Reconnect');
    const session = await client.sessions.start({ platform: 'chaturbate' });
    const live = connect(client);
    live.socket.io.reconnectionDelay(50);
    await live.joinSession(session.id);
    const seen: ConnectionStatus[] = [];
    live.onStatus((status) => seen.push(status));

    /** Cut the transport (as a network drop would), optionally so the server cannot recover the state. */
    const drop = async (recoverable: boolean) => {
      const reconnecting = statusReached(live, 'reconnecting');
      if (!recoverable) (live.socket as unknown as { _pid?: string })._pid = undefined;
      live.socket.io.engine.close();
      await reconnecting;
      await statusReached(live, 'connected');
    };
    const tipArrives = async (amountCents: number) => {
      const received = nextThroughOn(live, 'tip_received', (p) => p.tip.amountCents === amountCents);
      await client.tips.record({ sessionId: session.id, amountCents });
      expect((await received).sessionId).toBe(session.id);
    };

    // The server recovers a connection from the last broadcast it received.
    await tipArrives(100);
    await drop(true);
    expect(live.socket.recovered).toBe(true);
    await tipArrives(101);

    await drop(false);
    expect(live.socket.recovered).toBe(false);
    // 'connected' is reported once the session is joined again: the next tip is not missed.
    await tipArrives(102);
    expect(seen).toEqual(['connected', 'reconnecting', 'connected', 'reconnecting', 'connected']);
    live.close();
  });

  it('never leaves a call hanging: in flight when the connection closes, or made after', async () => {
    const { client } = await signedUp('Hangs');
    const session = await client.sessions.start({ platform: 'other' });
    const live = connect(client);
    await statusReached(live, 'connected');

    const inFlight = live.addTip({ sessionId: session.id, amountCents: 100, clientTipId: 'in-flight' });
    live.close();
    expect(await apiError(inFlight)).toMatchObject({ status: 0, code: 'no_reply' });

    const afterClose = await apiError(live.joinSession(session.id));
    expect(afterClose).toMatchObject({ status: 0, code: 'connection_closed' });
  });

  it('refuses to connect without a token, and closes on a token the server rejects', async () => {
    const anonymous = createClient({ baseUrl: t.url });
    expect(() => anonymous.connect()).toThrow(ApiError);

    const forged = connect(createClient({ baseUrl: t.url, token: 'not-a-real-token' }));
    await statusReached(forged, 'closed');
    expect(forged.socket.connected).toBe(false);
  });
});

describe('an unreachable server', () => {
  it('rejects with an ApiError marked unreachable', async () => {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    expect(port).toBeGreaterThan(0);

    const client = createClient({ baseUrl: `http://127.0.0.1:${port}`, token: 'scp_whatever' });
    const error = await apiError(client.auth.me());
    expect(error).toMatchObject({ status: 0, code: 'unreachable', unreachable: true });
    expect(error.cause).toBeDefined();
    const alsoDown = await apiError(client.sessions.active());
    expect(alsoDown.unreachable).toBe(true);

    // The socket keeps trying; a call made meanwhile gives up after ackTimeoutMs instead of hanging.
    const live = client.connect({ ackTimeoutMs: 300 });
    connections.push(live);
    await statusReached(live, 'reconnecting');
    expect(await apiError(live.joinSession(randomUUID()))).toMatchObject({ status: 0, code: 'no_reply' });
    live.close();
    expect(live.status).toBe('closed');
  });
});

describe('chatbot', () => {
  it('keeps personas and their replies, names a refused field, and tries a chat line with the reasons', async () => {
    const { client } = await signedUp('Chatbot Owner');
    expect(await client.chatbot.personas.list()).toEqual([]);

    const mia = await client.chatbot.personas.create({ name: 'Mia', triggers: [{ type: 'command', command: '!menu' }] });
    expect(mia).toMatchObject({
      name: 'Mia',
      avatarUrl: null,
      enabled: true,
      priority: 0,
      minLevel: 'everyone',
      timer: null,
      llm: null,
      triggers: [{ id: expect.any(String), type: 'command', command: '!menu', minLevel: null }],
      cooldowns: { personaSeconds: expect.any(Number), triggerSeconds: expect.any(Number), senderSeconds: expect.any(Number) },
    });
    const host = await client.chatbot.personas.create({
      name: 'Host',
      priority: 5,
      minLevel: 'fan_club',
      triggers: [{ type: 'keyword', keywords: ['hello'] }],
      cooldowns: { personaSeconds: 0 },
      timer: { everyMinutes: 10, onlyWhenChatActive: true },
    });
    expect((await client.chatbot.personas.list()).map((p) => p.name), 'highest priority first').toEqual(['Host', 'Mia']);
    expect(await client.chatbot.personas.get(mia.id)).toEqual(mia);

    const refused = await apiError(client.chatbot.personas.create({ name: ' ', avatarUrl: 'http://example.com/a.png' }));
    expect(refused).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(refused.fieldError('name')).toBe('must not be empty');
    expect(refused.fieldError('avatarUrl')).toBe('must be an https URL');

    const [command] = mia.triggers;
    const reply = await client.chatbot.templates.create(mia.id, { text: 'Hi {senderName}! Tonight: {menu}', triggerId: command!.id });
    expect(reply).toMatchObject({ personaId: mia.id, text: 'Hi {senderName}! Tonight: {menu}', weight: 1, triggerId: command!.id });
    const unknown = await apiError(client.chatbot.templates.create(mia.id, { text: 'Hello {viewer}' }));
    expect(unknown).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(unknown.errors.map((e) => e.field)).toEqual(['body.text']);
    expect(unknown.fieldError('text')).toMatch(/^unknown variable \{viewer\}/);
    const edited = await client.chatbot.templates.update(mia.id, reply.id, { weight: 3 });
    expect(edited).toMatchObject({ id: reply.id, weight: 3, text: reply.text });
    expect(await client.chatbot.templates.list(mia.id)).toEqual([edited]);

    // A trigger kept by its id keeps its reply; a new one is added beside it.
    const updated = await client.chatbot.personas.update(mia.id, {
      priority: 2,
      triggers: [command!, { type: 'tip', minCents: 500 }],
    });
    expect(updated.triggers).toEqual([command, expect.objectContaining({ type: 'tip', minCents: 500, maxCents: null, id: expect.any(String) })]);
    expect(await client.chatbot.templates.list(mia.id)).toEqual([edited]);

    // {menu} has no value without a menu: the persona matches but has nothing to say, and the reasons say so.
    const silent = await client.chatbot.try({ message: '!menu', senderName: 'Kai' });
    expect(silent).toMatchObject({ answered: false, personaId: null, personaName: null, responseText: null, trigger: null });
    expect(silent.why).toEqual([expect.stringMatching(/^Host .*no trigger matched/), expect.stringMatching(/^Mia .*!menu matched.*\{menu\} has no value/)]);
    await client.menu.create({ title: 'Dance', priceCents: 500 });
    const tried = await client.chatbot.try({ message: '!menu', senderName: 'Kai' });
    expect(tried).toMatchObject({ answered: true, personaId: mia.id, personaName: 'Mia', trigger: { id: command!.id, type: 'command' } });
    expect(tried.responseText).toMatch(/^Hi Kai! Tonight: .*Dance/);
    expect(tried.why).toHaveLength(2);

    // Host answers "hello" only to the fan club.
    expect(await client.chatbot.try({ message: 'hello there' })).toMatchObject({ answered: false, personaId: null, responseText: null });
    expect(await client.chatbot.try({ message: 'hello there', standing: { inFanClub: true } })).toMatchObject({ answered: false, personaName: null });
    await client.chatbot.templates.create(host.id, { text: 'Welcome, {senderName}!' });
    expect(await client.chatbot.try({ message: 'hello there', senderName: 'Ana', standing: { inFanClub: true } })).toMatchObject({
      answered: true,
      personaName: 'Host',
      responseText: 'Welcome, Ana!',
      trigger: { type: 'keyword' },
    });

    expect(await client.chatbot.templates.delete(mia.id, reply.id)).toBeUndefined();
    expect(await client.chatbot.templates.list(mia.id)).toEqual([]);
    expect(await client.chatbot.personas.delete(host.id)).toBeUndefined();
    expect((await apiError(client.chatbot.personas.get(host.id))).status).toBe(404);
    expect((await client.chatbot.personas.list()).map((p) => p.id)).toEqual([mia.id]);
  });

  it("passes a viewer's chat line to the live session's personas, and hears the reply on the connection", async () => {
    const { client } = await signedUp('Chat Relay');
    const persona = await client.chatbot.personas.create({ name: 'Bot', triggers: [{ type: 'command', command: '!hi' }] });
    await client.chatbot.templates.create(persona.id, { text: 'Hello {senderName}' });
    const session = await client.sessions.start({ platform: 'stripchat' });
    const live = connect(client);
    await statusReached(live, 'connected');
    await live.joinSession(session.id);

    const heard = nextThroughOn(live, 'chatbot_response');
    const sent = await live.chatbotMessage({ sessionId: session.id, senderName: '<b>Kai</b>', message: '!hi' });
    const expected = { sessionId: session.id, personaId: persona.id, personaName: 'Bot', avatarUrl: null, responseText: 'Hello <b>Kai</b>', trigger: { id: persona.triggers[0]!.id, type: 'command' } };
    expect(sent).toEqual(expected);
    expect(await heard).toEqual(expected);
    // Nothing fits: no reply.
    expect(await live.chatbotMessage({ sessionId: session.id, senderName: 'Kai', message: 'just chatting' })).toBeNull();
    // A line with nothing visible is refused, naming the field.
    const blank = await apiError(live.chatbotMessage({ sessionId: session.id, senderName: 'Kai', message: '\u200b ' }));
    expect(blank).toMatchObject({ status: 0, code: 'validation_failed' });
    expect(blank.fieldError('message')).toEqual(expect.any(String));

    await client.sessions.end(session.id);
    const ended = await apiError(live.chatbotMessage({ sessionId: session.id, senderName: 'Kai', message: '!hi' }));
    expect(ended.status).toBe(0);
    expect(ended.code).toEqual(expect.any(String));
    live.close();
  });
});

describe('text to speech', () => {
  it('reads and changes the settings, lists voices, previews a line as WAV, and names refused fields', async () => {
    const { client } = await signedUp('Speaker');
    const defaults = await client.tts.settings();
    expect(defaults).toMatchObject({ enabled: false, filterMode: expect.stringMatching(/^(bleep|skip)$/), filterWords: [] });
    const voices = await client.tts.voices();
    expect(voices.length).toBeGreaterThan(0);
    expect(voices[0]).toEqual({ id: expect.any(String), name: expect.any(String), language: expect.any(String) });
    expect(voices.map((v) => v.id)).toContain(defaults.voice);

    const voice = voices.at(-1)!.id;
    const changed = await client.tts.updateSettings({ enabled: true, voice, speed: 200, filterWords: ['pineapple'], filterMode: 'skip' });
    expect(changed).toEqual({ ...defaults, enabled: true, voice, speed: 200, filterWords: ['pineapple'], filterMode: 'skip' });
    expect(await client.tts.settings()).toEqual(changed);

    const refused = await apiError(client.tts.updateSettings({ speed: 10, voice: 'no-such-voice' }));
    expect(refused).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(refused.fieldError('speed')).toEqual(expect.any(String));
    expect(await client.tts.settings(), 'nothing half-saved').toEqual(changed);
    const unknownVoice = await apiError(client.tts.updateSettings({ voice: 'no-such-voice' }));
    expect(unknownVoice.fieldError('voice')).toMatch(/not a voice of this server/);

    const wav = await client.tts.preview({ text: 'Thank you for the tip!', pitch: 60 });
    expect(wav.type).toBe('audio/wav');
    expect(new TextDecoder().decode(new Uint8Array(await wav.arrayBuffer()).slice(0, 4))).toBe('RIFF');
    const skipped = await apiError(client.tts.preview({ text: 'I love pineapple' }));
    expect(skipped).toMatchObject({ status: 422 });
    expect(skipped.fieldError('text')).toMatch(/filtered word/);
  });

  it("skips, mutes and unmutes a live session's speech, telling the session's sockets", async () => {
    const { client } = await signedUp('Muter');
    const session = await client.sessions.start({ platform: 'chaturbate' });
    const live = connect(client);
    await statusReached(live, 'connected');
    await live.joinSession(session.id);
    expect(await client.tts.muteState(session.id)).toEqual({ sessionId: session.id, muted: false });

    const told = (action: string) => nextThroughOn(live, 'tts_control', (control) => control.action === action);
    const muteHeard = told('mute');
    expect(await client.tts.control({ sessionId: session.id, action: 'mute' })).toEqual({ sessionId: session.id, muted: true });
    expect(await muteHeard).toEqual({ sessionId: session.id, action: 'mute' });
    expect(await client.tts.muteState(session.id)).toEqual({ sessionId: session.id, muted: true });

    const skipHeard = told('skip');
    expect(await client.tts.control({ sessionId: session.id, action: 'skip' })).toEqual({ sessionId: session.id, muted: true });
    await skipHeard;
    expect(await client.tts.control({ sessionId: session.id, action: 'unmute' })).toEqual({ sessionId: session.id, muted: false });

    const { client: stranger } = await signedUp('Stranger TTS');
    expect((await apiError(stranger.tts.control({ sessionId: session.id, action: 'mute' }))).status).toBe(404);
    expect(await client.tts.muteState(session.id), "another creator's mute changed nothing").toEqual({ sessionId: session.id, muted: false });
    await client.sessions.end(session.id);
    live.close();
  });
});

describe('connectors', () => {
  it('connects Chaturbate without the URL ever coming back, tells the sockets, names a refused URL, and disconnects', async () => {
    const { client } = await signedUp('Connector');
    expect(await client.connectors.chaturbate.status()).toMatchObject({ platform: 'chaturbate', connected: false, state: 'disconnected', centsPerToken: 5 });
    const refused = await apiError(client.connectors.chaturbate.connect({ eventsUrl: 'https://example.com/events/mia/AbCdEf123456/' }));
    expect(refused).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(refused.fieldError('eventsUrl')).toMatch(/^must be on eventsapi\.chaturbate\.com/);

    // No Chaturbate session is live and automatic sessions are off: saved, and nothing to follow yet.
    const live = connect(client);
    await statusReached(live, 'connected');
    const announced = nextThroughOn(live, 'connector_status', (status) => status.connected);
    const eventsUrl = 'https://eventsapi.chaturbate.com/events/mia_cam/AbCdEf123456/';
    const saved = await client.connectors.chaturbate.connect({ eventsUrl, centsPerToken: 8 });
    expect(saved).toMatchObject({ connected: true, username: 'mia_cam', tokenHint: '…3456', state: 'idle', autoSession: false, centsPerToken: 8 });
    expect(await announced).toEqual(saved);
    expect(JSON.stringify(await client.connectors.chaturbate.status())).not.toContain('AbCdEf123456');

    const gone = nextThroughOn(live, 'connector_status', (status) => !status.connected);
    expect(await client.connectors.chaturbate.disconnect()).toBeUndefined();
    expect(await gone).toMatchObject({ connected: false, state: 'disconnected' });
    expect(await client.connectors.chaturbate.disconnect(), 'idempotent').toBeUndefined();
    live.close();
  });
});

describe('widgets', () => {
  it('saves settings by part, uploads a file as its raw body, refuses it by field, and sends a test alert to the overlays', async () => {
    const { client } = await signedUp('Stylist');
    const defaults = await client.widgets.settings();
    expect(defaults.display).toEqual({ kind: 'currency', currency: 'USD' });

    // A 1×1 PNG, as a Blob (a browser's File) and as bytes.
    const png = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='), (c) => c.charCodeAt(0));
    const image = await client.widgets.media.upload('image', 'heart.png', new Blob([png]), 'image/png');
    expect(image).toMatchObject({ kind: 'image', name: 'heart.png', mediaType: 'image/png', sizeBytes: png.length, url: `/api/widgets/media/${image.id}/file` });
    expect(await client.widgets.media.upload('image', 'again.png', png, 'image/png')).toEqual(image);
    expect(await client.widgets.media.list()).toEqual([image]);
    const wrongType = await apiError(client.widgets.media.upload('image', 'x.svg', new TextEncoder().encode('<svg/>'), 'image/svg+xml'));
    expect(wrongType).toMatchObject({ status: 415 });
    expect(wrongType.fieldError('Content-Type')).toEqual(expect.any(String));

    const saved = await client.widgets.save('alerts', { template: '{name}: {amount}', imageId: image.id, variations: [{ minAmountCents: 1_000, textColor: '#ffd700' }] });
    expect(saved.alerts).toMatchObject({ template: '{name}: {amount}', imageId: image.id, variations: [{ minAmountCents: 1_000, textColor: '#ffd700' }] });
    expect((await client.widgets.save('display', { kind: 'tokens', centsPerToken: 5 })).display).toEqual({ kind: 'tokens', centsPerToken: 5, label: 'tokens' });
    const badColour = await apiError(client.widgets.save('goal', { textColor: 'red' }));
    expect(badColour.fieldError('textColor')).toEqual(expect.any(String));
    const inUse = await apiError(client.widgets.media.remove(image.id));
    expect(inUse).toMatchObject({ status: 409, code: 'media_in_use' });

    const overlay = await t.overlaySocket();
    const styled = nextEvent(overlay, 'widget_settings');
    expect(await overlay.emitWithAck('join_overlay', { overlayKey: await client.overlay.key() })).toMatchObject({ ok: true });
    expect(((await styled) as ServerToClientEvents['widget_settings']).media).toEqual({ [image.id]: image.url });
    const heard = nextEvent(overlay, 'test_alert');
    const alert = await client.widgets.testAlert({ tipperName: 'Kai' });
    expect(alert).toMatchObject({ test: true, tip: { tipperName: 'Kai', amountCents: 500, tokens: 100, centsPerToken: 5 } });
    expect(await heard).toEqual(alert);

    await client.widgets.save('alerts', {});
    await client.widgets.media.remove(image.id);
    expect(await client.widgets.media.list()).toEqual([]);
  });
});

describe('webhooks', () => {
  it('adds an endpoint (its secret once), pings it signed, reads the log, redelivers, rotates, changes and removes it', async () => {
    const bodies: Array<{ headers: Record<string, string | string[] | undefined>; body: string }> = [];
    const receiver = createHttpServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        bodies.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(204).end();
      });
    });
    receiver.listen(0, '127.0.0.1');
    await once(receiver, 'listening');
    const url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hooks`;
    try {
      const { client } = await signedUp('Integrator');
      expect((await client.webhooks.eventTypes()).map((e) => e.type)).toContain('streaming.menu_item.purchased');
      const created = await client.webhooks.create({ url, events: ['streaming.tip.received'], description: 'bot' });
      expect(created).toMatchObject({ url, events: ['streaming.tip.received'], active: true, secret: expect.stringMatching(/^whsec_/) });
      const { secret, ...endpoint } = created;
      expect(await client.webhooks.list()).toEqual([endpoint]);
      expect(await client.webhooks.get(endpoint.id)).toEqual(endpoint);

      const ping = await client.webhooks.test(endpoint.id);
      expect(ping).toMatchObject({ eventType: 'webhook.test', status: 'pending' });
      await expect.poll(async () => (await client.webhooks.deliveries(endpoint.id)).items[0]?.status).toBe('delivered');
      expect(verifyWebhook({ secret, headers: bodies[0]!.headers, body: bodies[0]!.body })).toMatchObject({ type: 'webhook.test', id: ping.eventId });
      expect(await client.webhooks.deliveries(endpoint.id, { status: 'failed' })).toMatchObject({ items: [], total: 0, page: 1 });

      expect(await client.webhooks.redeliver(endpoint.id, ping.id)).toMatchObject({ id: ping.id, status: 'pending' });
      await expect.poll(() => bodies.length).toBe(2);
      const rotated = await client.webhooks.rotateSecret(endpoint.id);
      expect(rotated.secret).not.toBe(secret);
      expect(await client.webhooks.update(endpoint.id, { active: false })).toMatchObject({ active: false });
      expect(await apiError(client.webhooks.test(endpoint.id))).toMatchObject({ status: 409, code: 'endpoint_inactive' });
      const refused = await apiError(client.webhooks.create({ url: 'ftp://example.com/', events: ['streaming.tip.received'] }));
      expect(refused).toMatchObject({ status: 422 });
      expect(refused.fieldError('body.url')).toEqual(expect.any(String));

      await client.webhooks.remove(endpoint.id);
      expect(await client.webhooks.list()).toEqual([]);
      expect(await apiError(client.webhooks.get(endpoint.id))).toMatchObject({ status: 404 });
    } finally {
      receiver.close();
    }
  });
});

describe('rehearsals', () => {
  it('plays simulated tips and a past session to the end, lists and reads them, stops one, and is refused while a session is live', async () => {
    const { client } = await signedUp('Rehearser');
    const live = connect(client);
    await statusReached(live, 'connected');

    const ended = nextThroughOn(live, 'session_updated', (update) => update.status === 'ended');
    const simulated = await client.rehearsals.start({ simulate: { tipCount: 2, durationSeconds: 5, minTokens: 10, maxTokens: 10 }, speed: 5 });
    expect(simulated).toMatchObject({ sourceSessionId: null, speed: 5, tipCount: 2, status: 'playing' });
    expect((await client.sessions.get(simulated.sessionId)).rehearsal).toBe(true);
    expect((await ended).sessionId).toBe(simulated.sessionId);
    expect(await client.rehearsals.get(simulated.id)).toMatchObject({ played: 2, status: 'finished' });

    const real = await client.sessions.start({ platform: 'stripchat', title: 'Real one' });
    const refused = await apiError(client.rehearsals.start({ simulate: { tipCount: 1, durationSeconds: 5 } }));
    expect(refused).toMatchObject({ status: 409, code: 'session_already_active' });
    await client.tips.record({ sessionId: real.id, amountCents: 300, tipperName: 'Ana' });
    await client.sessions.end(real.id);

    const replayEnded = nextThroughOn(live, 'session_updated', (update) => update.status === 'ended' && update.sessionId !== real.id);
    const replay = await client.rehearsals.start({ fromSessionId: real.id, speed: 5 });
    expect(replay).toMatchObject({ sourceSessionId: real.id, speed: 5, tipCount: 1 });
    expect((await replayEnded).sessionId).toBe(replay.sessionId);
    expect(await client.rehearsals.get(replay.id)).toMatchObject({ played: 1, status: 'finished' });

    // An hour of tips at 1×, stopped long before its end (last in the file: its cues stay queued, to find it stopped, until the kernel stops).
    const long = await client.rehearsals.start({ simulate: { tipCount: 5, durationSeconds: 3_600 } });
    expect(long.speed).toBe(1);
    const stopped = await client.rehearsals.stop(long.id);
    expect(stopped).toMatchObject({ id: long.id, status: 'stopped' });
    expect(await client.rehearsals.stop(long.id), 'idempotent').toEqual(stopped);
    expect(await client.sessions.active()).toBeNull();
    expect((await client.rehearsals.list()).map((r) => r.id)).toEqual([long.id, replay.id, simulated.id]);
    expect((await client.rehearsals.list({ limit: 1 })).map((r) => r.id)).toEqual([long.id]);
    live.close();
  });
});
