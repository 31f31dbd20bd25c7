import { coreServices, definePlugin, optional, packageManifest } from '@streaming-companion/sdk';
import { menuEvents } from '@streaming-companion/plugin-menu/contract';
import { tipEvents, tipsServiceRef } from '@streaming-companion/plugin-tips/contract';
import { z } from 'zod';
import { TtsConfig } from './config.ts';
import { ttsEvents, UTTERANCE_SOURCES } from './contract.ts';
import { ESpeakEngine } from './engines/espeak-engine.ts';
import { HttpEngine } from './engines/http-engine.ts';
import { SessionMuteEntity } from './entities/session-mute.ts';
import { TtsSettingsEntity } from './entities/tts-settings.ts';
import { UtteranceEntity } from './entities/utterance.ts';
import { registerTtsRoutes } from './http.ts';
import { ttsMigrations } from './migrations.ts';
import { SessionMutes } from './session-mutes.ts';
import { SpeechAdmission } from './speech-admission.ts';
import { SpeechRenderer } from './speech-renderer.ts';
import { mayBeSpoken, TtsSettingsStore } from './tts-settings-store.ts';
import { UtteranceSpeaker, type UtteranceKey } from './utterance-speaker.ts';

const SPEAK_ATTEMPTS = 3;

export const ttsPlugin = definePlugin({
  ...packageManifest(new URL('../package.json', import.meta.url)),
  deps: { sessions: coreServices.sessions, clock: coreServices.clock, tips: tipsServiceRef, tipEvents, menuEvents: optional(menuEvents) },
  config: TtsConfig,
  events: ttsEvents,
  entities: [TtsSettingsEntity, UtteranceEntity, SessionMuteEntity],
  migrations: ttsMigrations,
  setup(ctx, { sessions, clock, tips, tipEvents, menuEvents }) {
    const { config, realtime } = ctx;
    const engine = config.engine.kind === 'http' ? new HttpEngine(config.engine) : new ESpeakEngine();
    const settings = new TtsSettingsStore(engine);
    const renderer = new SpeechRenderer(engine);
    const mutes = new SessionMutes({ sessions, realtime, clock });
    const admission = new SpeechAdmission({ settings, mutes, tips, clock });
    const speaker = new UtteranceSpeaker({ settings, mutes, renderer, realtime, clock, attempts: SPEAK_ATTEMPTS });
    registerTtsRoutes(ctx.http, { engine, settings, renderer, mutes, config });

    const speak = ctx.jobs.define('speak', z.object({ tipId: z.uuid(), source: z.enum(UTTERANCE_SOURCES) }), (key, job) => speaker.speak(key, job), {
      concurrency: config.concurrency,
      attempts: SPEAK_ATTEMPTS,
    });
    // One job per tip and source, whatever the deliveries: the job id is made of them.
    const enqueue = (key: UtteranceKey) => ctx.jobs.enqueue(speak, key, { jobId: key.source === 'menu' ? `${key.tipId}:menu` : key.tipId });

    ctx.events.on(
      tipEvents.domain['streaming.tip.received'],
      async ({ payload }, job) => {
        if (await admission.admitTip(job.em, payload)) await enqueue({ tipId: payload.tipId, source: 'message' });
      },
      { name: 'speak-tip', when: mayBeSpoken },
    );
    if (menuEvents) {
      ctx.events.on(
        menuEvents.domain['streaming.menu_item.purchased'],
        async ({ payload }, job) => {
          if (await admission.admitMenuPurchase(job.em, payload)) await enqueue({ tipId: payload.tipId, source: 'menu' });
        },
        { name: 'speak-menu-item' },
      );
    }

    // A joining overlay (added, reloaded, or back after a blip that lost a tts_control) learns whether speech is muted.
    realtime.onOverlayJoin(async ({ em, sessionId, emit }) => {
      emit(ttsEvents.socket.tts_control, { sessionId, action: (await mutes.isMuted(em, sessionId)) ? 'mute' : 'unmute' });
    });
  },
});
