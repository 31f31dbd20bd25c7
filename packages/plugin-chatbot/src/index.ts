export { ChatbotConfig } from './config.ts';
export * from './contract.ts';
export { ChatbotChatActivityEntity } from './entities/chat-activity.ts';
export { ChatbotClaimEntity } from './entities/claim.ts';
export { ChatbotConfigEntity, type Persona } from './entities/persona.ts';
export { ChatbotResponseTemplateEntity, type ResponseTemplate } from './entities/response-template.ts';
export { chatbotPlugin, createChatbotPlugin, type ChatbotPluginOptions } from './plugin.ts';
