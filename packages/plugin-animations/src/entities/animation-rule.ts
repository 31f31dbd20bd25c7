import { ANIMATION_TYPES, defineEntity, p } from '@streaming-companion/sdk';

/** "Tips of at least this much play this": the spec's auto-trigger threshold, one per amount. */
export const AnimationRuleEntity = defineEntity({
  name: 'AnimationRule',
  tableName: 'animations_rules',
  properties: {
    id: p.uuid().primary().onCreate(() => crypto.randomUUID()),
    creatorId: p.uuid(),
    minAmountCents: p.integer(),
    type: p.enum(ANIMATION_TYPES),
    intensity: p.integer(),
    url: p.text().nullable(),
    active: p.boolean(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
  uniques: [{ name: 'animations_rules_threshold_uq', properties: ['creatorId', 'minAmountCents'] }],
  checks: [
    { name: 'animations_rules_min_amount_cents_check', expression: 'min_amount_cents > 0' },
    { name: 'animations_rules_intensity_check', expression: 'intensity >= 1 and intensity <= 10' },
  ],
});
export type AnimationRule = InstanceType<typeof AnimationRuleEntity.class>;
