import { notFound, Problem, type AnimationType, type EntityManager } from '@streaming-companion/sdk';
import type { AnimationRuleDto } from './contract.ts';
import { AnimationRuleEntity, type AnimationRule } from './entities/animation-rule.ts';

export interface RuleInput {
  minAmountCents: number;
  type: AnimationType;
  intensity: number;
  url: string | null;
  active: boolean;
}

/** Whether the tip reaches an active rule's threshold: asked for every tip, with the other plugins' conditions. */
export const ruleReached = {
  sql: 'exists (select 1 from animations_rules where creator_id = ? and active and min_amount_cents <= ?)',
  params: ({ payload }: { payload: { creatorId: string; amountCents: number } }) => [payload.creatorId, payload.amountCents],
};

/** A creator's auto-trigger rules: one animation per tip, by the highest threshold the tip reaches. */
export const animationRules = {
  async list(em: EntityManager, creatorId: string): Promise<AnimationRuleDto[]> {
    return (await em.find(AnimationRuleEntity, { creatorId }, { orderBy: { minAmountCents: 'asc' } })).map(toDto);
  },

  async create(em: EntityManager, creatorId: string, input: RuleInput): Promise<AnimationRuleDto> {
    const rule = em.create(AnimationRuleEntity, { creatorId, ...input });
    await flushOrThreshold(em, input.minAmountCents);
    return toDto(rule);
  },

  async update(em: EntityManager, creatorId: string, id: string, patch: Partial<RuleInput>): Promise<AnimationRuleDto> {
    const rule = await em.findOne(AnimationRuleEntity, { id, creatorId });
    if (!rule) throw notFound('animation rule');
    em.assign(rule, patch);
    await flushOrThreshold(em, rule.minAmountCents);
    return toDto(rule);
  },

  async remove(em: EntityManager, creatorId: string, id: string): Promise<void> {
    if (!(await em.nativeDelete(AnimationRuleEntity, { id, creatorId }))) throw notFound('animation rule');
  },

  /** The active rule with the highest threshold the amount reaches, if any. */
  forAmount(em: EntityManager, creatorId: string, amountCents: number): Promise<AnimationRule | null> {
    return em.findOne(AnimationRuleEntity, { creatorId, active: true, minAmountCents: { $lte: amountCents } }, { orderBy: { minAmountCents: 'desc' } });
  },
};

/** Two rules on one threshold would leave it to chance which plays: the unique index refuses the second. */
async function flushOrThreshold(em: EntityManager, minAmountCents: number): Promise<void> {
  try {
    await em.flush();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== '23505' && (error as { name?: string }).name !== 'UniqueConstraintViolationException') throw error;
    throw new Problem(409, 'threshold_taken', `minAmountCents: another rule already starts at ${minAmountCents}`, {
      errors: [{ field: 'minAmountCents', rule: 'unique', message: 'another rule already starts at this amount' }],
    });
  }
}

function toDto(rule: AnimationRule): AnimationRuleDto {
  return {
    id: rule.id,
    minAmountCents: rule.minAmountCents,
    type: rule.type,
    intensity: rule.intensity,
    url: rule.url ?? null,
    active: rule.active,
    createdAt: rule.createdAt.toISOString(),
    updatedAt: rule.updatedAt.toISOString(),
  };
}
