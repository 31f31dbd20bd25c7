import { ANIMATION_TYPES, type HttpRegistrar, type SessionsService } from '@streaming-companion/sdk';
import { z } from 'zod';
import type { AnimationPlayer } from './animation-player.ts';
import { AnimationIntensity, AnimationRuleDto, AnimationSettings, MediaUrl } from './contract.ts';
import { AnimationSettingsEntity } from './entities/animation-settings.ts';
import { animationRules } from './rules.ts';

const tags = ['animations'];
const IdParams = z.object({ id: z.uuid() });

/** `custom` shows the creator's own image or video, so it needs its `url`; the others have none. */
const needsUrl = <T extends { type?: string; url?: string | null }>(value: T) => (value.type === 'custom') === Boolean(value.url);
const urlRule = { path: ['url'], message: 'give an https or same-server url for a custom animation, and none for the others' };

const RuleBody = z
  .object({
    minAmountCents: z.int('must be a whole number of cents').positive('must be greater than 0').max(100_000_000),
    type: z.enum(ANIMATION_TYPES),
    intensity: AnimationIntensity.default(3),
    url: MediaUrl.nullable().default(null),
    active: z.boolean().default(true),
  })
  .strict()
  .refine(needsUrl, urlRule);


export function registerAnimationRoutes(http: HttpRegistrar, deps: { player: AnimationPlayer; sessions: SessionsService }): void {
  const { player, sessions } = deps;

  http.post(
    '/api/animations/trigger',
    {
      auth: 'creator',
      tags,
      summary: 'Play an animation on a live session’s overlays now',
      description: '`custom` plays the image or video at `metadata.url` (https, or a path on this server). It counts toward the cooldown and the cap that hold back the automatic ones.',
      body: z
        .object({
          sessionId: z.uuid(),
          type: z.enum(ANIMATION_TYPES),
          metadata: z.object({ intensity: AnimationIntensity.optional(), url: MediaUrl.optional() }).strict().optional(),
        })
        .refine((b) => needsUrl({ type: b.type, url: b.metadata?.url }), { ...urlRule, path: ['metadata', 'url'] }),
      response: z.object({ outcome: z.enum(['played', 'merged']) }),
    },
    async (req) => {
      const { sessionId, type, metadata } = req.body;
      await sessions.require(req.em, req.creator.id, sessionId, { live: true });
      return { outcome: await player.play(req.em, req.creator.id, { sessionId, type, ...metadata, source: 'manual' }) };
    },
  );

  const RuleList = z.object({ items: z.array(AnimationRuleDto) }).meta({ id: 'AnimationRuleList' });
  http.get('/api/animations/rules', { auth: 'creator', tags, summary: 'Your auto-trigger rules, by threshold', response: RuleList }, async (req) => ({
    items: await animationRules.list(req.em, req.creator.id),
  }));
  http.post(
    '/api/animations/rules',
    { auth: 'creator', tags, summary: 'Play an animation on every tip of at least this much', status: 201, body: RuleBody, response: AnimationRuleDto },
    (req) => animationRules.create(req.em, req.creator.id, req.body),
  );
  http.patch(
    '/api/animations/rules/:id',
    {
      auth: 'creator',
      tags,
      summary: 'Change a rule',
      params: IdParams,
      body: z
        .object({
          minAmountCents: z.int().positive().max(100_000_000).optional(),
          type: z.enum(ANIMATION_TYPES).optional(),
          intensity: AnimationIntensity.optional(),
          url: MediaUrl.nullable().optional(),
          active: z.boolean().optional(),
        })
        .strict()
        .refine((b) => Object.keys(b).length > 0, 'name at least one field')
        .refine((b) => b.type === undefined || needsUrl(b), urlRule),
      response: AnimationRuleDto,
    },
    (req) => animationRules.update(req.em, req.creator.id, req.params.id, req.body),
  );
  http.delete('/api/animations/rules/:id', { auth: 'creator', tags, summary: 'Delete a rule', params: IdParams, status: 204 }, async (req) => {
    await animationRules.remove(req.em, req.creator.id, req.params.id);
  });

  http.get('/api/animations/settings', { auth: 'creator', tags, summary: 'Your cooldown, cap on concurrent effects and effect length', response: AnimationSettings }, (req) =>
    player.limits(req.em, req.creator.id),
  );
  http.put(
    '/api/animations/settings',
    { auth: 'creator', tags, summary: 'Set your cooldown, cap on concurrent effects and effect length', body: AnimationSettings.strict(), response: AnimationSettings },
    async (req) => {
      await req.em.upsert(AnimationSettingsEntity, { creatorId: req.creator.id, ...req.body, updatedAt: new Date() });
      return player.limits(req.em, req.creator.id);
    },
  );
}
