import { defineEntity, p } from '@streaming-companion/sdk';

/** A creator's own limits; without a row, the plugin's configured defaults apply. */
export const AnimationSettingsEntity = defineEntity({
  name: 'AnimationSettings',
  tableName: 'animations_settings',
  properties: {
    creatorId: p.uuid().primary(),
    cooldownMs: p.integer(),
    maxConcurrent: p.integer(),
    effectMs: p.integer(),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
