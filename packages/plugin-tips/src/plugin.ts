import { coreServices, definePlugin, packageManifest } from '@streaming-companion/sdk';
import { TipsConfig } from './config.ts';
import { tipEvents, tipsServiceRef } from './contract.ts';
import { SessionTipperEntity } from './entities/session-tipper.ts';
import { StreamTipEntity } from './entities/stream-tip.ts';
import { registerTipRoutes } from './http.ts';
import { tipsMigrations } from './migrations.ts';
import { registerTipSocketEvents } from './socket.ts';
import { TipRecorder } from './tip-recorder.ts';
import { TipVoiding } from './tip-voiding.ts';
import { tipsSnapshot } from './tips-snapshot.ts';

export const tipsPlugin = definePlugin({
  ...packageManifest(new URL('../package.json', import.meta.url)),
  deps: { sessions: coreServices.sessions, clock: coreServices.clock },
  config: TipsConfig,
  events: tipEvents,
  entities: [StreamTipEntity, SessionTipperEntity],
  migrations: tipsMigrations,
  setup(ctx, { sessions, clock }) {
    const tips = new TipRecorder({ config: ctx.config, sessions, clock, events: ctx.events, realtime: ctx.realtime });
    const voiding = new TipVoiding({ sessions, clock, events: ctx.events, realtime: ctx.realtime });
    registerTipRoutes(ctx.http, tips, voiding);
    registerTipSocketEvents(ctx.socket, tips);

    // A reloaded OBS source (or a scene switch) shows the session's recent tips and leaderboard at once.
    ctx.realtime.onOverlayJoin(async ({ em, creatorId, sessionId, emit }) => {
      emit(tipEvents.socket.tips_snapshot, await tipsSnapshot(em, creatorId, sessionId));
    });
    ctx.provide(tipsServiceRef, tips);
  },
});
