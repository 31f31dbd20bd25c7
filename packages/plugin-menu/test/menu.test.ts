import { randomUUID } from 'node:crypto';
import { animationsPlugin, type AnimationTrigger } from '@streaming-companion/plugin-animations';
import { goalsPlugin, type GoalProgress } from '@streaming-companion/plugin-goals';
import { tipsPlugin } from '@streaming-companion/plugin-tips';
import { definePlugin, type DomainEvent } from '@streaming-companion/sdk';
import { nextEvent, startTestKernel, type TestKernel, type TestResponse, type TestSocket } from '@streaming-companion/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { menuEvents, menuPlugin, type MenuItemDto } from '../src/index.ts';

type Purchased = DomainEvent<typeof menuEvents.domain['streaming.menu_item.purchased']>;
const purchasedEvents: Purchased[] = [];
/** Stands where the TTS plugin will: it hears every purchase, with its item's TTS text. */
const listener = definePlugin({
  id: 'menu-listener',
  version: '0.0.0',
  engine: '*',
  deps: { menuEvents },
  setup(ctx, { menuEvents }) {
    ctx.events.on(menuEvents.domain['streaming.menu_item.purchased'], (event) => void purchasedEvents.push(event));
  },
});

let t: TestKernel;
beforeAll(async () => {
  t = await startTestKernel({
    plugins: [tipsPlugin, goalsPlugin, animationsPlugin, menuPlugin, listener],
    pluginConfig: { animations: { cooldownMs: 0, maxConcurrent: 10 } },
  });
});
afterAll(() => t?.stop());

function expectProblem(res: TestResponse, status: number, field?: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  if (field) expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
}

