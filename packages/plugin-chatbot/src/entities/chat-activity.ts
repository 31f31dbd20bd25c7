import { defineEntity, p } from '@streaming-companion/sdk';

/** When a live session last had chat, for timers that only speak into an active chat. Dropped when the session ends. */
export const ChatbotChatActivityEntity = defineEntity({
  name: 'ChatbotChatActivity',
  tableName: 'chatbot_chat_activity',
  properties: {
    sessionId: p.uuid().primary(),
    creatorId: p.uuid(),
    lastMessageAt: p.datetime(),
  },
});
