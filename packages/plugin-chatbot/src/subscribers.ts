import { cleanViewerText, kernelEvents, type EventBus } from '@streaming-companion/sdk';
import type { goalEvents } from '@streaming-companion/plugin-goals/contract';
import type { menuEvents } from '@streaming-companion/plugin-menu/contract';
import type { tipEvents, TipsService } from '@streaming-companion/plugin-tips/contract';
import type { ChatActivity } from './chat-activity.ts';
import { creatorHasPersonaOn, type Chatbot } from './chatbot.ts';
import type { Claims } from './claims.ts';
import { chatOccasion } from './occasion.ts';
import { levelOf } from './viewer-levels.ts';

export interface OccasionSources {
  chatbot: Chatbot;
  claims: Claims;
  activity: ChatActivity;
  tips: TipsService;
  tipEvents: typeof tipEvents;
  /** Absent when their plugins are not loaded. */
  goalEvents: typeof goalEvents | undefined;
  menuEvents: typeof menuEvents | undefined;
}

/**
 * The domain events personas answer: chat a connector brings in, tips, goal completions and
 * menu purchases, each answered once (the event id is claimed with the answer). And the end
 * of a session, which drops what its timers kept.
 */
export function subscribeToOccasions(events: EventBus, { chatbot, claims, activity, tips, tipEvents, goalEvents, menuEvents }: OccasionSources): void {
  events.on(
    kernelEvents.domain['streaming.chat.message'],
    async ({ id, payload }, job) => {
      // Connectors pass chat as the platform sent it: cleaned here like any viewer text.
      const senderName = cleanViewerText(payload.senderName);
      const message = cleanViewerText(payload.message);
      if (!senderName || !message) return;
      const { creatorId, sessionId, standing } = payload;
      await chatbot.answer(job.em, chatOccasion({ creatorId, sessionId, senderName, message, level: levelOf(standing) }), id);
    },
    { name: 'answer-chat' },
  );

  events.on(
    tipEvents.domain['streaming.tip.received'],
    async ({ id, payload: { creatorId, sessionId, tipId } }, job) => {
      const tip = await tips.get(job.em, creatorId, tipId);
      if (tip) await chatbot.answer(job.em, { kind: 'tip', creatorId, sessionId, tip }, id);
    },
    { name: 'answer-tip', when: creatorHasPersonaOn },
  );

  if (goalEvents) {
    events.on(
      goalEvents.domain['streaming.goal.completed'],
      async ({ id, payload: { creatorId, sessionId, goalId } }, job) => {
        await chatbot.answer(job.em, { kind: 'goal_completed', creatorId, sessionId, goalId }, id);
      },
      { name: 'answer-goal', when: creatorHasPersonaOn },
    );
  }

  if (menuEvents) {
    events.on(
      menuEvents.domain['streaming.menu_item.purchased'],
      async ({ id, payload: { creatorId, sessionId, tipId, title } }, job) => {
        const tip = await tips.get(job.em, creatorId, tipId);
        if (tip) await chatbot.answer(job.em, { kind: 'menu_item_purchased', creatorId, sessionId, tip, itemTitle: title }, id);
      },
      { name: 'answer-menu-purchase', when: creatorHasPersonaOn },
    );
  }

  events.on(
    kernelEvents.domain['streaming.session.ended'],
    async ({ payload: { sessionId } }, job) => {
      await claims.forgetSession(job.em, sessionId);
      await activity.forget(job.em, sessionId);
    },
    { name: 'forget-session' },
  );
}