async function creator() {
  const { token, creator } = await t.createCreator();
  const add = async (body: object): Promise<MenuItemDto> => {
    const res = await t.http.post('/api/menu', { token, body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const menu = async (): Promise<MenuItemDto[]> => (await t.http.get('/api/menu', { token })).body.items;
  return { token, creatorId: creator.id, add, menu };
}

/** A creator live, with an overlay on the session collecting what it is sent. */
async function live() {
  const c = await creator();
  const sessionId: string = (await t.http.post('/api/sessions', { token: c.token, body: { platform: 'chaturbate' } })).body.id;
  await t.drain();
  // Joined by key, as OBS pages are: it follows the creator's live session and the creator's menu.
  const { overlayKey } = (await t.http.get('/api/overlay-key', { token: c.token })).body;
  const overlay = await t.overlaySocket();
  expect((await overlay.emitWithAck('join_overlay', { overlayKey })).ok).toBe(true);
  const tip = async (body: object) => {
    const res = await t.http.post('/api/tips', { token: c.token, body: { sessionId, ...body } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    await t.drain();
    return res.body as { id: string };
  };
  return { ...c, sessionId, overlay, tip };
}

const titles = (items: Array<{ title: string }>) => items.map((i) => i.title);

describe('menu routes', () => {
  it('add items at the end, list them in order, edit, toggle, reorder and delete them, keeping the order 0…n-1', async () => {
    const c = await creator();
    const flash = await c.add({ title: 'Flash', priceCents: 500, emoji: '📸', category: 'performance' });
    expect(flash).toEqual({
      id: expect.any(String),
      title: 'Flash',
      description: null,
      priceCents: 500,
      priceTokens: null,
      category: 'performance',
      active: true,
      order: 0,
      emoji: '📸',
      actions: {},
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const dance = await c.add({ title: 'Dance', priceCents: 1_000, priceTokens: 200, description: 'one song', category: 'request', actions: { goalBonusCents: 100 } });
    const song = await c.add({ title: 'Song', priceCents: 1_500 });
    expect(dance).toMatchObject({ order: 1, priceTokens: 200, description: 'one song', actions: { goalBonusCents: 100 } });
    expect(titles(await c.menu())).toEqual(['Flash', 'Dance', 'Song']);

    const edited = await t.http.patch(`/api/menu/${dance.id}`, { token: c.token, body: { title: 'Slow dance', description: '', priceTokens: null } });
    expect(edited).toMatchObject({ status: 200, body: { title: 'Slow dance', description: null, priceTokens: null } });
    const toggled = await t.http.post(`/api/menu/${flash.id}/toggle`, { token: c.token });
    expect(toggled).toMatchObject({ status: 200, body: { active: false } });

    const reordered = await t.http.post('/api/menu/reorder', { token: c.token, body: { ids: [song.id, flash.id, dance.id] } });
    expect(reordered.status).toBe(200);
    expect(reordered.body.items.map((i: MenuItemDto) => [i.title, i.order])).toEqual([
      ['Song', 0],
      ['Flash', 1],
      ['Slow dance', 2],
    ]);
    expect((await t.http.delete(`/api/menu/${flash.id}`, { token: c.token })).status).toBe(204);
    expect((await c.menu()).map((i) => [i.title, i.order])).toEqual([
      ['Song', 0],
      ['Slow dance', 1],
    ]);
  });

  it('refuse bad input with a problem naming the field, and write nothing', async () => {
    const c = await creator();
    await c.add({ title: 'Kept', priceCents: 100 });
    expectProblem(await t.http.post('/api/menu', { token: c.token, body: { title: 'Free', priceCents: 0 } }), 400, 'body.priceCents');
    expectProblem(await t.http.post('/api/menu', { token: c.token, body: { title: 'Negative', priceCents: -500 } }), 400, 'body.priceCents');
    expectProblem(await t.http.post('/api/menu', { token: c.token, body: { title: 'Odd', priceCents: 100, category: 'striptease' } }), 400, 'body.category');
    expectProblem(await t.http.post('/api/menu', { token: c.token, body: { title: 'x'.repeat(10_000), priceCents: 100 } }), 400, 'body.title');
    expectProblem(await t.http.post('/api/menu', { token: c.token, body: { title: 'Tokens', priceCents: 100, priceTokens: 0 } }), 400, 'body.priceTokens');
    expectProblem(
      await t.http.post('/api/menu', { token: c.token, body: { title: 'Bad action', priceCents: 100, actions: { animation: { type: 'custom', url: 'javascript:alert(1)' } } } }),
      400,
      'body.actions.animation.url',
    );
    const [kept] = await c.menu();
    expectProblem(await t.http.patch(`/api/menu/${kept!.id}`, { token: c.token, body: {} }), 400);
    expectProblem(await t.http.post('/api/menu/reorder', { token: c.token, body: { ids: [kept!.id, kept!.id] } }), 422, 'ids');
    expect(titles(await c.menu())).toEqual(['Kept']);
    expect((await t.http.get('/api/menu')).status).toBe(401);
  });

  it("treat another creator's item as missing on every route, and change nothing", async () => {
    const owner = await creator();
    const item = await owner.add({ title: 'Mine', priceCents: 100 });
    const other = await creator();
    expectProblem(await t.http.patch(`/api/menu/${item.id}`, { token: other.token, body: { title: 'Stolen' } }), 404);
    expectProblem(await t.http.post(`/api/menu/${item.id}/toggle`, { token: other.token }), 404);
    expectProblem(await t.http.delete(`/api/menu/${item.id}`, { token: other.token }), 404);
    expectProblem(await t.http.post('/api/menu/reorder', { token: other.token, body: { ids: [item.id] } }), 422, 'ids');
    expect(await other.menu()).toEqual([]);
    expect(await owner.menu()).toEqual([item]);
  });
});

describe('the public menu', () => {
  it('shows anyone the active items in order, with caching headers, and 304 for what they already have', async () => {
    const c = await creator();
    await c.add({ title: 'Flash', priceCents: 500, actions: { ttsTemplate: 'secret note' } });
    const hidden = await c.add({ title: 'Hidden', priceCents: 600 });
    await c.add({ title: 'Dance', priceCents: 1_000 });
    await t.http.post(`/api/menu/${hidden.id}/toggle`, { token: c.token });
    const other = await creator();
    await other.add({ title: 'Not hers', priceCents: 100 });

    const menu = await t.http.get(`/api/menu/public/${c.creatorId}`);
    expect(menu.status).toBe(200);
    expect(menu.body).toMatchObject({ creatorId: c.creatorId, displayName: expect.any(String) });
    expect(titles(menu.body.items)).toEqual(['Flash', 'Dance']);
    expect(menu.body.items[0]).not.toHaveProperty('actions');
    expect(menu.headers.get('cache-control')).toBe('public, max-age=15');
    const etag = menu.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"/);

    const again = await t.http.get(`/api/menu/public/${c.creatorId}`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
    await t.http.post(`/api/menu/${hidden.id}/toggle`, { token: c.token });
    const changed = await t.http.get(`/api/menu/public/${c.creatorId}`, { headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(titles(changed.body.items)).toEqual(['Flash', 'Hidden', 'Dance']);
  });

  it('is a 404 for a creator nobody is, and empty for one without a menu', async () => {
    expectProblem(await t.http.get(`/api/menu/public/${randomUUID()}`), 404);
    expectProblem(await t.http.get('/api/menu/public/not-a-uuid'), 400, 'params.creatorId');
    const quiet = await creator();
    expect((await t.http.get(`/api/menu/public/${quiet.creatorId}`)).body.items).toEqual([]);
  });

  it('is rate-limited per address', async () => {
    const limited = await startTestKernel({ plugins: [tipsPlugin, menuPlugin], pluginConfig: { menu: { publicRequestsPerMinute: 3 } } });
    try {
      const { creator: c } = await limited.createCreator();
      for (let i = 0; i < 3; i++) expect((await limited.http.get(`/api/menu/public/${c.id}`)).status).toBe(200);
      const refused = await limited.http.get(`/api/menu/public/${c.id}`);
      expectProblem(refused, 429);
      expect(refused.body.code).toBe('rate_limited');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await limited.stop();
    }
  });
});

describe('menu_updated', () => {
  it('reaches the overlays of the live session on every change, and an overlay that joins gets the menu at once', async () => {
    const l = await live();
    const updated = nextEvent(l.overlay, menuEvents.socket.menu_updated, { match: (m) => m.items.length === 1 });
    const item = await l.add({ title: 'Flash', priceCents: 500, emoji: '📸' });
    expect(await updated).toEqual({
      creatorId: l.creatorId,
      items: [{ id: item.id, title: 'Flash', description: null, priceCents: 500, priceTokens: null, category: 'performance', emoji: '📸', order: 0 }],
    });
    const emptied = nextEvent(l.overlay, menuEvents.socket.menu_updated, { match: (m) => m.items.length === 0 });
    await t.http.post(`/api/menu/${item.id}/toggle`, { token: l.token });
    expect(await emptied).toEqual({ creatorId: l.creatorId, items: [] });

    await t.http.post(`/api/menu/${item.id}/toggle`, { token: l.token });
    await t.drain();
    const late = await t.overlaySocket();
    const onJoin = nextEvent(late, menuEvents.socket.menu_updated);
    expect((await late.emitWithAck('join_overlay', { sessionId: l.sessionId })).ok).toBe(true);
    expect(titles((await onJoin).items)).toEqual(['Flash']);
  });
});

describe('tips that buy menu items', () => {
  const purchasesOn = (overlay: TestSocket) => {
    const seen: unknown[] = [];
    overlay.on('menu_item_purchased', (p: unknown) => seen.push(p));
    return seen;
  };

  it('link a tip to the item its amount or its message names, once, and announce it on the overlays', async () => {
    const l = await live();
    const seen = purchasesOn(l.overlay);
    const flash = await l.add({ title: 'Flash', priceCents: 500, actions: { ttsTemplate: '{tipperName} wants a flash' } });
    const dance = await l.add({ title: 'Dance', priceCents: 1_000 });
    const song = await l.add({ title: 'Song request', priceCents: 1_000 });

    const byAmount = await l.tip({ amountCents: 500, tipperName: 'Kai', message: 'hi!' });
    const byMessage = await l.tip({ amountCents: 700, tipperName: 'Ro', message: 'Song request' });
    const ambiguous = await l.tip({ amountCents: 1_000 });
    const nothing = await l.tip({ amountCents: 123, message: 'just because' });
    await expect.poll(() => seen.length).toBe(3);
    expect(seen).toEqual([
      { sessionId: l.sessionId, tipId: byAmount.id, itemId: flash.id, title: 'Flash', tipperName: 'Kai' },
      { sessionId: l.sessionId, tipId: byMessage.id, itemId: song.id, title: 'Song request', tipperName: 'Ro' },
      // Two items at 1000: the lower sort order.
      { sessionId: l.sessionId, tipId: ambiguous.id, itemId: dance.id, title: 'Dance', tipperName: null },
    ]);
    const mine = purchasedEvents.filter((e) => e.payload.sessionId === l.sessionId);
    expect(mine.map((e) => [e.payload.tipId, e.payload.matchedBy, e.payload.ttsTemplate])).toEqual([
      [byAmount.id, 'amount', '{tipperName} wants a flash'],
      [byMessage.id, 'message', null],
      [ambiguous.id, 'amount', null],
    ]);
    expect(mine.some((e) => e.payload.tipId === nothing.id)).toBe(false);

    // A redelivered tip event buys nothing twice.
    const [row] = await t.kernel.forkEm().execute<Array<{ id: string; payload: Record<string, unknown>; created_at: Date }>>(
      `select id, payload, created_at from core_outbox_events where name = 'streaming.tip.received' and payload->>'tipId' = ?`,
      [byAmount.id],
    );
    const event = { id: row!.id, name: 'streaming.tip.received', payload: row!.payload, occurredAt: new Date(row!.created_at).toISOString() };
    await t.kernel.jobs.enqueue('events.menu.match-item', event, { jobId: `again-${row!.id}` });
    await t.drain();
    const sales = await t.http.get(`/api/menu/sales?sessionId=${l.sessionId}`, { token: l.token });
    expect(sales.body.items).toEqual([
      { itemId: expect.any(String), title: expect.any(String), count: 1, revenueCents: expect.any(Number) },
      { itemId: expect.any(String), title: expect.any(String), count: 1, revenueCents: expect.any(Number) },
      { itemId: expect.any(String), title: expect.any(String), count: 1, revenueCents: expect.any(Number) },
    ]);
    expect(Object.fromEntries(sales.body.items.map((s: { title: string; revenueCents: number }) => [s.title, s.revenueCents]))).toEqual({
      Flash: 500,
      'Song request': 700,
      Dance: 1_000,
    });
  });

  it('match token tips by their tokens, and never an inactive item', async () => {
    const l = await live();
    const seen = purchasesOn(l.overlay);
    const wheel = await l.add({ title: 'Spin the wheel', priceCents: 330, priceTokens: 66 });
    const off = await l.add({ title: 'Oil show', priceCents: 700 });
    await t.http.post(`/api/menu/${off.id}/toggle`, { token: l.token });
    await l.tip({ tokens: 66 });
    await l.tip({ amountCents: 700, message: 'Oil show' });
    await expect.poll(() => seen.length).toBe(1);
    expect(seen[0]).toMatchObject({ itemId: wheel.id });
  });

  it("play the item's animation and add its goal bonus", async () => {
    const l = await live();
    await t.http.post('/api/goals', { token: l.token, body: { sessionId: l.sessionId, title: 'Outfit', targetCents: 10_000 } });
    await l.add({ title: 'Party', priceCents: 2_000, actions: { animation: { type: 'confetti', intensity: 9 }, goalBonusCents: 500 } });
    await t.drain();
    const animation = nextEvent<AnimationTrigger>(l.overlay, 'animation_trigger');
    const goal = nextEvent<GoalProgress>(l.overlay, 'goal_progress', { match: (g) => g.currentCents === 2_500 });
    const tip = await l.tip({ amountCents: 2_000, message: 'Party' });
    expect(await animation).toEqual({ sessionId: l.sessionId, type: 'confetti', metadata: { intensity: 9, source: 'menu', tipId: tip.id } });
    expect(await goal).toMatchObject({ title: 'Outfit', currentCents: 2_500, percentage: 25 });
  });

  it("leave out a voided tip's purchase, and take its goal bonus back out with the tip", async () => {
    const l = await live();
    await t.http.post('/api/goals', { token: l.token, body: { sessionId: l.sessionId, title: 'Outfit', targetCents: 10_000 } });
    const party = await l.add({ title: 'Party', priceCents: 2_000, actions: { goalBonusCents: 500 } });
    await l.tip({ amountCents: 2_000, message: 'Party' });
    const mistaken = await l.tip({ amountCents: 2_000, message: 'Party' });
    await t.drain();
    const sales = async () => (await t.http.get(`/api/menu/sales?sessionId=${l.sessionId}`, { token: l.token })).body.items;
    expect(await sales()).toEqual([{ itemId: party.id, title: 'Party', count: 2, revenueCents: 4_000 }]);

    const goal = nextEvent<GoalProgress>(l.overlay, 'goal_progress', { match: (g) => g.currentCents === 2_500 });
    expect((await t.http.post(`/api/tips/${mistaken.id}/void`, { token: l.token, body: { reason: 'typo' } })).status).toBe(200);
    expect(await goal).toMatchObject({ title: 'Outfit', currentCents: 2_500 });
    await t.drain();
    expect(await sales()).toEqual([{ itemId: party.id, title: 'Party', count: 1, revenueCents: 2_000 }]);
  });

  it('answer sales only for your own session', async () => {
    const l = await live();
    const other = await creator();
    expectProblem(await t.http.get(`/api/menu/sales?sessionId=${l.sessionId}`, { token: other.token }), 404, 'sessionId');
    expect((await t.http.get(`/api/menu/sales?sessionId=${l.sessionId}`, { token: l.token })).body).toEqual({ items: [] });
  });
});

describe('the menu tables', () => {
  it('match the entities once migrated (the schema diff is empty)', async () => {
    expect(await t.schemaDiff()).toBe('');
  });
});
