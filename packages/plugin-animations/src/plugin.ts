import { coreServices, definePlugin, packageManifest } from '@streaming-companion/sdk';
import { tipEvents } from '@streaming-companion/plugin-tips/contract';
import { z } from 'zod';
import { AnimationPlayer } from './animation-player.ts';
import { AnimationsConfig } from './config.ts';
import { animationEvents, animationsServiceRef } from './contract.ts';
import { AnimationRuleEntity } from './entities/animation-rule.ts';
import { AnimationSettingsEntity } from './entities/animation-settings.ts';
import { AnimationStageEntity } from './entities/animation-stage.ts';
import { registerAnimationRoutes } from './http.ts';
import { animationsMigrations } from './migrations.ts';
import { animationRules, ruleReached } from './rules.ts';

/** How often waiting bursts are looked for; a held-back burst plays at most this late. */
const TICK_MS = 500;

export const animationsPlugin = definePlugin({
  ...packageManifest(new URL('../package.json', import.meta.url)),
  deps: { sessions: coreServices.sessions, clock: coreServices.clock, tips: tipEvents },
  config: AnimationsConfig,
  events: animationEvents,
  entities: [AnimationRuleEntity, AnimationStageEntity, AnimationSettingsEntity],
  migrations: animationsMigrations,
  async setup(ctx, { sessions, clock, tips }) {
    const player = new AnimationPlayer({ realtime: ctx.realtime, clock, defaults: ctx.config });
    registerAnimationRoutes(ctx.http, { player, sessions });

    // The spec's auto-trigger: a tip reaching a rule's threshold plays its animation, once per tip.
    ctx.events.on(
      tips.domain['streaming.tip.received'],
      async ({ payload }, job) => {
        const rule = await animationRules.forAmount(job.em, payload.creatorId, payload.amountCents);
        if (!rule) return;
        await player.play(job.em, payload.creatorId, {
          sessionId: payload.sessionId,
          type: rule.type,
          intensity: rule.intensity,
          url: rule.url ?? undefined,
          source: 'rule',
          tipId: payload.tipId,
        });
      },
      // Most tips reach no rule: found without a transaction, and then nothing is recorded.
      { name: 'play-rule', once: true, when: ruleReached },
    );

    const playDue = ctx.jobs.define('play-due', z.object({}), async (_data, job) => {
      await player.playDue(job.em);
    });
    await ctx.jobs.schedule(playDue, 'play-due', { everyMs: TICK_MS }, {});

    ctx.provide(animationsServiceRef, player);
  },
});
