import type { HttpRegistrar } from '@streaming-companion/sdk';
import { z } from 'zod';
import type { WidgetsConfig } from './config.ts';
import { MEDIA_KINDS, MediaDto, SETTINGS_PART_SCHEMAS, SETTINGS_PARTS, TestAlert, TestAlertRequest, WidgetSettings } from './contract.ts';
import { MEDIA_FORMATS, UPLOAD_MEDIA_TYPES } from './media-formats.ts';
import type { TestAlerts } from './test-alerts.ts';
import type { WidgetMediaLibrary } from './widget-media-library.ts';
import type { WidgetSettingsStore } from './widget-settings-store.ts';

const tags = ['widgets'];
const MediaList = z.object({ items: z.array(MediaDto) }).meta({ id: 'WidgetMediaList' });
const MediaParams = z.object({ id: z.uuid() });
/** An id is a file's address for good: its content never changes, so caches keep it. */
const FOREVER = 'public, max-age=31536000, immutable';

export interface WidgetRouteDependencies {
  settings: WidgetSettingsStore;
  media: WidgetMediaLibrary;
  testAlerts: TestAlerts;
  config: WidgetsConfig;
}

/** `/api/widgets`: thin adapters over the settings store, the media library and test alerts. */
export function registerWidgetRoutes(http: HttpRegistrar, deps: WidgetRouteDependencies): void {
  const { settings, media, testAlerts, config } = deps;

  http.get(
    '/api/widgets/settings',
    { auth: 'creator', tags, summary: "Your overlay widgets' settings", description: 'Every part, with the defaults where you saved nothing.', response: WidgetSettings },
    (req) => settings.get(req.em, req.creator.id),
  );
  // One route per part, so each documents (and checks) its own body.
  for (const part of SETTINGS_PARTS) {
    http.put(
      `/api/widgets/settings/${part}`,
      {
        auth: 'creator',
        tags,
        summary: part === 'display' ? 'Set how amounts are shown (currency, or tokens at a rate)' : `Replace the ${part} widget's settings`,
        description:
          'The part is replaced whole: fields left out take their default. Answers every part. Your overlays follow at once (`widget_settings`).' +
          (part === 'alerts' ? ' `soundId` and `imageId` (also in `variations`) must be your uploads of that kind: another is a 422 naming the field.' : ''),
        body: SETTINGS_PART_SCHEMAS[part],
        response: WidgetSettings,
      },
      (req) => settings.save(req.em, req.creator.id, part, req.body as WidgetSettings[typeof part]),
    );
  }

  http.get('/api/widgets/media', { auth: 'creator', tags, summary: 'Your uploaded alert sounds and images, newest first', response: MediaList }, async (req) => ({
    items: await media.list(req.em, req.creator.id),
  }));
  http.post(
    '/api/widgets/media',
    {
      auth: 'creator',
      tags,
      summary: 'Upload an alert sound or image',
      description:
        `The file is the raw body, its media type the \`Content-Type\`: sounds ${formats('sound')} up to ${config.maxSoundBytes} bytes, ` +
        `images ${formats('image')} up to ${config.maxImageBytes} bytes (no SVG). A type not taken is a 415, a file too big a 413, ` +
        `bytes that are not what the \`Content-Type\` says a 422 naming \`body\`. At most ${config.maxMediaPerCreator} uploads (409 \`media_limit\`). ` +
        'The same file again answers the first upload (200) instead of storing it twice.',
      query: z.object({ kind: z.enum(MEDIA_KINDS), name: z.string().trim().min(1).max(200) }),
      upload: { maxBytes: Math.max(config.maxSoundBytes, config.maxImageBytes), mediaTypes: UPLOAD_MEDIA_TYPES },
      status: 201,
      response: MediaDto,
    },
    async (req) => {
      const { media: stored, created } = await media.upload(req.em, req.creator.id, { ...req.query, file: req.upload });
      if (!created) req.reply.status(200);
      return stored;
    },
  );
  http.delete(
    '/api/widgets/media/:id',
    {
      auth: 'creator',
      tags,
      summary: 'Delete an upload',
      description: 'A file a setting still uses is kept: 409 `media_in_use`, naming each setting (`settings`); choose another file there first.',
      params: MediaParams,
      status: 204,
    },
    (req) => media.remove(req.em, req.creator.id, req.params.id),
  );
  http.get(
    '/api/widgets/media/:id/file',
    {
      auth: 'public',
      tags,
      summary: 'An upload, as the overlays load it',
      description: 'No login: OBS sources have none, and the id is unguessable. Served with its media type, for good (it never changes under its id).',
      params: MediaParams,
      contentType: MEDIA_FORMATS.map((format) => format.mediaType),
      cacheControl: FOREVER,
    },
    async (req) => {
      const file = await media.file(req.em, req.params.id);
      req.reply.header('content-type', file.mediaType);
      req.reply.header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(file.name)}`);
      // Opened on its own, it is a document of nothing: no script, no plugin, whatever a browser makes of it.
      req.reply.header('content-security-policy', "default-src 'none'; sandbox");
      return file.bytes;
    },
  );

  http.post(
    '/api/widgets/test-alert',
    {
      auth: 'creator',
      tags,
      summary: 'Play a sample alert on your overlays',
      description:
        'Sent at once as `test_alert` (marked `test`) to your overlays, live or not; recorded nowhere: no tip, total, goal or report counts it. ' +
        'Left out: a sample name and message, and 100 tokens (when your display unit is tokens) or 500 cents. Answers the alert sent.',
      body: TestAlertRequest,
      response: TestAlert,
      rateLimit: { requests: config.testAlertsPerMinute, windowSeconds: 60 },
    },
    (req) => testAlerts.send(req.em, req.creator.id, req.body),
  );
}

const formats = (kind: 'sound' | 'image') =>
  MEDIA_FORMATS.filter((format) => format.kind === kind)
    .map((format) => format.mediaType)
    .join(', ');
