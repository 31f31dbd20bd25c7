import { defineEntity, p } from '@mikro-orm/core';

/** A personal API token: only the SHA-256 of the secret is kept. */
export const ApiToken = defineEntity({
  name: 'ApiToken',
  tableName: 'core_api_tokens',
  properties: {
    id: p.uuid().primary().onCreate(() => crypto.randomUUID()),
    creatorId: p.uuid(),
    name: p.string(),
    tokenHash: p.string().hidden(),
    /** The first characters of the secret, so a creator can tell tokens apart. */
    prefix: p.string(),
    createdAt: p.datetime().onCreate(() => new Date()),
    lastUsedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
  },
});
export type ApiToken = InstanceType<typeof ApiToken.class>;
