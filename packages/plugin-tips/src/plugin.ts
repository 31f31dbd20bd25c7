import { coreServiceRefs, definePlugin } from '@streaming-companion/sdk';
import { TipsConfig } from './config.ts';
import { registerTipRoutes } from './http.ts';
import { tipsMigrations } from './migrations.ts';
import { registerTipSocketEvents } from './socket.ts';
import { TipRecorder } from './tip-recorder.ts';
import { TipsService, tipsServiceRef } from './tips-service.ts';

export const tipsPlugin = definePlugin({
  id: 'tips',
  version: '0.1.0',
  engine: '^0.1.0',
  config: TipsConfig,
  migrations: tipsMigrations,
  setup(ctx) {
    const sessions = ctx.use(coreServiceRefs.sessions);
    const tips = new TipsService(new TipRecorder(ctx.config, sessions, ctx.events), ctx.realtime);
    registerTipRoutes(ctx.http, tips);
    registerTipSocketEvents(ctx.socket, tips);
    ctx.provide(tipsServiceRef, tips);
  },
});
