import { defineEntity, p, type ViewerStanding } from '@streaming-companion/sdk';
import { CUE_KINDS } from '../cue.ts';

/** One tip, chat line or viewer count a rehearsal plays, and when: `offsetMs` after the start at 1×. */
export const RehearsalCueEntity = defineEntity({
  name: 'RehearsalCue',
  tableName: 'rehearsal_cues',
  properties: {
    rehearsalId: p.uuid().primary(),
    /** Cues play in this order, which is their time order. */
    index: p.integer().primary().fieldName('cue_index'),
    kind: p.enum(CUE_KINDS),
    offsetMs: p.integer(),
    // A tip's.
    amountCents: p.integer().nullable(),
    tokens: p.integer().nullable(),
    centsPerToken: p.integer().nullable(),
    tipperName: p.text().nullable(),
    isAnonymous: p.boolean().nullable(),
    /** A tip's message or a chat line. */
    message: p.text().nullable(),
    // A chat line's.
    senderName: p.text().nullable(),
    standing: p.json<ViewerStanding>().nullable(),
    // A viewer count's.
    viewerCount: p.integer().nullable(),
    /** Set in the transaction that plays it: a cue plays once, however often its job runs. */
    playedAt: p.datetime().nullable(),
  },
});
export type RehearsalCue = InstanceType<typeof RehearsalCueEntity.class>;
