import { TEMPLATE_VARIABLES, type TemplateVariable } from './contract.ts';

/** Every `{…}` in a template; only the known variables are allowed (a lone brace is plain text). */
const PLACEHOLDER = /\{([^{}]*)\}/g;

/** Longest reply sent, whatever the template, the values put in it, or a model wrote. */
export const REPLY_MAX_LENGTH = 500;

const KNOWN = new Set<string>(TEMPLATE_VARIABLES);

/** The variables a template uses, each once. */
export function variablesIn(text: string): TemplateVariable[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!))].filter((name): name is TemplateVariable => KNOWN.has(name));
}

/** What is wrong with a template's placeholders, or null: any `{name}` must be a known variable. */
export function templateError(text: string): string | null {
  const unknown = [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[0]).filter((placeholder) => !KNOWN.has(placeholder.slice(1, -1))))];
  if (!unknown.length) return null;
  return `unknown variable${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; use ${TEMPLATE_VARIABLES.map((v) => `{${v}}`).join(', ')}`;
}

/**
 * The template with each variable replaced by its value, in one pass over the template: a value
 * is inserted as it is and never read for placeholders itself (a viewer named `{menu}` stays
 * `{menu}`). Values are capped by whoever made them; the reply is capped here.
 */
export function renderTemplate(text: string, values: ReadonlyMap<TemplateVariable, string>): string {
  return capReply(text.replace(PLACEHOLDER, (placeholder, name: TemplateVariable) => values.get(name) ?? placeholder));
}

export function capReply(text: string): string {
  return capText(text, REPLY_MAX_LENGTH);
}

/** At most `max` UTF-16 units, an ellipsis marking a cut, never half of a surrogate pair. */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  return `${/[\ud800-\udbff]$/.test(cut) ? cut.slice(0, -1) : cut}…`;
}
