import { z } from 'zod';

export const GOAL_STATUSES = ['pending', 'active', 'completed'] as const;
export type GoalStatus = (typeof GOAL_STATUSES)[number];

/** The largest target a goal may have, in cents (1,000,000.00). */
export const TARGET_CENTS_MAX = 100_000_000;

/** A tip goal as the API shows it (the spec's TipGoalEntity). */
export const TipGoalDto = z
  .object({
    id: z.uuid(),
    sessionId: z.uuid(),
    creatorId: z.uuid(),
    title: z.string(),
    description: z.string().nullable(),
    targetCents: z.int(),
    currentCents: z.int(),
    /** currentCents / targetCents in percent, at most 2 decimals, capped at 100. */
    percentage: z.number().min(0).max(100),
    /** 0-based position in the session's list. */
    order: z.int(),
    status: z.enum(GOAL_STATUSES),
    completedAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'TipGoal' });
export type TipGoal = z.output<typeof TipGoalDto>;

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
