import type { EntityManager } from '@streaming-companion/sdk';
import { claimKeys, type Claim } from './claims.ts';
import type { ChatbotTrigger, ReplyTrigger, TemplateVariable } from './contract.ts';
import { ChatbotConfigEntity, type Persona } from './entities/persona.ts';
import { ChatbotResponseTemplateEntity, type ResponseTemplate } from './entities/response-template.ts';
import { viewerOf, type Occasion, type Viewer } from './occasion.ts';
import { ReplyVariables, type VariableSources } from './reply-variables.ts';
import { renderTemplate, variablesIn } from './template-text.ts';
import { describeTrigger, triggerMatches } from './trigger-match.ts';
import { meetsLevel, strictestLevel } from './viewer-levels.ts';
import { pickWeighted, type RandomSource } from './weighted-choice.ts';

/** Who answers and with which template reply (sent as is, unless the persona's model writes a better one). */
export interface Answer {
  persona: Persona;
  cause: ReplyTrigger;
  text: string;
}

export interface Decision {
  answer: Answer | null;
  /** One line per persona considered, for the dry run. */
  why: string[];
  /** The sender bears one of the creator's persona names: nothing answers it, and it is no viewer's chat. */
  fromPersona: boolean;
}

/** Let these cooldowns pass, claiming them (a real answer) or only looking (a dry run): null when they pass, or what holds them. */
export type CooldownGate = (claims: Claim[]) => Promise<string | null>;

export interface PersonaRouterDependencies extends VariableSources {
  random: RandomSource;
}

/** Highest priority first; among equals, the oldest. */
const PERSONA_ORDER = { priority: 'desc', createdAt: 'asc', id: 'asc' } as const;

/**
 * Picks the persona that answers an occasion: the first, by priority, that is enabled, has a
 * trigger that matches (its first one, in the creator's order), lets the viewer's level
 * through, has a template that fits, and whose cooldowns pass the gate.
 */
export class PersonaRouter {
  readonly #d: PersonaRouterDependencies;

  constructor(dependencies: PersonaRouterDependencies) {
    this.#d = dependencies;
  }

  async decide(em: EntityManager, occasion: Occasion, gate: CooldownGate): Promise<Decision> {
    const personas = await em.find(ChatbotConfigEntity, { creatorId: occasion.creatorId }, { orderBy: PERSONA_ORDER });
    const viewer = viewerOf(occasion);
    if (viewer && personas.some((persona) => sameName(persona.name, viewer.name))) {
      return { answer: null, fromPersona: true, why: [`"${viewer.name}" is the name of one of your personas: never answered, so personas cannot answer each other in a loop`] };
    }
    const templates = await this.#templatesOf(em, personas.filter((persona) => persona.enabled));
    const variables = new ReplyVariables(em, occasion, this.#d);
    const level = viewer?.level ?? 'everyone';
    const why: string[] = [];
    let answer: Answer | null = null;
    for (const persona of personas) {
      const label = `${persona.name} (priority ${persona.priority})`;
      if (!persona.enabled) {
        why.push(`${label}: disabled`);
        continue;
      }
      const trigger = persona.triggers.find((candidate) => triggerMatches(candidate, occasion));
      if (!trigger) {
        why.push(`${label}: no trigger matched`);
        continue;
      }
      const matched = `${label}: ${describeTrigger(trigger)} matched`;
      if (answer) {
        why.push(`${matched}, skipped for priority: ${answer.persona.name} answers first`);
        continue;
      }
      const minimum = strictestLevel(persona.minLevel, trigger.minLevel);
      if (!meetsLevel(level, minimum)) {
        why.push(`${matched}, skipped for level: needs ${minimum}, the sender is ${level}`);
        continue;
      }
      const reply = await this.#reply(variables, forTrigger(templates.get(persona.id) ?? [], trigger));
      if (typeof reply !== 'string') {
        why.push(`${matched}, but ${reply.skipped}`);
        continue;
      }
      const held = await gate(cooldownClaims(persona, trigger, viewer));
      if (held) {
        why.push(`${matched}, skipped for cooldown: ${held}`);
        continue;
      }
      answer = { persona, cause: { id: trigger.id, type: trigger.type }, text: reply };
      why.push(`${matched}: answers`);
    }
    return { answer, why, fromPersona: false };
  }

  /** A timer's reply: one of the persona's templates tied to no trigger (null when none fits). */
  async timerReply(em: EntityManager, persona: Persona, occasion: Occasion): Promise<Answer | null> {
    const templates = (await this.#templatesOf(em, [persona])).get(persona.id) ?? [];
    const reply = await this.#reply(
      new ReplyVariables(em, occasion, this.#d),
      templates.filter((template) => template.triggerId === null),
    );
    return typeof reply === 'string' ? { persona, cause: { id: null, type: 'timer' }, text: reply } : null;
  }

  /** A weighted pick among the templates whose variables all have a value here, rendered; or why there is none. */
  async #reply(variables: ReplyVariables, templates: ResponseTemplate[]): Promise<string | { skipped: string }> {
    if (!templates.length) return { skipped: 'it has no template for it' };
    const fitting: Array<{ weight: number; text: string; values: Map<TemplateVariable, string> }> = [];
    let missing: string | undefined;
    for (const template of templates) {
      const found = await variables.values(variablesIn(template.text));
      if ('missing' in found) missing ??= found.missing;
      else fitting.push({ weight: template.weight, text: template.text, values: found.values });
    }
    if (!fitting.length) return { skipped: `no template fits: {${missing}} has no value here` };
    const picked = pickWeighted(fitting, this.#d.random);
    return renderTemplate(picked.text, picked.values);
  }

  async #templatesOf(em: EntityManager, personas: Persona[]): Promise<Map<string, ResponseTemplate[]>> {
    const byPersona = new Map<string, ResponseTemplate[]>();
    if (!personas.length) return byPersona;
    const templates = await em.find(ChatbotResponseTemplateEntity, { personaId: { $in: personas.map((p) => p.id) } }, { orderBy: { createdAt: 'asc', id: 'asc' } });
    for (const template of templates) byPersona.set(template.personaId, [...(byPersona.get(template.personaId) ?? []), template]);
    return byPersona;
  }
}

/** The templates tied to the trigger; when it has none, those tied to no trigger. */
function forTrigger(templates: ResponseTemplate[], trigger: ChatbotTrigger): ResponseTemplate[] {
  const tied = templates.filter((template) => template.triggerId === trigger.id);
  return tied.length ? tied : templates.filter((template) => template.triggerId === null);
}

/** The cooldowns an answer takes: the persona's, the trigger's, and the viewer's with this persona (not an anonymous one's). */
function cooldownClaims(persona: Persona, trigger: ChatbotTrigger, viewer: Viewer | null): Claim[] {
  const { personaSeconds, triggerSeconds, senderSeconds } = persona.cooldowns;
  const claims: Claim[] = [
    { key: claimKeys.persona(persona.id), scope: 'persona', seconds: personaSeconds },
    { key: claimKeys.trigger(persona.id, trigger.id), scope: 'trigger', seconds: triggerSeconds },
  ];
  if (viewer?.key) claims.push({ key: claimKeys.sender(persona.id, viewer.key), scope: 'sender', seconds: senderSeconds });
  return claims.filter((claim) => claim.seconds > 0);
}

function sameName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}
