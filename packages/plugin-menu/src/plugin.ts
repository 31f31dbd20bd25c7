import { coreServices, definePlugin, optional, packageManifest } from '@streaming-companion/sdk';
import { animationsServiceRef } from '@streaming-companion/plugin-animations/contract';
import { goalsServiceRef } from '@streaming-companion/plugin-goals/contract';
import { tipEvents, tipsServiceRef } from '@streaming-companion/plugin-tips/contract';
import { MenuConfig } from './config.ts';
import { menuEvents, menuServiceRef } from './contract.ts';
import { TipMenuItemEntity } from './entities/menu-item.ts';
import { MenuPurchaseEntity } from './entities/menu-purchase.ts';
import { registerMenuRoutes } from './http.ts';
import { creatorHasActiveItem, MenuItems } from './menu-items.ts';
import { menuMigrations } from './migrations.ts';
import { Purchases } from './purchases.ts';

export const menuPlugin = definePlugin({
  ...packageManifest(new URL('../package.json', import.meta.url)),
  deps: {
    sessions: coreServices.sessions,
    creators: coreServices.creators,
    tips: tipsServiceRef,
    tipEvents,
    animations: optional(animationsServiceRef),
    goals: optional(goalsServiceRef),
  },
  config: MenuConfig,
  events: menuEvents,
  entities: [TipMenuItemEntity, MenuPurchaseEntity],
  migrations: menuMigrations,
  setup(ctx, { sessions, creators, tips, tipEvents, animations, goals }) {
    const items = new MenuItems(ctx.realtime);
    const purchases = new Purchases({ tips, events: ctx.events, realtime: ctx.realtime, animations, goals });
    registerMenuRoutes(ctx.http, { items, purchases, sessions, creators, config: ctx.config });

    // Once per tip: a redelivered tip buys nothing twice.
    // A creator without an active item has nothing a tip could buy: skipped before any bookkeeping.
    ctx.events.on(tipEvents.domain['streaming.tip.received'], ({ payload }, job) => purchases.recordTip(job.em, payload), {
      name: 'match-item',
      once: true,
      when: creatorHasActiveItem,
    });
    ctx.events.on(tipEvents.domain['streaming.tip.voided'], ({ payload }, job) => purchases.forgetTip(job.em, payload), { name: 'forget-voided-tip', once: true });

    // A freshly added or reloaded overlay shows the menu at once.
    ctx.realtime.onOverlayJoin(async ({ em, creatorId, emit }) => {
      emit(menuEvents.socket.menu_updated, { creatorId, items: await items.publicMenu(em, creatorId) });
    });

    ctx.provide(menuServiceRef, { publicMenu: (em, creatorId) => items.publicMenu(em, creatorId), sales: (em, creatorId, sessionId) => purchases.sales(em, creatorId, sessionId) });
  },
});
