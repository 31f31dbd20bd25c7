import { defineEntity, p } from '@streaming-companion/sdk';
import { MATCHED_BY } from '../contract.ts';

/** A tip linked to the menu item it bought: one per tip at most. */
export const MenuPurchaseEntity = defineEntity({
  name: 'MenuPurchase',
  tableName: 'menu_purchases',
  properties: {
    tipId: p.uuid().primary(),
    creatorId: p.uuid(),
    sessionId: p.uuid(),
    itemId: p.uuid(),
    /** The item's title when it was bought. */
    title: p.text(),
    amountCents: p.integer(),
    tipperName: p.text().nullable(),
    matchedBy: p.enum(MATCHED_BY),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [{ name: 'menu_purchases_session_idx', properties: ['creatorId', 'sessionId'] }],
});
export type MenuPurchase = InstanceType<typeof MenuPurchaseEntity.class>;
