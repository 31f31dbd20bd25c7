import { defineEntity, p } from '@mikro-orm/core';

/** How many broadcasts each session has had: the last `seq` handed out. */
export const SessionSequence = defineEntity({
  name: 'SessionSequence',
  tableName: 'core_session_sequences',
  properties: {
    sessionId: p.uuid().primary(),
    seq: p.bigint('number'),
  },
});
export type SessionSequence = InstanceType<typeof SessionSequence.class>;
