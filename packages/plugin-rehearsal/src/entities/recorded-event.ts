import { defineEntity, p, type ViewerStanding } from '@streaming-companion/sdk';
import { RECORDED_EVENT_KINDS } from '../contract.ts';

/**
 * A live session's chat line or viewer count, kept so a rehearsal can replay it: `offsetMs`
 * after the session's start. Keyed by the domain event's id, so a redelivered event is kept once.
 */
export const RecordedEventEntity = defineEntity({
  name: 'RecordedEvent',
  tableName: 'rehearsal_recorded_events',
  properties: {
    eventId: p.uuid().primary(),
    creatorId: p.uuid(),
    sessionId: p.uuid(),
    kind: p.enum(RECORDED_EVENT_KINDS),
    offsetMs: p.integer(),
    senderName: p.text().nullable(),
    message: p.text().nullable(),
    standing: p.json<ViewerStanding>().nullable(),
    viewerCount: p.integer().nullable(),
  },
  indexes: [{ name: 'rehearsal_recorded_events_session_idx', properties: ['sessionId', 'offsetMs'] }],
});
export type RecordedEvent = InstanceType<typeof RecordedEventEntity.class>;
