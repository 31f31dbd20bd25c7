import { defineEvents, ViewerStanding, viewerText } from '@streaming-companion/sdk/contracts';
import { z } from 'zod';

/**
 * Viewer levels, lowest first: a persona or a trigger may require a minimum. A viewer's level
 * is the highest their platform standing gives them (see `levelOf`); the `recent_tips_*` levels
 * are Chaturbate's `recentTips` tiers, so "at least lots" lets lots and tons through.
 */
export const VIEWER_LEVELS = ['everyone', 'has_tokens', 'recent_tips_some', 'recent_tips_lots', 'recent_tips_tons', 'fan_club', 'moderator'] as const;
export type ViewerLevel = (typeof VIEWER_LEVELS)[number];

/** What an `event` trigger can answer. */
export const CHATBOT_EVENTS = ['tip', 'goal_completed', 'menu_item_purchased'] as const;
export type ChatbotEvent = (typeof CHATBOT_EVENTS)[number];

export const TRIGGER_TYPES = ['command', 'keyword', 'regex', 'tip', 'event'] as const;
export type TriggerType = (typeof TRIGGER_TYPES)[number];
/** What can set a reply off: a trigger, or the persona's timer. */
export const REPLY_CAUSES = [...TRIGGER_TYPES, 'timer'] as const;

/** The variables a template may use; any other `{…}` is refused when the template is saved. */
export const TEMPLATE_VARIABLES = ['senderName', 'tipperName', 'amount', 'goal.title', 'goal.remaining', 'menu'] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

const triggerBase = { id: z.uuid(), minLevel: z.enum(VIEWER_LEVELS).nullable() };

/** A saved trigger, as the API shows it. */
export const TriggerDto = z
  .discriminatedUnion('type', [
    z.object({ ...triggerBase, type: z.literal('command'), command: z.string() }),
    z.object({ ...triggerBase, type: z.literal('keyword'), keywords: z.array(z.string()) }),
    z.object({ ...triggerBase, type: z.literal('regex'), pattern: z.string() }),
    z.object({ ...triggerBase, type: z.literal('tip'), minCents: z.int(), maxCents: z.int().nullable() }),
    z.object({ ...triggerBase, type: z.literal('event'), event: z.enum(CHATBOT_EVENTS) }),
  ])
  .meta({ id: 'ChatbotTrigger' });
export type ChatbotTrigger = z.output<typeof TriggerDto>;

export const PersonaCooldowns = z.object({ personaSeconds: z.int(), triggerSeconds: z.int(), senderSeconds: z.int() });
export type PersonaCooldowns = z.output<typeof PersonaCooldowns>;
export const PersonaTimer = z.object({ everyMinutes: z.int(), onlyWhenChatActive: z.boolean() });
export type PersonaTimer = z.output<typeof PersonaTimer>;
export const PersonaLlm = z.object({ enabled: z.boolean(), systemPrompt: z.string() });
export type PersonaLlm = z.output<typeof PersonaLlm>;

/** A persona (the spec's ChatbotConfigEntity). */
export const PersonaDto = z
  .object({
    id: z.uuid(),
    name: z.string(),
    avatarUrl: z.string().nullable(),
    enabled: z.boolean(),
    /** Higher answers first. */
    priority: z.int(),
    triggers: z.array(TriggerDto),
    cooldowns: PersonaCooldowns,
    minLevel: z.enum(VIEWER_LEVELS),
    timer: PersonaTimer.nullable(),
    llm: PersonaLlm.nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'ChatbotPersona' });
export type PersonaDto = z.output<typeof PersonaDto>;

/** A response template (the spec's ChatbotResponseTemplateEntity). */
export const TemplateDto = z
  .object({
    id: z.uuid(),
    personaId: z.uuid(),
    text: z.string(),
    /** Relative odds among the templates that fit. */
    weight: z.int(),
    /** Only for this trigger of the persona; null for any. */
    triggerId: z.uuid().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'ChatbotResponseTemplate' });
export type TemplateDto = z.output<typeof TemplateDto>;

/** What set a reply off: one of the persona's triggers, or its timer (no id). */
export const ReplyTrigger = z.object({ id: z.uuid().nullable(), type: z.enum(REPLY_CAUSES) });
export type ReplyTrigger = z.output<typeof ReplyTrigger>;

/** The spec's `chatbot_response`. `responseText` is plain text that may quote viewers: escape it wherever it is shown. */
export const ChatbotResponse = z.object({
  sessionId: z.uuid(),
  personaId: z.uuid(),
  personaName: z.string(),
  avatarUrl: z.string().nullable(),
  responseText: z.string(),
  trigger: ReplyTrigger,
});
export type ChatbotResponse = z.output<typeof ChatbotResponse>;

/** The spec's `chatbot_message`: a chat line to route through the personas (standing, when the client knows it, sets the level). */
export const ChatbotMessage = z
  .object({
    sessionId: z.uuid(),
    senderName: viewerText(100).pipe(z.string('must have a visible character')),
    message: viewerText(2_000).pipe(z.string('must have a visible character')),
    standing: ViewerStanding.optional(),
  })
  .strict();

/** What `POST /api/chatbot/try` answers: who would answer a chat line, and why. */
export const TryResult = z
  .object({
    answered: z.boolean(),
    personaId: z.uuid().nullable(),
    personaName: z.string().nullable(),
    responseText: z.string().nullable(),
    trigger: ReplyTrigger.nullable(),
    /** One line per persona (and one for a refused sender), in the order they were considered. */
    why: z.array(z.string()),
  })
  .meta({ id: 'ChatbotTryResult' });
export type TryResult = z.output<typeof TryResult>;

/** The chatbot plugin's events: the spec's `chatbot_message` and `chatbot_response`. */
export const chatbotEvents = defineEvents('chatbot', {
  commands: { chatbot_message: ChatbotMessage },
  socket: { chatbot_response: ChatbotResponse },
  overlay: ['chatbot_response'],
});

/** What this server's chatbot can do: `model` says whether personas may hand their replies to a language model. */
export const ChatbotCapabilities = z.object({ model: z.boolean() }).meta({ id: 'ChatbotCapabilities' });
export type ChatbotCapabilities = z.output<typeof ChatbotCapabilities>;
