import { conflict, notFound, type EntityManager } from '@streaming-companion/sdk';
import type { PersonaDto } from './contract.ts';
import { ChatbotConfigEntity, type Persona } from './entities/persona.ts';
import { ChatbotResponseTemplateEntity } from './entities/response-template.ts';
import type { CreatePersona, UpdatePersona } from './schemas.ts';

/** Most personas one creator may have: every chat line is checked against each. */
const MAX_PERSONAS = 50;

/** A creator's personas. Another creator's persona is indistinguishable from a missing one. */
export class Personas {
  async list(em: EntityManager, creatorId: string): Promise<PersonaDto[]> {
    return (await em.find(ChatbotConfigEntity, { creatorId }, { orderBy: { priority: 'desc', createdAt: 'asc', id: 'asc' } })).map(toPersonaDto);
  }

  async get(em: EntityManager, creatorId: string, personaId: string): Promise<PersonaDto> {
    return toPersonaDto(await this.owned(em, creatorId, personaId));
  }

  async create(em: EntityManager, creatorId: string, input: CreatePersona): Promise<PersonaDto> {
    if ((await em.count(ChatbotConfigEntity, { creatorId })) >= MAX_PERSONAS) {
      throw conflict('too_many_personas', `you have ${MAX_PERSONAS} personas, the most there may be; delete one first`);
    }
    const persona = em.create(ChatbotConfigEntity, { creatorId, ...input });
    await em.flush();
    return toPersonaDto(persona);
  }

  /** Change a persona; templates tied to a trigger the new list leaves out are deleted with it. */
  async update(em: EntityManager, creatorId: string, personaId: string, patch: UpdatePersona): Promise<PersonaDto> {
    return em.transactional(async (tx) => {
      const persona = await this.owned(tx, creatorId, personaId);
      const { cooldowns, ...rest } = patch;
      tx.assign(persona, { ...rest, ...(cooldowns ? { cooldowns: { ...persona.cooldowns, ...cooldowns } } : {}) });
      if (patch.triggers) {
        const kept = patch.triggers.map((trigger) => trigger.id);
        await tx.nativeDelete(ChatbotResponseTemplateEntity, { personaId, triggerId: { $ne: null, $nin: kept } });
      }
      await tx.flush();
      return toPersonaDto(persona);
    });
  }

  async remove(em: EntityManager, creatorId: string, personaId: string): Promise<void> {
    await em.transactional(async (tx) => {
      const persona = await this.owned(tx, creatorId, personaId);
      await tx.nativeDelete(ChatbotResponseTemplateEntity, { personaId });
      tx.remove(persona);
    });
  }

  async owned(em: EntityManager, creatorId: string, personaId: string): Promise<Persona> {
    const persona = await em.findOne(ChatbotConfigEntity, { id: personaId, creatorId });
    if (!persona) throw notFound('persona');
    return persona;
  }
}

function toPersonaDto(persona: Persona): PersonaDto {
  return {
    id: persona.id,
    name: persona.name,
    avatarUrl: persona.avatarUrl ?? null,
    enabled: persona.enabled,
    priority: persona.priority,
    triggers: persona.triggers,
    cooldowns: persona.cooldowns,
    minLevel: persona.minLevel,
    timer: persona.timer ?? null,
    llm: persona.llm ?? null,
    createdAt: persona.createdAt.toISOString(),
    updatedAt: persona.updatedAt.toISOString(),
  };
}
