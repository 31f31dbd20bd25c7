import { defineEntity, p } from '@streaming-companion/sdk';
import { FILTER_MODES } from '../contract.ts';

/** A creator's text-to-speech settings; without a row, the defaults (TTS off). */
export const TtsSettingsEntity = defineEntity({
  name: 'TtsSettings',
  tableName: 'tts_settings',
  properties: {
    creatorId: p.uuid().primary(),
    enabled: p.boolean(),
    minAmountCents: p.integer(),
    voice: p.text(),
    speed: p.integer(),
    pitch: p.integer(),
    maxChars: p.integer(),
    maxSeconds: p.integer(),
    filterWords: p.json<string[]>(),
    filterMode: p.enum(FILTER_MODES),
    perTipperPerMinute: p.integer(),
    readName: p.boolean(),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type TtsSettingsRow = InstanceType<typeof TtsSettingsEntity.class>;
