import { defineEntity, p } from '@mikro-orm/core';

export const SessionNote = defineEntity({
  name: 'SessionNote',
  tableName: 'core_session_notes',
  properties: {
    id: p.uuid().primary().onCreate(() => crypto.randomUUID()),
    sessionId: p.uuid(),
    creatorId: p.uuid(),
    text: p.text(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type SessionNote = InstanceType<typeof SessionNote.class>;
