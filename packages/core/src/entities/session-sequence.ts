import { defineEntity, p } from '@mikro-orm/core';

/**
 * The last number handed out in one of a session's sequences: its broadcasts (`stream` ''), or
 * its domain events of one name (`stream` = the event's name).
 */
export const SessionSequence = defineEntity({
  name: 'SessionSequence',
  tableName: 'core_session_sequences',
  properties: {
    sessionId: p.uuid().primary(),
    stream: p.text().primary().default(''),
    seq: p.bigint('number'),
  },
});
export type SessionSequence = InstanceType<typeof SessionSequence.class>;
