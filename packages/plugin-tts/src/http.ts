import { Problem, unprocessable, type HttpRegistrar } from '@streaming-companion/sdk';
import { z } from 'zod';
import type { TtsConfig } from './config.ts';
import { TTS_ACTIONS, TtsSettings, TtsVoiceDto } from './contract.ts';
import type { TtsEngine } from './engines/engine.ts';
import type { SessionMutes } from './session-mutes.ts';
import type { SpeechRenderer } from './speech-renderer.ts';
import { requireKnownVoice, type TtsSettingsStore } from './tts-settings-store.ts';

const tags = ['tts'];
const MuteState = z.object({ sessionId: z.uuid(), muted: z.boolean() }).meta({ id: 'TtsMuteState' });

export interface TtsRouteDependencies {
  engine: TtsEngine;
  settings: TtsSettingsStore;
  renderer: SpeechRenderer;
  mutes: SessionMutes;
  config: TtsConfig;
}

/** `/api/tts`: thin adapters over the settings, the renderer and the session mutes. */
export function registerTtsRoutes(http: HttpRegistrar, deps: TtsRouteDependencies): void {
  const { engine, settings, renderer, mutes, config } = deps;

  http.get('/api/tts/settings', { auth: 'creator', tags, summary: 'Your text-to-speech settings', response: TtsSettings }, (req) => settings.get(req.em, req.creator.id));
  http.put(
    '/api/tts/settings',
    {
      auth: 'creator',
      tags,
      summary: 'Change your text-to-speech settings',
      description: 'Fields left out keep their value. `voice` must be one of `GET /api/tts/voices`.',
      body: TtsSettings.partial()
        .strict()
        .refine((b) => Object.keys(b).length > 0, 'name at least one field to change'),
      response: TtsSettings,
    },
    (req) => settings.update(req.em, req.creator.id, req.body),
  );
  http.get(
    '/api/tts/voices',
    { auth: 'creator', tags, summary: 'The voices this server speaks with', response: z.object({ voices: z.array(TtsVoiceDto) }).meta({ id: 'TtsVoices' }) },
    async () => ({ voices: await engine.voices() }),
  );
  http.post(
    '/api/tts/preview',
    {
      auth: 'creator',
      tags,
      summary: 'Hear a text as a tip would sound (WAV)',
      description:
        'Through your filter and caps, in your voice unless `voice`, `speed` or `pitch` say otherwise. A text the filter would skip, or with nothing speakable in it, is a 422 naming `body.text`.',
      body: z
        .object({
          text: z.string().min(1).max(2_000),
          voice: TtsSettings.shape.voice.optional(),
          speed: TtsSettings.shape.speed.optional(),
          pitch: TtsSettings.shape.pitch.optional(),
        })
        .strict(),
      contentType: 'audio/wav',
      rateLimit: { requests: config.previewsPerMinute, windowSeconds: 60 },
    },
    async (req) => {
      const { text, ...voice } = req.body;
      if (voice.voice !== undefined) await requireKnownVoice(engine, voice.voice);
      const own = await settings.get(req.em, req.creator.id);
      const said = renderer.textFor(text, own);
      if ('skipped' in said) {
        throw said.skipped === 'filtered'
          ? unprocessable('body.text', 'filtered', 'contains a filtered word, and your filter mode is skip: nothing would be read')
          : unprocessable('body.text', 'nothing_speakable', 'has nothing left to read once links, markup and repeats are taken out');
      }
      try {
        return Buffer.from((await renderer.render(said.text, { ...own, ...voice })).audio);
      } catch (error) {
        req.log.warn({ err: error }, 'text-to-speech preview failed');
        throw new Problem(503, 'tts_unavailable', 'the speech engine failed; try again');
      }
    },
  );
  http.post(
    '/api/tts/control',
    {
      auth: 'creator',
      tags,
      summary: "Skip the clip playing, or mute or unmute a live session's speech",
      description: 'Sent to the session\'s overlays at once as `tts_control`. Mute is kept with the session: nothing is queued for it until unmuted.',
      body: z.object({ sessionId: z.uuid(), action: z.enum(TTS_ACTIONS) }).strict(),
      response: MuteState,
    },
    (req) => mutes.control(req.em, req.creator.id, req.body),
  );
  http.get(
    '/api/tts/control',
    { auth: 'creator', tags, summary: "Whether a session's speech is muted", query: z.object({ sessionId: z.uuid() }), response: MuteState },
    (req) => mutes.state(req.em, req.creator.id, req.query.sessionId),
  );
}
