import { createHash } from 'node:crypto';
import { conflict, notFound, Problem, type EntityManager, type UploadedBody } from '@streaming-companion/sdk';
import type { WidgetsConfig } from './config.ts';
import type { MediaDto, MediaKind } from './contract.ts';
import { lockCreatorWidgets } from './creator-lock.ts';
import { WidgetMediaEntity, type WidgetMedia } from './entities/widget-media.ts';
import { formatOf, mediaTypesOf } from './media-formats.ts';
import { mediaUrl, settingsMediaReferences, type MediaReference } from './media-references.ts';
import type { WidgetSettingsStore } from './widget-settings-store.ts';

export interface MediaUpload {
  kind: MediaKind;
  name: string;
  file: UploadedBody;
}

/** What `GET /api/widgets/media/:id/file` sends. */
export interface MediaFile {
  bytes: Buffer;
  mediaType: string;
  name: string;
}

/**
 * A creator's uploaded alert sounds and images: checked (type by its bytes, size by its kind,
 * a count per creator), stored in the database, served by id.
 */
export class WidgetMediaLibrary {
  readonly #config: WidgetsConfig;
  readonly #settings: WidgetSettingsStore;

  constructor(config: WidgetsConfig, settings: WidgetSettingsStore) {
    this.#config = config;
    this.#settings = settings;
  }

  /** Newest first. */
  async list(em: EntityManager, creatorId: string): Promise<MediaDto[]> {
    return (await em.find(WidgetMediaEntity, { creatorId }, { orderBy: { createdAt: 'desc', id: 'asc' } })).map(toDto);
  }

  /** Stores the file; the same file again (a retried upload) answers the first one, `created` false. */
  async upload(em: EntityManager, creatorId: string, { kind, name, file }: MediaUpload): Promise<{ media: MediaDto; created: boolean }> {
    const format = formatOf(file.mediaType);
    if (format?.kind !== kind) {
      throw fieldProblem(415, 'unsupported_media_type', 'Content-Type', `a ${kind} must be one of ${mediaTypesOf(kind).join(', ')}, not ${file.mediaType}`);
    }
    const maxBytes = kind === 'sound' ? this.#config.maxSoundBytes : this.#config.maxImageBytes;
    if (file.bytes.length > maxBytes) throw fieldProblem(413, 'body_too_large', 'body', `a ${kind} must be at most ${maxBytes} bytes`);
    if (!format.matches(file.bytes)) throw fieldProblem(422, 'validation_failed', 'body', `is not ${format.label}, as its Content-Type ${file.mediaType} says`);
    const sha256 = createHash('sha256').update(file.bytes).digest('hex');
    return em.transactional(async (tx) => {
      await lockCreatorWidgets(tx, creatorId);
      const known = await tx.findOne(WidgetMediaEntity, { creatorId, sha256 });
      if (known) return { media: toDto(known), created: false };
      const count = await tx.count(WidgetMediaEntity, { creatorId });
      if (count >= this.#config.maxMediaPerCreator) {
        throw conflict('media_limit', `you have ${count} uploads, the most kept: delete one first`, { limit: this.#config.maxMediaPerCreator });
      }
      const media = tx.create(WidgetMediaEntity, { creatorId, kind, name, mediaType: format.mediaType, sizeBytes: file.bytes.length, sha256, bytes: Buffer.from(file.bytes) });
      await tx.flush();
      return { media: toDto(media), created: true };
    });
  }

  /** Deletes an upload no setting uses; one in use is a 409 naming each setting that does. */
  async remove(em: EntityManager, creatorId: string, id: string): Promise<void> {
    await em.transactional(async (tx) => {
      await lockCreatorWidgets(tx, creatorId);
      const media = await tx.findOne(WidgetMediaEntity, { id, creatorId });
      if (!media) throw notFound('upload');
      const users = settingsMediaReferences(await this.#settings.get(tx, creatorId)).filter((reference) => reference.id === id);
      if (users.length) {
        const fields = users.map((reference) => reference.field);
        throw new Problem(409, 'media_in_use', `${fields.join(', ')} still use it: choose another file there first`, {
          errors: fields.map((field) => ({ field, rule: 'in_use', message: 'uses this file' })),
          extra: { settings: fields },
        });
      }
      tx.remove(media);
    });
  }

  /** The bytes of any upload, by its id: the overlays load them with no login. */
  async file(em: EntityManager, id: string): Promise<MediaFile> {
    const media = await em.findOne(WidgetMediaEntity, { id }, { populate: ['bytes'] });
    if (!media) throw notFound('upload');
    return { bytes: Buffer.from(media.bytes), mediaType: media.mediaType, name: media.name };
  }
}

/**
 * Inside the saving transaction (creator locked): every upload `references` names is one of
 * the creator's, of the kind its field takes; otherwise a 422 naming each field (an id of
 * another creator's is refused as one of no one's).
 */
export async function requireOwnedMedia(tx: EntityManager, creatorId: string, references: MediaReference[], fieldPrefix: string): Promise<void> {
  if (!references.length) return;
  const owned = new Map(
    (await tx.find(WidgetMediaEntity, { creatorId, id: { $in: [...new Set(references.map((r) => r.id))] } }, { fields: ['id', 'kind'] })).map((m) => [m.id, m.kind]),
  );
  const errors = references.flatMap(({ field, id, kind }) => {
    const found = owned.get(id);
    const message = !found ? 'is not one of your uploads (GET /api/widgets/media lists them)' : found !== kind ? `is ${found === 'image' ? 'an image' : 'a sound'}, not a ${kind}` : null;
    return message ? [{ field: `${fieldPrefix}${field}`, rule: found ? 'wrong_media_kind' : 'unknown_media', message }] : [];
  });
  if (errors.length) throw new Problem(422, 'validation_failed', errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
}

function toDto(media: WidgetMedia): MediaDto {
  return {
    id: media.id,
    kind: media.kind,
    name: media.name,
    mediaType: media.mediaType,
    sizeBytes: media.sizeBytes,
    url: mediaUrl(media.id),
    createdAt: media.createdAt.toISOString(),
  };
}

function fieldProblem(status: number, code: string, field: string, message: string): Problem {
  return new Problem(status, code, `${field}: ${message}`, { errors: [{ field, rule: code, message }] });
}
