import { defineEntity, p } from '@streaming-companion/sdk';

/**
 * A creator's widget settings, as saved: one JSON document, each part replaced whole. Read
 * through the contract's schemas, so a part added later (or saved by an older version) comes
 * back with its defaults. Without a row, every default.
 */
export const WidgetSettingsEntity = defineEntity({
  name: 'WidgetSettings',
  tableName: 'widgets_settings',
  properties: {
    creatorId: p.uuid().primary(),
    settings: p.json<Record<string, unknown>>(),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
