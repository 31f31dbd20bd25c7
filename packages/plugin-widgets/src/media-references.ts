import type { AlertSettings, MediaKind, WidgetSettings } from './contract.ts';

/** A setting that names an upload: where (`soundId`, `variations.1.imageId`), which, and what kind it must be. */
export interface MediaReference {
  field: string;
  id: string;
  kind: MediaKind;
}

/** The uploads an alerts part names, fields relative to it; only alerts use media. */
export function alertMediaReferences(alerts: AlertSettings): MediaReference[] {
  const looks = [{ at: '', look: alerts }, ...alerts.variations.map((look, i) => ({ at: `variations.${i}.`, look }))];
  return looks.flatMap(({ at, look }) => [
    ...(look.soundId ? [{ field: `${at}soundId`, id: look.soundId, kind: 'sound' as const }] : []),
    ...(look.imageId ? [{ field: `${at}imageId`, id: look.imageId, kind: 'image' as const }] : []),
  ]);
}

/** Every upload the settings name, fields from the top (`alerts.soundId`). */
export function settingsMediaReferences(settings: WidgetSettings): MediaReference[] {
  return alertMediaReferences(settings.alerts).map((reference) => ({ ...reference, field: `alerts.${reference.field}` }));
}

/** Where the overlays load an upload from: this server, no login (the id is unguessable). */
export const mediaUrl = (id: string) => `/api/widgets/media/${id}/file`;

/** `widget_settings`' `media`: id → URL for every upload the settings name. */
export const mediaUrls = (settings: WidgetSettings): Record<string, string> =>
  Object.fromEntries(settingsMediaReferences(settings).map(({ id }) => [id, mediaUrl(id)]));
