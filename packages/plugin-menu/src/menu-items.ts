import { LockMode, notFound, preparedQuery, Problem, type EntityManager, type Realtime } from '@streaming-companion/sdk';
import { menuEvents, type MenuItemActions, type MenuItemCategory, type MenuItemDto, type PublicMenuItem } from './contract.ts';
import { TipMenuItemEntity, type TipMenuItem } from './entities/menu-item.ts';

export interface ItemInput {
  title: string;
  description: string | null;
  priceCents: number;
  priceTokens: number | null;
  category: MenuItemCategory;
  active: boolean;
  emoji: string | null;
  actions: MenuItemActions;
}

const MENU_ORDER = { order: 'asc', createdAt: 'asc', id: 'asc' } as const;

// Named as the public item's fields, so each row is one as it comes.
const PUBLIC_MENU = `select id, title, description, price_cents as "priceCents", price_tokens as "priceTokens", category, emoji, sort_order as "order"
  from menu_items where creator_id = ? and active order by sort_order, created_at, id`;

/** Whether the creator has an item a tip could buy: asked for every tip, with the other plugins' conditions. */
export const creatorHasActiveItem = {
  sql: 'exists (select 1 from menu_items where creator_id = ? and active)',
  params: ({ payload }: { payload: { creatorId: string } }) => [payload.creatorId],
};

/**
 * A creator's menu. Every change runs in a transaction holding the creator's items, keeps the
 * sort order 0…n-1, and publishes the spec's `menu_updated` with the active items in it, so
 * every socket of the creator (dashboards, overlays) gets the menu as it now is.
 */
export class MenuItems {
  readonly #realtime: Realtime;

  constructor(realtime: Realtime) {
    this.#realtime = realtime;
  }

  async list(em: EntityManager, creatorId: string): Promise<MenuItemDto[]> {
    return (await em.find(TipMenuItemEntity, { creatorId }, { orderBy: MENU_ORDER })).map(toDto);
  }

  /** A prepared statement, not the ORM: every overlay that joins reads the menu. */
  async publicMenu(em: EntityManager, creatorId: string): Promise<PublicMenuItem[]> {
    return preparedQuery<PublicMenuItem>(em, PUBLIC_MENU, [creatorId]);
  }

  async create(em: EntityManager, creatorId: string, input: ItemInput): Promise<MenuItemDto> {
    return toDto(
      await this.#change(em, creatorId, (items, tx) => {
        const item = tx.create(TipMenuItemEntity, { creatorId, ...input, order: items.length });
        items.push(item);
        return item;
      }),
    );
  }

  async update(em: EntityManager, creatorId: string, itemId: string, patch: Partial<ItemInput>): Promise<MenuItemDto> {
    return toDto(await this.#change(em, creatorId, (items, tx) => tx.assign(owned(items, itemId), patch)));
  }

  async toggle(em: EntityManager, creatorId: string, itemId: string): Promise<MenuItemDto> {
    return toDto(
      await this.#change(em, creatorId, (items) => {
        const item = owned(items, itemId);
        item.active = !item.active;
        return item;
      }),
    );
  }

  async remove(em: EntityManager, creatorId: string, itemId: string): Promise<void> {
    await this.#change(em, creatorId, (items, tx) => {
      const item = owned(items, itemId);
      items.splice(items.indexOf(item), 1);
      tx.remove(item);
      return item;
    });
  }

  /** Put the items in this order: every one of the creator's item ids, once. */
  async reorder(em: EntityManager, creatorId: string, ids: string[]): Promise<MenuItemDto[]> {
    let reordered: TipMenuItem[] = [];
    await this.#change(em, creatorId, (items) => {
      const byId = new Map(items.map((item) => [item.id, item]));
      if (ids.length !== items.length || new Set(ids).size !== ids.length || !ids.every((id) => byId.has(id))) {
        throw new Problem(422, 'validation_failed', 'ids: give every one of your menu item ids once, in the new order', {
          errors: [{ field: 'ids', rule: 'permutation', message: 'give every one of your menu item ids once, in the new order' }],
        });
      }
      reordered = ids.map((id) => byId.get(id)!);
      items.splice(0, items.length, ...reordered);
    });
    return reordered.map(toDto);
  }

  /** Lock the creator's items, let `change` edit them (in menu order), renumber, write, and announce the menu. Answers what `change` did. */
  async #change<T>(em: EntityManager, creatorId: string, change: (items: TipMenuItem[], tx: EntityManager) => T): Promise<T> {
    return em.transactional(async (tx) => {
      const items = await tx.find(TipMenuItemEntity, { creatorId }, { orderBy: MENU_ORDER, lockMode: LockMode.PESSIMISTIC_WRITE });
      const changed = change(items, tx);
      items.forEach((item, index) => (item.order = index));
      await tx.flush();
      const menu = items.filter((item) => item.active).map(toPublic);
      await this.#realtime.toCreator(creatorId).publish(tx, menuEvents.socket.menu_updated, { creatorId, items: menu });
      return changed;
    });
  }
}

/** Another creator's item is indistinguishable from a missing one. */
function owned(items: TipMenuItem[], itemId: string): TipMenuItem {
  const item = items.find((candidate) => candidate.id === itemId);
  if (!item) throw notFound('menu item');
  return item;
}

export function toDto(item: TipMenuItem): MenuItemDto {
  return {
    ...toPublic(item),
    active: item.active,
    actions: item.actions,
    createdAt: item.createdAt.toISOString(),
    updatedAt: item.updatedAt.toISOString(),
  };
}

function toPublic(item: TipMenuItem): PublicMenuItem {
  return {
    id: item.id,
    title: item.title,
    description: item.description ?? null,
    priceCents: item.priceCents,
    priceTokens: item.priceTokens ?? null,
    category: item.category,
    emoji: item.emoji ?? null,
    order: item.order,
  };
}
