import { coreServices, definePlugin, packageManifest } from '@streaming-companion/sdk';
import { StarterKitConfig } from './config.ts';
import { starterKitEvents } from './contract.ts';
import { HighlightEntity } from './entities/highlight.ts';
import { Highlights } from './highlights.ts';
import { registerHighlightRoutes } from './http.ts';
import { markStreamStarts } from './jobs.ts';
import { starterKitMigrations } from './migrations.ts';
import { registerHighlightCommands } from './socket.ts';

export const starterKitPlugin = definePlugin({
  // Its id, version and engine range, written once: in package.json.
  ...packageManifest(new URL('../package.json', import.meta.url)),
  deps: { sessions: coreServices.sessions },
  config: StarterKitConfig,
  events: starterKitEvents,
  entities: [HighlightEntity],
  migrations: starterKitMigrations,
  setup(ctx, { sessions }) {
    const highlights = new Highlights({ sessions, events: ctx.events, realtime: ctx.realtime });
    registerHighlightRoutes(ctx.http, highlights);
    registerHighlightCommands(ctx.socket, highlights);
    markStreamStarts(ctx, highlights, ctx.config.streamStartLabel);
  },
});
