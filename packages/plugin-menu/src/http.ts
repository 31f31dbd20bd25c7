import { MENU_ITEM_CATEGORIES, notFound, type CreatorsService, type HttpRegistrar, type SessionsService } from '@streaming-companion/sdk';
import { z } from 'zod';
import type { MenuConfig } from './config.ts';
import { ItemSales, MenuItemActions, MenuItemDto, PublicMenuItem } from './contract.ts';
import type { MenuItems } from './menu-items.ts';
import type { Purchases } from './purchases.ts';

const tags = ['menu'];
const IdParams = z.object({ id: z.uuid() });

/** Blank clears it. */
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .transform((text) => text || null);

const ItemFields = {
  title: z.string().trim().min(1, 'must not be empty').max(120, 'must be at most 120 characters'),
  description: optionalText(500).nullable(),
  priceCents: z.int('must be a whole number of cents').positive('must be greater than 0').max(100_000_000),
  priceTokens: z.int('must be a whole number of tokens').positive('must be greater than 0').max(1_000_000).nullable(),
  category: z.enum(MENU_ITEM_CATEGORIES),
  active: z.boolean(),
  emoji: optionalText(16).nullable(),
  actions: MenuItemActions,
};

const CreateItem = z
  .object({
    ...ItemFields,
    description: ItemFields.description.default(null),
    priceTokens: ItemFields.priceTokens.default(null),
    category: ItemFields.category.default('performance'),
    active: ItemFields.active.default(true),
    emoji: ItemFields.emoji.default(null),
    actions: ItemFields.actions.default({}),
  })
  .strict();

const UpdateItem = z
  .object(ItemFields)
  .partial()
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'name at least one field to change');

export interface MenuRouteDependencies {
  items: MenuItems;
  purchases: Purchases;
  sessions: SessionsService;
  creators: CreatorsService;
  config: MenuConfig;
}

/** The spec's `/api/menu` routes, plus reordering and per-item sales: thin adapters over MenuItems and Purchases. */
export function registerMenuRoutes(http: HttpRegistrar, deps: MenuRouteDependencies): void {
  const { items, purchases, sessions, creators, config } = deps;
  const ItemList = z.object({ items: z.array(MenuItemDto) }).meta({ id: 'TipMenu' });

  http.post('/api/menu', { auth: 'creator', tags, summary: 'Add an item to your tip menu (at the end)', status: 201, body: CreateItem, response: MenuItemDto }, (req) =>
    items.create(req.em, req.creator.id, req.body),
  );
  http.get('/api/menu', { auth: 'creator', tags, summary: 'Your tip menu in order, inactive items included', response: ItemList }, async (req) => ({
    items: await items.list(req.em, req.creator.id),
  }));
  http.patch('/api/menu/:id', { auth: 'creator', tags, summary: 'Change a menu item', params: IdParams, body: UpdateItem, response: MenuItemDto }, (req) =>
    items.update(req.em, req.creator.id, req.params.id, req.body),
  );
  http.delete('/api/menu/:id', { auth: 'creator', tags, summary: 'Delete a menu item', params: IdParams, status: 204 }, async (req) => {
    await items.remove(req.em, req.creator.id, req.params.id);
  });
  http.post('/api/menu/:id/toggle', { auth: 'creator', tags, summary: 'Switch a menu item on or off', params: IdParams, response: MenuItemDto }, (req) =>
    items.toggle(req.em, req.creator.id, req.params.id),
  );
  http.post(
    '/api/menu/reorder',
    {
      auth: 'creator',
      tags,
      summary: 'Put your menu in a new order',
      description: '`ids`: every one of your item ids, once, first to last.',
      body: z.object({ ids: z.array(z.uuid()).max(500) }).strict(),
      response: ItemList,
    },
    async (req) => ({ items: await items.reorder(req.em, req.creator.id, req.body.ids) }),
  );
  http.get(
    '/api/menu/sales',
    {
      auth: 'creator',
      tags,
      summary: 'What each menu item sold in one of your sessions',
      query: z.object({ sessionId: z.uuid() }),
      response: z.object({ items: z.array(ItemSales) }).meta({ id: 'MenuSales' }),
    },
    async (req) => {
      await sessions.require(req.em, req.creator.id, req.query.sessionId);
      return { items: await purchases.sales(req.em, req.creator.id, req.query.sessionId) };
    },
  );
  http.get(
    '/api/menu/public/:creatorId',
    {
      auth: 'public',
      tags,
      summary: "A creator's tip menu, for viewers: active items in order",
      params: z.object({ creatorId: z.uuid() }),
      response: z.object({ creatorId: z.uuid(), displayName: z.string(), items: z.array(PublicMenuItem) }).meta({ id: 'PublicMenu' }),
      rateLimit: { requests: config.publicRequestsPerMinute, windowSeconds: 60 },
      etag: true,
      cacheControl: `public, max-age=${config.publicCacheSeconds}`,
    },
    async (req) => {
      const creator = await creators.find(req.em, req.params.creatorId);
      if (!creator) throw notFound('creator');
      return { creatorId: creator.id, displayName: creator.displayName, items: await items.publicMenu(req.em, creator.id) };
    },
  );
}
