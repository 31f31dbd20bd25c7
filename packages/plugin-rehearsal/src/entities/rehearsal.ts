import { defineEntity, p } from '@streaming-companion/sdk';
import { REHEARSAL_STATUSES } from '../contract.ts';

/** A rehearsal: tips, chat lines and viewer counts played into a session of its own, one job per cue. */
export const RehearsalEntity = defineEntity({
  name: 'Rehearsal',
  tableName: 'rehearsal_runs',
  properties: {
    id: p.uuid().primary().onCreate(() => crypto.randomUUID()),
    creatorId: p.uuid(),
    sessionId: p.uuid().unique('rehearsal_runs_session_uq'),
    sourceSessionId: p.uuid().nullable(),
    speed: p.integer(),
    tipCount: p.integer(),
    chatCount: p.integer(),
    viewerReportCount: p.integer(),
    /** Tips played. */
    played: p.integer(),
    status: p.enum(REHEARSAL_STATUSES),
    /** The session's start: every cue's time is counted from it. */
    startedAt: p.datetime(),
    endsAt: p.datetime(),
  },
  indexes: [
    { name: 'rehearsal_runs_creator_started_idx', properties: ['creatorId', 'startedAt'] },
    { name: 'rehearsal_runs_status_idx', properties: ['status'] },
  ],
  checks: [{ name: 'rehearsal_runs_speed_check', expression: 'speed in (1, 5)' }],
});
export type Rehearsal = InstanceType<typeof RehearsalEntity.class>;
