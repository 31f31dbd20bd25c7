import { defineEntity, p } from '@streaming-companion/sdk';
import type { Burst } from '../burst-limiter.ts';

/** One session's animation stage: what played last, what still plays, what waits (see burst-limiter). */
export const AnimationStageEntity = defineEntity({
  name: 'AnimationStage',
  tableName: 'animations_stages',
  properties: {
    sessionId: p.uuid().primary(),
    creatorId: p.uuid(),
    lastStartedAt: p.datetime().nullable(),
    /** ISO times at which the effects still playing end. */
    playingUntil: p.json<string[]>(),
    waiting: p.json<Burst>().nullable(),
    /** When the waiting burst may play: what the player's tick looks for. */
    waitingDueAt: p.datetime().nullable(),
  },
  indexes: [{ name: 'animations_stages_due_idx', properties: ['waitingDueAt'], where: 'waiting_due_at is not null' }],
});
export type AnimationStage = InstanceType<typeof AnimationStageEntity.class>;
