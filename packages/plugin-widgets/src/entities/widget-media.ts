import { defineEntity, p } from '@streaming-companion/sdk';
import { MEDIA_KINDS } from '../contract.ts';

/**
 * An uploaded alert sound or image. The bytes live in the database, so every instance serves
 * them; they are loaded only to be served (`lazy`). Its id is its public address (unguessable),
 * and its content never changes under it.
 */
export const WidgetMediaEntity = defineEntity({
  name: 'WidgetMedia',
  tableName: 'widgets_media',
  properties: {
    id: p.uuid().primary().onCreate(() => crypto.randomUUID()),
    creatorId: p.uuid(),
    kind: p.enum(MEDIA_KINDS),
    /** The file name it was uploaded with, for the creator to recognise it. */
    name: p.text(),
    /** What its first bytes say it is, whatever alias the upload used (`audio/x-wav` is stored `audio/wav`). */
    mediaType: p.text(),
    sizeBytes: p.integer(),
    /** Hex SHA-256 of the bytes: uploading the same file again (a retry) answers the first upload. */
    sha256: p.text(),
    bytes: p.blob().lazy(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  uniques: [{ name: 'widgets_media_creator_sha256_key', properties: ['creatorId', 'sha256'] }],
});
export type WidgetMedia = InstanceType<typeof WidgetMediaEntity.class>;
