import { raw, type EntityManager, type PayloadOf, type Realtime, type EventBus } from '@streaming-companion/sdk';
import type { AnimationsService } from '@streaming-companion/plugin-animations/contract';
import type { GoalsService } from '@streaming-companion/plugin-goals/contract';
import type { tipEvents, TipsService } from '@streaming-companion/plugin-tips/contract';
import { menuEvents, type ItemSales } from './contract.ts';
import { TipMenuItemEntity } from './entities/menu-item.ts';
import { MenuPurchaseEntity } from './entities/menu-purchase.ts';
import { matchItem } from './item-matcher.ts';

export interface PurchasesDependencies {
  tips: TipsService;
  events: EventBus;
  realtime: Realtime;
  /** Absent when their plugins are not loaded: those actions are then skipped. */
  animations: AnimationsService | undefined;
  goals: GoalsService | undefined;
}

type TipReceived = PayloadOf<(typeof tipEvents)['domain']['streaming.tip.received']>;
type TipVoided = PayloadOf<(typeof tipEvents)['domain']['streaming.tip.voided']>;

/** Tips that buy menu items: matched, recorded once per tip, announced, and their items' actions played. */
export class Purchases {
  readonly #d: PurchasesDependencies;

  constructor(dependencies: PurchasesDependencies) {
    this.#d = dependencies;
  }

  /** `streaming.tip.received`, in the transaction of a `once` subscriber. */
  async recordTip(em: EntityManager, received: TipReceived): Promise<void> {
    const { creatorId, sessionId, tipId } = received;
    const items = await em.find(TipMenuItemEntity, { creatorId, active: true });
    if (!items.length) return;
    const tip = await this.#d.tips.get(em, creatorId, tipId);
    if (!tip || tip.voidedAt) return;
    const match = matchItem(items, tip);
    if (!match) return;
    const { item, matchedBy } = match;
    em.create(MenuPurchaseEntity, { tipId, creatorId, sessionId, itemId: item.id, title: item.title, amountCents: tip.amountCents, tipperName: tip.tipperName, matchedBy });
    await em.flush();
    const purchased = { sessionId, tipId, itemId: item.id, title: item.title, tipperName: tip.tipperName };
    await this.#d.events.publish(em, menuEvents.domain['streaming.menu_item.purchased'], {
      ...purchased,
      creatorId,
      amountCents: tip.amountCents,
      matchedBy,
      ttsTemplate: item.actions.ttsTemplate ?? null,
    });
    await this.#d.realtime.toSession(sessionId).publish(em, menuEvents.socket.menu_item_purchased, purchased);

    const { animation, goalBonusCents } = item.actions;
    if (animation) await this.#d.animations?.play(em, creatorId, { sessionId, ...animation, source: 'menu', tipId });
    if (goalBonusCents) await this.#d.goals?.addToActiveGoal(em, creatorId, sessionId, goalBonusCents, { tipId });
  }

  /**
   * `streaming.tip.voided`: the tip bought nothing after all, so its purchase leaves the sales
   * (the goals plugin takes its goal bonus back; an animation played stays played).
   */
  async forgetTip(em: EntityManager, { creatorId, tipId }: TipVoided): Promise<void> {
    await em.nativeDelete(MenuPurchaseEntity, { creatorId, tipId });
  }

  /** Per item, what a session sold: count and revenue, the item's latest title. */
  async sales(em: EntityManager, creatorId: string, sessionId: string): Promise<ItemSales[]> {
    const rows = await em
      .createQueryBuilder(MenuPurchaseEntity)
      .select(['itemId', raw('(array_agg(title order by created_at desc))[1] as title'), raw('count(*)::int as count'), raw('sum(amount_cents)::int as revenue_cents')])
      .where({ creatorId, sessionId })
      .groupBy('itemId')
      .orderBy([{ [raw('count(*)')]: 'desc' }, { itemId: 'asc' }])
      .execute<Array<{ itemId: string; title: string; count: number; revenue_cents: number }>>('all', true);
    return rows.map((row) => ({ itemId: row.itemId, title: row.title, count: Number(row.count), revenueCents: Number(row.revenue_cents) }));
  }
}
