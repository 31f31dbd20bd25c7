import { coreServices, definePlugin, packageManifest } from '@streaming-companion/sdk';
import { WidgetsConfig } from './config.ts';
import { widgetEvents } from './contract.ts';
import { CreatorOverlays } from './creator-overlays.ts';
import { WidgetMediaEntity } from './entities/widget-media.ts';
import { WidgetSettingsEntity } from './entities/widget-settings.ts';
import { registerWidgetRoutes } from './http.ts';
import { widgetsMigrations } from './migrations.ts';
import { TestAlerts } from './test-alerts.ts';
import { WidgetMediaLibrary } from './widget-media-library.ts';
import { WidgetSettingsStore } from './widget-settings-store.ts';

export const widgetsPlugin = definePlugin({
  ...packageManifest(new URL('../package.json', import.meta.url)),
  deps: { sessions: coreServices.sessions, clock: coreServices.clock },
  config: WidgetsConfig,
  events: widgetEvents,
  entities: [WidgetSettingsEntity, WidgetMediaEntity],
  migrations: widgetsMigrations,
  setup(ctx, { sessions, clock }) {
    const { config, realtime } = ctx;
    const overlays = new CreatorOverlays(realtime, sessions);
    const settings = new WidgetSettingsStore(overlays);
    const media = new WidgetMediaLibrary(config, settings);
    const testAlerts = new TestAlerts(settings, overlays, clock);
    registerWidgetRoutes(ctx.http, { settings, media, testAlerts, config });

    // Every overlay, live or not, learns its look as it joins: a creator tries alerts before going live.
    realtime.onOverlayConnect(async ({ em, creatorId, emit }) => {
      emit(widgetEvents.socket.widget_settings, await settings.event(em, creatorId));
    });
  },
});
