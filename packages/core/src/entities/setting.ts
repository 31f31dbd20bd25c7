import { defineEntity, p } from '@mikro-orm/core';

/** Server-wide values the kernel keeps for itself (the generated login-token key). */
export const Setting = defineEntity({
  name: 'Setting',
  tableName: 'core_settings',
  properties: {
    key: p.text().primary(),
    value: p.text(),
  },
});
export type Setting = InstanceType<typeof Setting.class>;
