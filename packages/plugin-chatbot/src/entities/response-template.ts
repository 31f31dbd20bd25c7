import { defineEntity, p } from '@streaming-companion/sdk';

/** One reply a persona may give (the spec's ChatbotResponseTemplateEntity). */
export const ChatbotResponseTemplateEntity = defineEntity({
  name: 'ChatbotResponseTemplate',
  tableName: 'chatbot_templates',
  properties: {
    id: p.uuid().primary().onCreate(() => crypto.randomUUID()),
    personaId: p.uuid(),
    text: p.text(),
    weight: p.integer(),
    /** One of the persona's trigger ids: the template answers only that trigger. */
    triggerId: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
  indexes: [{ name: 'chatbot_templates_persona_idx', properties: ['personaId'] }],
  checks: [{ name: 'chatbot_templates_weight_check', expression: 'weight > 0' }],
});
export type ResponseTemplate = InstanceType<typeof ChatbotResponseTemplateEntity.class>;
