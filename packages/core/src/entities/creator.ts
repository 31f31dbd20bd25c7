import { defineEntity, p } from '@mikro-orm/core';

export const Creator = defineEntity({
  name: 'Creator',
  tableName: 'core_creators',
  properties: {
    id: p.uuid().primary().onCreate(() => crypto.randomUUID()),
    /** Stored lowercased; unique regardless of case. */
    email: p.text().nullable(),
    passwordHash: p.text().nullable().hidden(),
    displayName: p.text(),
    ssoSubject: p.text().nullable().unique('core_creators_sso_subject_uq'),
    overlayKey: p.text().hidden().unique('core_creators_overlay_key_uq'),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
  uniques: [{ name: 'core_creators_email_uq', expression: 'create unique index core_creators_email_uq on core_creators (lower(email))' }],
});
export type Creator = InstanceType<typeof Creator.class>;
