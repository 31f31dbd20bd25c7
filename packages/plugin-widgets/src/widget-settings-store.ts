import { preparedQuery, type EntityManager, type PayloadInput } from '@streaming-companion/sdk';
import { SETTINGS_PARTS, WidgetSettings, widgetEvents, type SettingsPart } from './contract.ts';
import type { CreatorOverlays } from './creator-overlays.ts';
import { lockCreatorWidgets } from './creator-lock.ts';
import { WidgetSettingsEntity } from './entities/widget-settings.ts';
import { alertMediaReferences, mediaUrls } from './media-references.ts';
import { requireOwnedMedia } from './widget-media-library.ts';

/** Each creator's widget settings: their saved document read through the schemas, or the defaults. */
export class WidgetSettingsStore {
  readonly #overlays: CreatorOverlays;

  constructor(overlays: CreatorOverlays) {
    this.#overlays = overlays;
  }

  /** A prepared statement, not the ORM: every overlay that joins reads its creator's settings. */
  async get(em: EntityManager, creatorId: string): Promise<WidgetSettings> {
    const [row] = await preparedQuery<{ settings: Record<string, unknown> }>(em, 'select settings from widgets_settings where creator_id = ?', [creatorId]);
    return fromStored(row?.settings ?? {});
  }

  /**
   * Replace one part whole. The uploads it names must be the creator's, of the right kind (a 422
   * naming the field, e.g. `body.variations.1.soundId`). The creator's overlays follow at once
   * (`widget_settings`, through the outbox with the change): key-joined ones, and those joined
   * by the live session's id.
   */
  async save<P extends SettingsPart>(em: EntityManager, creatorId: string, part: P, value: WidgetSettings[P]): Promise<WidgetSettings> {
    return em.transactional(async (tx) => {
      await lockCreatorWidgets(tx, creatorId);
      if (part === 'alerts') await requireOwnedMedia(tx, creatorId, alertMediaReferences(value as WidgetSettings['alerts']), 'body.');
      const settings = { ...(await this.get(tx, creatorId)), [part]: value };
      await tx.upsert(WidgetSettingsEntity, { creatorId, settings, updatedAt: new Date() });
      await (await this.#overlays.of(tx, creatorId)).publish(tx, widgetEvents.socket.widget_settings, settingsEvent(creatorId, settings));
      return settings;
    });
  }

  /** What `widget_settings` carries for a creator now. */
  async event(em: EntityManager, creatorId: string): Promise<WidgetSettingsEvent> {
    return settingsEvent(creatorId, await this.get(em, creatorId));
  }
}

type WidgetSettingsEvent = PayloadInput<typeof widgetEvents.socket.widget_settings>;
const settingsEvent = (creatorId: string, settings: WidgetSettings): WidgetSettingsEvent => ({ creatorId, settings, media: mediaUrls(settings) });

/** Each part through its schema: defaults for what is missing, and for a part saved under rules since tightened. */
function fromStored(stored: Record<string, unknown>): WidgetSettings {
  const parts = SETTINGS_PARTS.map((part) => {
    const schema = WidgetSettings.shape[part];
    const parsed = schema.safeParse(stored[part]);
    return [part, parsed.success ? parsed.data : schema.parse(undefined)];
  });
  return Object.fromEntries(parts) as WidgetSettings;
}
