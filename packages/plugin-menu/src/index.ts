export { MenuConfig } from './config.ts';
export * from './contract.ts';
export { TipMenuItemEntity, type TipMenuItem } from './entities/menu-item.ts';
export { MenuPurchaseEntity } from './entities/menu-purchase.ts';
export { matchItem, normalize } from './item-matcher.ts';
export { menuPlugin } from './plugin.ts';
