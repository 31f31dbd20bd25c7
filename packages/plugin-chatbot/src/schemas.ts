import { ViewerStanding, viewerText } from '@streaming-companion/sdk';
import { z } from 'zod';
import { LONGEST_CLAIM_SECONDS } from './claims.ts';
import { CHATBOT_EVENTS, VIEWER_LEVELS, type ChatbotTrigger } from './contract.ts';
import { PATTERN_MAX_LENGTH, patternError } from './safe-patterns.ts';
import { REPLY_MAX_LENGTH, templateError } from './template-text.ts';
import { wordsOf } from './trigger-match.ts';

/** What the routes accept; `contract.ts` has what they answer. */

const Level = z.enum(VIEWER_LEVELS);
const Cents = z.int('must be a whole number of cents').min(1, 'must be at least 1').max(100_000_000);

/** Every trigger: an id (kept when given, so templates stay tied to it; made when not) and an optional minimum level of its own. */
const triggerFields = { id: z.uuid().optional(), minLevel: Level.nullable().default(null) };

const TriggerInput = z
  .discriminatedUnion('type', [
    z
      .object({
        ...triggerFields,
        type: z.literal('command'),
        command: z
          .string()
          .trim()
          .regex(/^\S{1,32}$/, 'must be one word of at most 32 characters, e.g. !menu')
          .transform((command) => command.toLowerCase()),
      })
      .strict(),
    z
      .object({
        ...triggerFields,
        type: z.literal('keyword'),
        keywords: z
          .array(
            z
              .string()
              .trim()
              .max(60, 'must be at most 60 characters')
              .refine((keyword) => wordsOf(keyword).length > 0, 'must contain a letter or a digit'),
          )
          .min(1, 'give at least one keyword')
          .max(20, 'at most 20 keywords'),
      })
      .strict(),
    z
      .object({
        ...triggerFields,
        type: z.literal('regex'),
        pattern: z
          .string()
          .min(1, 'must not be empty')
          .max(PATTERN_MAX_LENGTH, `must be at most ${PATTERN_MAX_LENGTH} characters`)
          .superRefine((pattern, ctx) => {
            const error = patternError(pattern);
            if (error) ctx.addIssue({ code: 'custom', message: error });
          }),
      })
      .strict(),
    z
      .object({ ...triggerFields, type: z.literal('tip'), minCents: Cents, maxCents: Cents.nullable().default(null) })
      .strict()
      .refine((trigger) => trigger.maxCents === null || trigger.maxCents >= trigger.minCents, { path: ['maxCents'], message: 'must be at least minCents' }),
    z.object({ ...triggerFields, type: z.literal('event'), event: z.enum(CHATBOT_EVENTS) }).strict(),
  ])
  .transform((trigger): ChatbotTrigger => ({ ...trigger, id: trigger.id ?? crypto.randomUUID() }));

const TriggersInput = z
  .array(TriggerInput)
  .max(20, 'at most 20 triggers')
  .superRefine((triggers, ctx) => {
    const seen = new Set<string>();
    triggers.forEach((trigger, index) => {
      if (seen.has(trigger.id)) ctx.addIssue({ code: 'custom', path: [index, 'id'], message: 'each trigger needs an id of its own' });
      seen.add(trigger.id);
    });
  });

const Seconds = z.int('must be whole seconds').min(0).max(LONGEST_CLAIM_SECONDS, `must be at most ${LONGEST_CLAIM_SECONDS} (a day)`);

const DEFAULT_COOLDOWNS = { personaSeconds: 5, triggerSeconds: 15, senderSeconds: 30 };

const PersonaFields = {
  name: z.string().trim().min(1, 'must not be empty').max(50, 'must be at most 50 characters'),
  avatarUrl: z.url({ protocol: /^https$/, error: 'must be an https URL' }).max(2_048).nullable(),
  enabled: z.boolean(),
  priority: z.int().min(-1_000).max(1_000),
  triggers: TriggersInput,
  minLevel: Level,
  timer: z
    .object({ everyMinutes: z.int('must be whole minutes').min(1).max(1_440, 'must be at most 1440 (a day)'), onlyWhenChatActive: z.boolean().default(true) })
    .strict()
    .nullable(),
  llm: z
    .object({ enabled: z.boolean().default(true), systemPrompt: z.string().trim().min(1, 'must not be empty').max(2_000, 'must be at most 2000 characters') })
    .strict()
    .nullable(),
};

export const CreatePersona = z
  .object({
    ...PersonaFields,
    avatarUrl: PersonaFields.avatarUrl.default(null),
    enabled: PersonaFields.enabled.default(true),
    priority: PersonaFields.priority.default(0),
    triggers: PersonaFields.triggers.default([]),
    cooldowns: z
      .object({
        personaSeconds: Seconds.default(DEFAULT_COOLDOWNS.personaSeconds),
        triggerSeconds: Seconds.default(DEFAULT_COOLDOWNS.triggerSeconds),
        senderSeconds: Seconds.default(DEFAULT_COOLDOWNS.senderSeconds),
      })
      .strict()
      .default(DEFAULT_COOLDOWNS),
    minLevel: PersonaFields.minLevel.default('everyone'),
    timer: PersonaFields.timer.default(null),
    llm: PersonaFields.llm.default(null),
  })
  .strict();
export type CreatePersona = z.output<typeof CreatePersona>;

/** Any of the fields; `cooldowns` changes the ones it names; `triggers` replaces the list (templates tied to a trigger left out are deleted). */
export const UpdatePersona = z
  .object({
    ...PersonaFields,
    cooldowns: z.object({ personaSeconds: Seconds, triggerSeconds: Seconds, senderSeconds: Seconds }).partial().strict(),
  })
  .partial()
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'name at least one field to change');
export type UpdatePersona = z.output<typeof UpdatePersona>;

const TemplateFields = {
  text: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(REPLY_MAX_LENGTH, `must be at most ${REPLY_MAX_LENGTH} characters`)
    .superRefine((text, ctx) => {
      const error = templateError(text);
      if (error) ctx.addIssue({ code: 'custom', message: error });
    }),
  weight: z.int('must be a whole number').min(1, 'must be at least 1').max(1_000),
  triggerId: z.uuid().nullable(),
};

export const CreateTemplate = z
  .object({ ...TemplateFields, weight: TemplateFields.weight.default(1), triggerId: TemplateFields.triggerId.default(null) })
  .strict();
export type CreateTemplate = z.output<typeof CreateTemplate>;

export const UpdateTemplate = z
  .object(TemplateFields)
  .partial()
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'name at least one field to change');
export type UpdateTemplate = z.output<typeof UpdateTemplate>;

const visible = (max: number) => viewerText(max).pipe(z.string('must have a visible character'));

/** A chat line to try the personas on, as a viewer with this standing. */
export const TryBody = z
  .object({ message: visible(2_000), senderName: visible(100).default('viewer'), standing: ViewerStanding.default({}) })
  .strict();
