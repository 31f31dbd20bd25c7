import { coreServices, definePlugin, optional, packageManifest } from '@streaming-companion/sdk';
import { goalEvents, goalsServiceRef } from '@streaming-companion/plugin-goals/contract';
import { menuEvents, menuServiceRef } from '@streaming-companion/plugin-menu/contract';
import { tipEvents, tipsServiceRef } from '@streaming-companion/plugin-tips/contract';
import { z } from 'zod';
import { ChatActivity } from './chat-activity.ts';
import { OpenAiCompatibleModel } from './chat-model.ts';
import { Chatbot } from './chatbot.ts';
import { Claims } from './claims.ts';
import { ChatbotConfig } from './config.ts';
import { chatbotEvents } from './contract.ts';
import { ChatbotChatActivityEntity } from './entities/chat-activity.ts';
import { ChatbotClaimEntity } from './entities/claim.ts';
import { ChatbotConfigEntity } from './entities/persona.ts';
import { ChatbotResponseTemplateEntity } from './entities/response-template.ts';
import { registerChatbotRoutes } from './http.ts';
import { chatbotMigrations } from './migrations.ts';
import { PersonaRouter } from './persona-router.ts';
import { PersonaTimers } from './persona-timers.ts';
import { Personas } from './personas.ts';
import { ReplyWriter } from './reply-writer.ts';
import { ResponseTemplates } from './response-templates.ts';
import { registerChatbotSocketEvents } from './socket.ts';
import { subscribeToOccasions } from './subscribers.ts';
import type { RandomSource } from './weighted-choice.ts';

export interface ChatbotPluginOptions {
  /** Picks among templates (Math.random unless given): tests pass their own to choose deterministically. */
  random?: RandomSource;
}

/** The chatbot plugin, with its template choice drawn from `options.random`. */
export function createChatbotPlugin(options: ChatbotPluginOptions = {}) {
  return definePlugin({
    ...packageManifest(new URL('../package.json', import.meta.url)),
    deps: {
      sessions: coreServices.sessions,
      clock: coreServices.clock,
      tips: tipsServiceRef,
      tipEvents,
      goals: optional(goalsServiceRef),
      goalEvents: optional(goalEvents),
      menu: optional(menuServiceRef),
      menuEvents: optional(menuEvents),
    },
    config: ChatbotConfig,
    events: chatbotEvents,
    entities: [ChatbotConfigEntity, ChatbotResponseTemplateEntity, ChatbotClaimEntity, ChatbotChatActivityEntity],
    migrations: chatbotMigrations,
    async setup(ctx, { sessions, clock, tips, tipEvents, goals, goalEvents, menu, menuEvents }) {
      const { llm } = ctx.config;
      const claims = new Claims();
      const activity = new ChatActivity();
      const router = new PersonaRouter({ random: options.random ?? Math.random, goals, menu });
      const writer = new ReplyWriter({ model: llm && new OpenAiCompatibleModel(llm), timeoutMs: llm?.timeoutMs ?? 0, log: ctx.log });
      const chatbot = new Chatbot({ router, claims, activity, writer, sessions, realtime: ctx.realtime, clock });
      const personas = new Personas();
      registerChatbotRoutes(ctx.http, { personas, templates: new ResponseTemplates(personas), chatbot, modelConfigured: Boolean(llm) });
      registerChatbotSocketEvents(ctx.socket, { chatbot, sessions });
      subscribeToOccasions(ctx.events, { chatbot, claims, activity, tips, tipEvents, goalEvents, menuEvents });

      const timers = new PersonaTimers({ sessions, claims, activity, router, chatbot, clock });
      const sendDueTimers = ctx.jobs.define('send-due-timers', z.object({}), async (_data, job) => {
        await timers.sendDue(job.em);
      });
      await ctx.jobs.schedule(sendDueTimers, 'send-due-timers', { everyMs: ctx.config.timerCheckEveryMs }, {});
    },
  });
}

export const chatbotPlugin = createChatbotPlugin();
