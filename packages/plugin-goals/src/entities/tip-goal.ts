import { defineEntity, p } from '@streaming-companion/sdk';

/**
 * A goal of a session (the spec's TipGoalEntity). Status is not stored: a goal is completed
 * when `completedAt` is set, and the first goal of its session (by `order`) that is not
 * completed is the active one.
 */
export const TipGoalEntity = defineEntity({
  name: 'TipGoal',
  tableName: 'goals_tip_goals',
  properties: {
    id: p.uuid().primary().onCreate(() => crypto.randomUUID()),
    creatorId: p.uuid(),
    sessionId: p.uuid(),
    title: p.text(),
    description: p.text().nullable(),
    targetCents: p.bigint('number'),
    currentCents: p.bigint('number').defaultRaw('0'),
    /** 0-based position in the session's list. */
    order: p.integer().fieldName('sort_order'),
    completedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
  indexes: [{ name: 'goals_tip_goals_session_idx', properties: ['sessionId', 'order'] }],
  checks: [
    { name: 'goals_tip_goals_target_cents_check', expression: 'target_cents > 0' },
    { name: 'goals_tip_goals_current_cents_check', expression: 'current_cents >= 0' },
    { name: 'goals_tip_goals_sort_order_check', expression: 'sort_order >= 0' },
  ],
});
export type TipGoalRecord = InstanceType<typeof TipGoalEntity.class>;
