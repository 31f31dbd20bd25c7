import { z } from 'zod';
import { TipGoalDto } from './contract.ts';

/** The largest target a goal may have, in cents (1,000,000.00). */
export const TARGET_CENTS_MAX = 100_000_000;

const Title = z.string().trim().min(1, 'must not be empty').max(200);
const TargetCents = z
  .int('must be a whole number of cents')
  .positive('must be greater than 0')
  .max(TARGET_CENTS_MAX, `must be at most ${TARGET_CENTS_MAX}`);
/** Blank clears it. */
const Description = z
  .string()
  .trim()
  .max(2_000)
  .transform((d) => d || null);
const Order = z.int('must be a whole number').min(0).max(10_000);

export const CreateGoalBody = z.object({
  sessionId: z.uuid(),
  title: Title,
  targetCents: TargetCents,
  description: Description.optional(),
  /** Where to insert it (0 = first); the end of the list when absent. */
  order: Order.optional(),
});
export type CreateGoalInput = z.output<typeof CreateGoalBody>;

export const UpdateGoalBody = z
  .object({
    title: Title.optional(),
    targetCents: TargetCents.optional(),
    description: Description.nullable().optional(),
    /** Move the goal to this position (0 = first); the others shift to make room. */
    order: Order.optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'name at least one of title, targetCents, description, order');
export type UpdateGoalInput = z.output<typeof UpdateGoalBody>;

export const GoalList = z.object({ items: z.array(TipGoalDto) }).meta({ id: 'TipGoalList' });
