import type { SessionsService, SocketRegistrar } from '@streaming-companion/sdk';
import type { Chatbot } from './chatbot.ts';
import { chatbotEvents } from './contract.ts';
import { chatOccasion } from './occasion.ts';
import { levelOf } from './viewer-levels.ts';

/** The spec's `chatbot_message`, in one of the creator's own live sessions; acked with the reply sent (or null). */
export function registerChatbotSocketEvents(socket: SocketRegistrar, { chatbot, sessions }: { chatbot: Chatbot; sessions: SessionsService }): void {
  socket.on(chatbotEvents.commands.chatbot_message, async ({ sessionId, senderName, message, standing }, ctx) => {
    await sessions.require(ctx.em, ctx.creator.id, sessionId, { live: true });
    return chatbot.answer(ctx.em, chatOccasion({ creatorId: ctx.creator.id, sessionId, senderName, message, level: levelOf(standing) }));
  });
}
