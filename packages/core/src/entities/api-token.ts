import { defineEntity, p } from '@mikro-orm/core';
import { Creator } from './creator.ts';

/** A personal API token: only the SHA-256 of the secret is kept. */
export const ApiToken = defineEntity({
  name: 'ApiToken',
  tableName: 'core_api_tokens',
  properties: {
    id: p.uuid().primary().onCreate(() => crypto.randomUUID()),
    creatorId: p.manyToOne(Creator).mapToPk().joinColumn('creator_id').foreignKeyName('core_api_tokens_creator_id_fkey').deleteRule('cascade').index('core_api_tokens_creator_idx'),
    name: p.text(),
    tokenHash: p.text().hidden().unique('core_api_tokens_token_hash_key'),
    /** The first characters of the secret, so a creator can tell tokens apart. */
    prefix: p.text(),
    createdAt: p.datetime().onCreate(() => new Date()),
    lastUsedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
  },
});
export type ApiToken = InstanceType<typeof ApiToken.class>;
