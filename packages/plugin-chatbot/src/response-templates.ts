import { conflict, notFound, Problem, type EntityManager } from '@streaming-companion/sdk';
import type { TemplateDto } from './contract.ts';
import { ChatbotResponseTemplateEntity, type ResponseTemplate } from './entities/response-template.ts';
import type { Persona } from './entities/persona.ts';
import type { Personas } from './personas.ts';
import type { CreateTemplate, UpdateTemplate } from './schemas.ts';

/** Most templates one persona may have. */
const MAX_TEMPLATES = 100;

/** A persona's response templates, reached through the persona (so another creator's are a 404). */
export class ResponseTemplates {
  readonly #personas: Personas;

  constructor(personas: Personas) {
    this.#personas = personas;
  }

  async list(em: EntityManager, creatorId: string, personaId: string): Promise<TemplateDto[]> {
    await this.#personas.owned(em, creatorId, personaId);
    return (await em.find(ChatbotResponseTemplateEntity, { personaId }, { orderBy: { createdAt: 'asc', id: 'asc' } })).map(toTemplateDto);
  }

  async create(em: EntityManager, creatorId: string, personaId: string, input: CreateTemplate): Promise<TemplateDto> {
    const persona = await this.#personas.owned(em, creatorId, personaId);
    checkTrigger(persona, input.triggerId);
    if ((await em.count(ChatbotResponseTemplateEntity, { personaId })) >= MAX_TEMPLATES) {
      throw conflict('too_many_templates', `this persona has ${MAX_TEMPLATES} templates, the most there may be; delete one first`);
    }
    const template = em.create(ChatbotResponseTemplateEntity, { personaId, ...input });
    await em.flush();
    return toTemplateDto(template);
  }

  async update(em: EntityManager, creatorId: string, personaId: string, templateId: string, patch: UpdateTemplate): Promise<TemplateDto> {
    const persona = await this.#personas.owned(em, creatorId, personaId);
    if (patch.triggerId !== undefined) checkTrigger(persona, patch.triggerId);
    const template = await this.#owned(em, personaId, templateId);
    em.assign(template, patch);
    await em.flush();
    return toTemplateDto(template);
  }

  async remove(em: EntityManager, creatorId: string, personaId: string, templateId: string): Promise<void> {
    await this.#personas.owned(em, creatorId, personaId);
    em.remove(await this.#owned(em, personaId, templateId));
    await em.flush();
  }

  async #owned(em: EntityManager, personaId: string, templateId: string): Promise<ResponseTemplate> {
    const template = await em.findOne(ChatbotResponseTemplateEntity, { id: templateId, personaId });
    if (!template) throw notFound('template');
    return template;
  }
}

/** A template can only be tied to a trigger of its own persona. */
function checkTrigger(persona: Persona, triggerId: string | null): void {
  if (triggerId === null || persona.triggers.some((trigger) => trigger.id === triggerId)) return;
  const message = "must be the id of one of this persona's triggers, or null";
  throw new Problem(400, 'validation_failed', `body.triggerId: ${message}`, { errors: [{ field: 'body.triggerId', rule: 'unknown_trigger', message }] });
}

function toTemplateDto(template: ResponseTemplate): TemplateDto {
  return {
    id: template.id,
    personaId: template.personaId,
    text: template.text,
    weight: template.weight,
    triggerId: template.triggerId ?? null,
    createdAt: template.createdAt.toISOString(),
    updatedAt: template.updatedAt.toISOString(),
  };
}
