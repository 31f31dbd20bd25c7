import { defineEntity, p } from '@mikro-orm/core';
import { StreamSession } from './stream-session.ts';

export const SessionNote = defineEntity({
  name: 'SessionNote',
  tableName: 'core_session_notes',
  properties: {
    id: p.uuid().primary().onCreate(() => crypto.randomUUID()),
    sessionId: p.manyToOne(StreamSession).mapToPk().joinColumn('session_id').foreignKeyName('core_session_notes_session_id_fkey').deleteRule('cascade'),
    creatorId: p.uuid(),
    text: p.text(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [{ name: 'core_session_notes_session_idx', properties: ['sessionId', 'createdAt'] }],
});
export type SessionNote = InstanceType<typeof SessionNote.class>;
