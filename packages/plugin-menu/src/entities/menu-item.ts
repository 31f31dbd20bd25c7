import { defineEntity, MENU_ITEM_CATEGORIES, p } from '@streaming-companion/sdk';
import type { MenuItemActions } from '../contract.ts';

/** An item of a creator's tip menu (the spec's TipMenuItemEntity). */
export const TipMenuItemEntity = defineEntity({
  name: 'TipMenuItem',
  tableName: 'menu_items',
  properties: {
    id: p.uuid().primary().onCreate(() => crypto.randomUUID()),
    creatorId: p.uuid(),
    title: p.text(),
    description: p.text().nullable(),
    priceCents: p.integer(),
    priceTokens: p.integer().nullable(),
    category: p.enum(MENU_ITEM_CATEGORIES),
    active: p.boolean(),
    /** 0-based position in the creator's menu. */
    order: p.integer().fieldName('sort_order'),
    emoji: p.text().nullable(),
    actions: p.json<MenuItemActions>(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
  indexes: [{ name: 'menu_items_creator_order_idx', properties: ['creatorId', 'order'] }],
  checks: [
    { name: 'menu_items_price_cents_check', expression: 'price_cents > 0' },
    { name: 'menu_items_price_tokens_check', expression: 'price_tokens > 0' },
  ],
});
export type TipMenuItem = InstanceType<typeof TipMenuItemEntity.class>;
