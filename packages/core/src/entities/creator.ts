import { defineEntity, p } from '@mikro-orm/core';

export const Creator = defineEntity({
  name: 'Creator',
  tableName: 'core_creators',
  properties: {
    id: p.uuid().primary().onCreate(() => crypto.randomUUID()),
    email: p.string().nullable(),
    passwordHash: p.string().nullable().hidden(),
    displayName: p.string(),
    ssoSubject: p.string().nullable(),
    overlayKey: p.string().hidden(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type Creator = InstanceType<typeof Creator.class>;
