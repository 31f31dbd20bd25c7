import { ANIMATION_TYPES, createServiceRef, defineEvents, MENU_ITEM_CATEGORIES, type EntityManager } from '@streaming-companion/sdk/contracts';
import { AnimationIntensity, MediaUrl } from '@streaming-companion/plugin-animations/contract';
import { z } from 'zod';

export { MENU_ITEM_CATEGORIES, type MenuItemCategory } from '@streaming-companion/sdk/contracts';

/** What buying an item sets off, besides being announced. */
export const MenuItemActions = z
  .object({
    /** Play this animation on the overlays (through the animations plugin's cooldown and cap). */
    animation: z
      .object({ type: z.enum(ANIMATION_TYPES), intensity: AnimationIntensity.default(5), url: MediaUrl.optional() })
      .strict()
      .refine((a) => (a.type === 'custom') === Boolean(a.url), { path: ['url'], message: 'give an https or same-server url for a custom animation, and none for the others' })
      .optional(),
    /** Add this much to the session's active goal (through the goals plugin). */
    goalBonusCents: z.int().positive().max(100_000_000).optional(),
    /**
     * What to speak when it is bought, e.g. `{tipperName} bought {title}!`: carried on
     * `streaming.menu_item.purchased` for the TTS plugin to speak.
     */
    ttsTemplate: z.string().trim().min(1).max(300).optional(),
  })
  .strict();
export type MenuItemActions = z.output<typeof MenuItemActions>;

/** A menu item as its creator sees it (the spec's TipMenuItemEntity). */
export const MenuItemDto = z
  .object({
    id: z.uuid(),
    title: z.string(),
    description: z.string().nullable(),
    priceCents: z.int(),
    /** The price on token platforms, when the creator gave one. */
    priceTokens: z.int().nullable(),
    category: z.enum(MENU_ITEM_CATEGORIES),
    active: z.boolean(),
    /** 0-based position in the creator's menu. */
    order: z.int(),
    emoji: z.string().nullable(),
    actions: MenuItemActions,
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'TipMenuItem' });
export type MenuItemDto = z.output<typeof MenuItemDto>;

/** A menu item as viewers and overlays see it: no actions, no timestamps. */
export const PublicMenuItem = MenuItemDto.pick({ id: true, title: true, description: true, priceCents: true, priceTokens: true, category: true, emoji: true, order: true }).meta({
  id: 'PublicMenuItem',
});
export type PublicMenuItem = z.output<typeof PublicMenuItem>;

/** The spec's `menu_updated { creatorId, items }`: the active items, in order. */
export const MenuUpdated = z.object({ creatorId: z.uuid(), items: z.array(PublicMenuItem) });

/** A tip matched to an item. */
export const MenuItemPurchased = z.object({ sessionId: z.uuid(), tipId: z.uuid(), itemId: z.uuid(), title: z.string(), tipperName: z.string().nullable() });

export const MATCHED_BY = ['message', 'amount'] as const;

export const menuEvents = defineEvents('menu', {
  domain: {
    'streaming.menu_item.purchased': MenuItemPurchased.extend({
      creatorId: z.uuid(),
      amountCents: z.int().positive(),
      matchedBy: z.enum(MATCHED_BY),
      /** The item's `actions.ttsTemplate`, for the TTS plugin. */
      ttsTemplate: z.string().nullable(),
    }),
  },
  socket: { menu_updated: MenuUpdated, menu_item_purchased: MenuItemPurchased },
  overlay: ['menu_updated', 'menu_item_purchased'],
});

/** Sales of one item in one session, for analytics. */
export const ItemSales = z.object({ itemId: z.uuid(), title: z.string(), count: z.int(), revenueCents: z.int() }).meta({ id: 'MenuItemSales' });
export type ItemSales = z.output<typeof ItemSales>;

export interface MenuService {
  /** The creator's active items, in order. */
  publicMenu(em: EntityManager, creatorId: string): Promise<PublicMenuItem[]>;
  /** What each item sold in a session (items that sold nothing are left out). */
  sales(em: EntityManager, creatorId: string, sessionId: string): Promise<ItemSales[]>;
}

/** `deps: { menu: menuServiceRef }`. */
export const menuServiceRef = createServiceRef<MenuService>({ id: 'menu.service', providedBy: 'menu' });
