import { ANIMATION_TYPES, createServiceRef, defineEvents, type AnimationType, type EntityManager } from '@streaming-companion/sdk/contracts';
import { z } from 'zod';
import { isSafeMediaUrl } from './media-url.ts';

/** How big an effect is: 1 (a few particles) to 10 (a screenful). */
export const AnimationIntensity = z.int().min(1).max(10);

export const MediaUrl = z.string().trim().max(2_048).refine(isSafeMediaUrl, 'must be an https URL or a path on this server (/…)');

export const ANIMATION_SOURCES = ['manual', 'rule', 'menu'] as const;
export type AnimationSource = (typeof ANIMATION_SOURCES)[number];

/** The spec leaves `metadata` open; these are the keys the overlays read. */
export const AnimationMetadata = z.looseObject({
  intensity: AnimationIntensity.optional(),
  /** The image or video of a `custom` animation. */
  url: MediaUrl.optional(),
  /** How many triggers this one effect stands for, when a burst was merged. */
  merged: z.int().min(2).optional(),
  source: z.enum(ANIMATION_SOURCES).optional(),
  tipId: z.uuid().optional(),
});
export type AnimationMetadata = z.infer<typeof AnimationMetadata>;

/** The spec's `animation_trigger { sessionId, type, metadata? }`. */
export const AnimationTrigger = z.object({ sessionId: z.uuid(), type: z.enum(ANIMATION_TYPES), metadata: AnimationMetadata.optional() });
export type AnimationTrigger = z.infer<typeof AnimationTrigger>;

export const AnimationRuleDto = z
  .object({
    id: z.uuid(),
    minAmountCents: z.int(),
    type: z.enum(ANIMATION_TYPES),
    intensity: z.int(),
    url: z.string().nullable(),
    active: z.boolean(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'AnimationRule' });
export type AnimationRuleDto = z.infer<typeof AnimationRuleDto>;

/** A creator's limits on automatic animations (see the README). */
export const AnimationSettings = z
  .object({
    cooldownMs: z.int().min(0).max(60_000),
    maxConcurrent: z.int().min(1).max(10),
    effectMs: z.int().min(500).max(60_000),
  })
  .meta({ id: 'AnimationSettings' });
export type AnimationSettings = z.infer<typeof AnimationSettings>;

export const animationEvents = defineEvents('animations', {
  socket: { animation_trigger: AnimationTrigger },
  overlay: ['animation_trigger'],
});

export interface AnimationRequest {
  sessionId: string;
  type: AnimationType;
  /** 1-10; 3 when absent. */
  intensity?: number;
  /** Required for `custom`. */
  url?: string;
  source: AnimationSource;
  tipId?: string;
}

/** `played` now, or `merged` into the burst that plays when the cooldown and the cap allow. */
export type AnimationOutcome = 'played' | 'merged';

export interface AnimationsService {
  /**
   * Play an animation on a live session's overlays, within the creator's cooldown and cap on
   * concurrent effects: a trigger they hold back joins the session's next effect, which grows.
   * Call it inside the transaction of the change that caused it.
   */
  play(em: EntityManager, creatorId: string, request: AnimationRequest): Promise<AnimationOutcome>;
}

/** `deps: { animations: animationsServiceRef }` (or `optional(animationsServiceRef)`). */
export const animationsServiceRef = createServiceRef<AnimationsService>({ id: 'animations.service', providedBy: 'animations' });
