import { defineEntity, p } from '@streaming-companion/sdk';
import { VIEWER_LEVELS, type ChatbotTrigger, type PersonaCooldowns, type PersonaLlm, type PersonaTimer } from '../contract.ts';

/** A chatbot persona: who answers, to what, how often (the spec's ChatbotConfigEntity). */
export const ChatbotConfigEntity = defineEntity({
  name: 'ChatbotConfig',
  tableName: 'chatbot_personas',
  properties: {
    id: p.uuid().primary().onCreate(() => crypto.randomUUID()),
    creatorId: p.uuid(),
    name: p.text(),
    avatarUrl: p.text().nullable(),
    enabled: p.boolean(),
    priority: p.integer(),
    triggers: p.json<ChatbotTrigger[]>(),
    cooldowns: p.json<PersonaCooldowns>(),
    minLevel: p.enum(VIEWER_LEVELS),
    timer: p.json<PersonaTimer>().nullable(),
    llm: p.json<PersonaLlm>().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
  indexes: [{ name: 'chatbot_personas_creator_idx', properties: ['creatorId'] }],
});
export type Persona = InstanceType<typeof ChatbotConfigEntity.class>;
