import { defineEntity, p } from '@streaming-companion/sdk';

/** One tip a rehearsal plays, and when: `offsetMs` after the start at 1×. */
export const RehearsalCueEntity = defineEntity({
  name: 'RehearsalCue',
  tableName: 'rehearsal_cues',
  properties: {
    rehearsalId: p.uuid().primary(),
    index: p.integer().primary().fieldName('cue_index'),
    offsetMs: p.integer(),
    amountCents: p.integer(),
    tokens: p.integer().nullable(),
    centsPerToken: p.integer().nullable(),
    tipperName: p.text().nullable(),
    message: p.text().nullable(),
    isAnonymous: p.boolean(),
    /** Set in the transaction that records its tip: a cue plays once, however often its job runs. */
    playedAt: p.datetime().nullable(),
  },
});
export type RehearsalCue = InstanceType<typeof RehearsalCueEntity.class>;
