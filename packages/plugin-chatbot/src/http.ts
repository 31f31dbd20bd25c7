import type { HttpRegistrar } from '@streaming-companion/sdk';
import { z } from 'zod';
import type { Chatbot } from './chatbot.ts';
import { ChatbotCapabilities, PersonaDto, TemplateDto, TryResult } from './contract.ts';
import type { Personas } from './personas.ts';
import type { ResponseTemplates } from './response-templates.ts';
import { CreatePersona, CreateTemplate, TryBody, UpdatePersona, UpdateTemplate } from './schemas.ts';

const tags = ['chatbot'];
const PersonaParams = z.object({ id: z.uuid() });
const TemplateParams = z.object({ id: z.uuid(), templateId: z.uuid() });

export interface ChatbotRouteDependencies {
  personas: Personas;
  templates: ResponseTemplates;
  chatbot: Chatbot;
  /** Whether the operator configured a language model (`llm` in the plugin config). */
  modelConfigured: boolean;
}

/** `/api/chatbot`: thin adapters over Personas, ResponseTemplates and the Chatbot's dry run. */
export function registerChatbotRoutes(http: HttpRegistrar, { personas, templates, chatbot, modelConfigured }: ChatbotRouteDependencies): void {
  const PersonaList = z.object({ items: z.array(PersonaDto) }).meta({ id: 'ChatbotPersonas' });
  const TemplateList = z.object({ items: z.array(TemplateDto) }).meta({ id: 'ChatbotResponseTemplates' });

  http.get(
    '/api/chatbot/capabilities',
    { auth: 'creator', tags, summary: "What this server's chatbot can do (whether a language model is configured)", response: ChatbotCapabilities },
    () => ({ model: modelConfigured }),
  );
  http.get('/api/chatbot/personas', { auth: 'creator', tags, summary: 'Your personas, highest priority first', response: PersonaList }, async (req) => ({
    items: await personas.list(req.em, req.creator.id),
  }));
  http.post('/api/chatbot/personas', { auth: 'creator', tags, summary: 'Add a persona', status: 201, body: CreatePersona, response: PersonaDto }, (req) =>
    personas.create(req.em, req.creator.id, req.body),
  );
  http.get('/api/chatbot/personas/:id', { auth: 'creator', tags, summary: 'One of your personas', params: PersonaParams, response: PersonaDto }, (req) =>
    personas.get(req.em, req.creator.id, req.params.id),
  );
  http.patch(
    '/api/chatbot/personas/:id',
    {
      auth: 'creator',
      tags,
      summary: 'Change a persona',
      description: '`cooldowns` changes the ones it names. `triggers` replaces the list: keep a trigger\'s `id` to keep the templates tied to it; those tied to a trigger left out are deleted.',
      params: PersonaParams,
      body: UpdatePersona,
      response: PersonaDto,
    },
    (req) => personas.update(req.em, req.creator.id, req.params.id, req.body),
  );
  http.delete('/api/chatbot/personas/:id', { auth: 'creator', tags, summary: 'Delete a persona and its templates', params: PersonaParams, status: 204 }, async (req) => {
    await personas.remove(req.em, req.creator.id, req.params.id);
  });

  http.get(
    '/api/chatbot/personas/:id/templates',
    { auth: 'creator', tags, summary: "A persona's response templates", params: PersonaParams, response: TemplateList },
    async (req) => ({ items: await templates.list(req.em, req.creator.id, req.params.id) }),
  );
  http.post(
    '/api/chatbot/personas/:id/templates',
    {
      auth: 'creator',
      tags,
      summary: 'Add a response template to a persona',
      description: 'Variables: `{senderName}`, `{tipperName}`, `{amount}`, `{goal.title}`, `{goal.remaining}`, `{menu}`; any other `{…}` is refused.',
      params: PersonaParams,
      status: 201,
      body: CreateTemplate,
      response: TemplateDto,
    },
    (req) => templates.create(req.em, req.creator.id, req.params.id, req.body),
  );
  http.patch(
    '/api/chatbot/personas/:id/templates/:templateId',
    { auth: 'creator', tags, summary: 'Change a response template', params: TemplateParams, body: UpdateTemplate, response: TemplateDto },
    (req) => templates.update(req.em, req.creator.id, req.params.id, req.params.templateId, req.body),
  );
  http.delete(
    '/api/chatbot/personas/:id/templates/:templateId',
    { auth: 'creator', tags, summary: 'Delete a response template', params: TemplateParams, status: 204 },
    async (req) => {
      await templates.remove(req.em, req.creator.id, req.params.id, req.params.templateId);
    },
  );

  http.post(
    '/api/chatbot/try',
    {
      auth: 'creator',
      tags,
      summary: 'Which persona would answer a chat line, and why',
      description: 'A dry run in your live session (if any): it claims no cooldown and asks no model; `responseText` is the template reply.',
      body: TryBody,
      response: TryResult,
    },
    (req) => chatbot.dryRun(req.em, req.creator.id, req.body),
  );
}
