import type { EntityManager } from '@streaming-companion/sdk';
import { ChatbotChatActivityEntity } from './entities/chat-activity.ts';

/** When each live session last had chat from a viewer: what `onlyWhenChatActive` timers look at. */
export class ChatActivity {
  async touch(em: EntityManager, creatorId: string, sessionId: string, at: Date): Promise<void> {
    await em.execute(
      `insert into chatbot_chat_activity (session_id, creator_id, last_message_at) values (?, ?, ?)
       on conflict (session_id) do update set last_message_at = greatest(chatbot_chat_activity.last_message_at, excluded.last_message_at)`,
      [sessionId, creatorId, at],
    );
  }

  async lastMessageAt(em: EntityManager, sessionId: string): Promise<Date | null> {
    return (await em.findOne(ChatbotChatActivityEntity, { sessionId }))?.lastMessageAt ?? null;
  }

  async forget(em: EntityManager, sessionId: string): Promise<void> {
    await em.nativeDelete(ChatbotChatActivityEntity, { sessionId });
  }
}
