import type {
  ChatbotEvent,
  ChatbotTrigger,
  ChatbotTriggerInput,
  ChatbotTryInput,
  DisplayUnit,
  PersonaDto,
  PersonaInput,
  ReplyTrigger,
  TemplateInput,
  TemplateVariable,
  TriggerType,
  ViewerLevel,
  ViewerStanding,
} from '@streaming-companion/client';
import { displayUnit } from './display-unit.ts';
import { fieldMessage, type FieldLabels, type FormReading } from './errors.ts';
import { amountExample, formatCents, parseAmountIn, parseWholeNumber } from './format.ts';

/**
 * The chatbot view's forms: a persona (with its list of triggers, which grows and shrinks as the
 * creator edits it), a template, and the "try a message" panel, read from what the creator typed;
 * and triggers and levels said in words. Pure, so the views stay thin.
 */

/** Lowest first, as the server ranks them: each lets through the levels above it too. */
export const LEVEL_NAMES: Record<ViewerLevel, string> = {
  everyone: 'Everyone',
  has_tokens: 'Viewers with tokens',
  recent_tips_some: 'Recent tippers: some',
  recent_tips_lots: 'Recent tippers: lots',
  recent_tips_tons: 'Recent tippers: tons',
  fan_club: 'Fan club members',
  moderator: 'Moderators',
};

export const LEVEL_OPTIONS = Object.entries(LEVEL_NAMES).map(([value, label]) => ({ value, label }));

/** The platform standing that puts a viewer at exactly this level: what a tried or typed chat line is sent with. */
export const STANDING_OF_LEVEL: Record<ViewerLevel, ViewerStanding> = {
  everyone: {},
  has_tokens: { hasTokens: true },
  recent_tips_some: { recentTips: 'some' },
  recent_tips_lots: { recentTips: 'lots' },
  recent_tips_tons: { recentTips: 'tons' },
  fan_club: { inFanClub: true },
  moderator: { isModerator: true },
};

export const TRIGGER_NAMES: Record<TriggerType, string> = {
  command: 'Command',
  keyword: 'Keywords',
  regex: 'Pattern',
  tip: 'Tip amount',
  event: 'Event',
};

export const TRIGGER_OPTIONS = Object.entries(TRIGGER_NAMES).map(([value, label]) => ({ value, label }));

export const EVENT_NAMES: Record<ChatbotEvent, string> = {
  tip: 'Any tip',
  goal_completed: 'A goal is reached',
  menu_item_purchased: 'A menu item is bought',
};

export const EVENT_OPTIONS = Object.entries(EVENT_NAMES).map(([value, label]) => ({ value, label }));

/** Who a persona answers, for its row: nothing when it answers everyone. */
export const levelText = (level: ViewerLevel): string | undefined => (level === 'everyone' ? undefined : `Only ${LEVEL_NAMES[level].toLowerCase()}`);

/** What set a reply off, in a word or two. */
export const CAUSE_NAMES: Record<ReplyTrigger['type'], string> = { ...TRIGGER_NAMES, timer: 'Timer' };

/** What each template variable becomes in a reply. */
export const VARIABLE_HINTS: Record<TemplateVariable, string> = {
  senderName: 'who wrote the chat line',
  tipperName: 'who tipped',
  amount: "the tip's amount",
  'goal.title': "the live session's active goal",
  'goal.remaining': 'what that goal still needs',
  menu: 'your tip menu, in short',
};

/** A trigger as the creator reads it: `!menu`, `"hi" / "hello"`, `/^wow/i`, `Tips of $5.00 or more` (in the display unit), `A goal is reached`. */
export function triggerText(trigger: ChatbotTriggerInput, unit: DisplayUnit = displayUnit.current): string {
  switch (trigger.type) {
    case 'command':
      return trigger.command;
    case 'keyword':
      return trigger.keywords.map((keyword) => `“${keyword}”`).join(' / ');
    case 'regex':
      return `/${trigger.pattern}/`;
    case 'tip':
      return trigger.maxCents === null || trigger.maxCents === undefined
        ? `Tips of ${formatCents(trigger.minCents, unit)} or more`
        : `Tips of ${formatCents(trigger.minCents, unit)} to ${formatCents(trigger.maxCents, unit)}`;
    case 'event':
      return EVENT_NAMES[trigger.event];
  }
}

/**
 * One trigger of the persona form. `key` names its inputs and stays with it while the rows around
 * it come and go (so what was typed in the others stays where it was); `saved` is the trigger as
 * the server has it, whose values the inputs start with and whose id keeps templates tied to it.
 */
export interface TriggerRow {
  key: string;
  type: TriggerType;
  saved?: ChatbotTrigger;
}

/** A trigger row's input for one of its parts (`type`, `command`, `keywords`, `pattern`, `minAmount`, `maxAmount`, `event`, `minLevel`). */
export const triggerInput = (key: string, part: string): string => `trigger-${key}-${part}`;

/** The rows of a saved persona's triggers (none for a new persona). */
export const triggerRows = (triggers: readonly ChatbotTrigger[]): TriggerRow[] => triggers.map((saved, i) => ({ key: `t${i + 1}`, type: saved.type, saved }));

/** The rows with a new, empty trigger of `type` at the end. */
export function addTriggerRow(rows: readonly TriggerRow[], type: TriggerType): TriggerRow[] {
  const next = Math.max(0, ...rows.map((row) => Number(row.key.slice(1)))) + 1;
  return [...rows, { key: `t${next}`, type }];
}

export const removeTriggerRow = (rows: readonly TriggerRow[], key: string): TriggerRow[] => rows.filter((row) => row.key !== key);

/** The row turned into an empty trigger of another kind: a different trigger, so it no longer carries the saved one. */
export const retypeTriggerRow = (rows: readonly TriggerRow[], key: string, type: TriggerType): TriggerRow[] =>
  rows.map((row) => (row.key === key && row.type !== type ? { key, type } : row));

/** Every field of a persona, as the create and the edit forms send it. */
export type PersonaFields = Required<Omit<PersonaInput, 'llm'>> & Pick<PersonaInput, 'llm'>;

/** The persona's cooldowns (`PersonaCooldowns`' fields, which are also their inputs' names) as the form labels them. */
export const COOLDOWN_NAMES = { personaSeconds: 'Between replies', triggerSeconds: 'Per trigger', senderSeconds: 'Per viewer' } as const;
const COOLDOWNS = Object.keys(COOLDOWN_NAMES) as Array<keyof typeof COOLDOWN_NAMES>;

/** The labels of the fields that are always there (the triggers' depend on the rows: see `personaLabels`). */
const PERSONA_FIELD_LABELS: FieldLabels = {
  name: { input: 'name', label: 'Name' },
  avatarUrl: { input: 'avatarUrl', label: 'Avatar URL' },
  priority: { input: 'priority', label: 'Priority' },
  minLevel: { input: 'minLevel', label: 'Answers' },
  triggers: { input: 'addTrigger', label: 'Triggers' },
  cooldowns: { input: 'personaSeconds', label: 'Cooldowns' },
  ...Object.fromEntries(COOLDOWNS.map((name) => [`cooldowns.${name}`, { input: name, label: COOLDOWN_NAMES[name] }])),
  timer: { input: 'everyMinutes', label: 'Timer' },
  'timer.everyMinutes': { input: 'everyMinutes', label: 'Every (minutes)' },
  llm: { input: 'systemPrompt', label: 'Language model' },
  'llm.systemPrompt': { input: 'systemPrompt', label: 'System prompt' },
};

const TRIGGER_PART_LABELS: Record<string, { part: string; label: string }> = {
  command: { part: 'command', label: 'Command' },
  keywords: { part: 'keywords', label: 'Keywords' },
  pattern: { part: 'pattern', label: 'Pattern' },
  minCents: { part: 'minAmount', label: 'From' },
  maxCents: { part: 'maxAmount', label: 'Up to' },
  event: { part: 'event', label: 'Event' },
  minLevel: { part: 'minLevel', label: 'Only for' },
  type: { part: 'type', label: 'Kind' },
};

/**
 * Where the server's field names land in the persona form: `triggers.2.command` is the command
 * input of the third row, `triggers.0.keywords.3` its keywords input, `triggers.1` its kind.
 */
export function personaLabels(rows: readonly TriggerRow[], keywordCounts: readonly number[] = []): FieldLabels {
  const labels: FieldLabels = { ...PERSONA_FIELD_LABELS };
  rows.forEach((row, i) => {
    labels[`triggers.${i}`] = { input: triggerInput(row.key, 'type'), label: `Trigger ${i + 1}` };
    for (const [name, { part, label }] of Object.entries(TRIGGER_PART_LABELS)) {
      labels[`triggers.${i}.${name}`] = { input: triggerInput(row.key, part), label };
    }
    for (let k = 0; k < (keywordCounts[i] ?? 0); k++) labels[`triggers.${i}.keywords.${k}`] = { input: triggerInput(row.key, 'keywords'), label: 'Keyword' };
  });
  return labels;
}

/** A whole number as typed, signs allowed ("-5", "10"), or null. */
function parseInteger(text: string): number | null {
  const match = /^\s*(-?\d{1,6})\s*$/.exec(text);
  return match ? Number(match[1]) : null;
}

/** The trigger a row's inputs describe (a tip's amounts in `unit`), or its inputs' messages added to `fields`. */
function readTrigger(row: TriggerRow, text: (name: string) => string, fields: Record<string, string>, unit: DisplayUnit): ChatbotTriggerInput {
  const input = (part: string) => triggerInput(row.key, part);
  const base = { ...(row.saved ? { id: row.saved.id } : {}), minLevel: (text(input('minLevel')) || null) as ViewerLevel | null };
  switch (row.type) {
    case 'command': {
      const command = text(input('command'));
      if (!command) fields[input('command')] = fieldMessage('Command', 'must not be empty (like !menu)');
      else if (/\s/.test(command)) fields[input('command')] = fieldMessage('Command', 'must be one word (like !menu)');
      return { ...base, type: 'command', command };
    }
    case 'keyword': {
      const keywords = text(input('keywords'))
        .split(',')
        .map((keyword) => keyword.trim())
        .filter(Boolean);
      if (!keywords.length) fields[input('keywords')] = fieldMessage('Keywords', 'must have at least one word or phrase, separated by commas');
      return { ...base, type: 'keyword', keywords };
    }
    case 'regex': {
      const pattern = text(input('pattern'));
      if (!pattern) fields[input('pattern')] = fieldMessage('Pattern', 'must not be empty');
      return { ...base, type: 'regex', pattern };
    }
    case 'tip': {
      const minCents = parseAmountIn(text(input('minAmount')), unit)?.cents ?? null;
      if (minCents === null || minCents <= 0) fields[input('minAmount')] = fieldMessage('From', `must be an amount like ${amountExample(unit)}`);
      let maxCents: number | null = null;
      if (text(input('maxAmount'))) {
        maxCents = parseAmountIn(text(input('maxAmount')), unit)?.cents ?? null;
        const example = unit.kind === 'tokens' ? '200' : '20';
        if (maxCents === null || maxCents <= 0) fields[input('maxAmount')] = fieldMessage('Up to', `must be an amount like ${example}, or empty for no limit`);
        else if (minCents !== null && maxCents < minCents) fields[input('maxAmount')] = fieldMessage('Up to', 'must be at least the From amount');
      }
      return { ...base, type: 'tip', minCents: minCents ?? 0, maxCents };
    }
    case 'event':
      return { ...base, type: 'event', event: (text(input('event')) || 'tip') as ChatbotEvent };
  }
}

/** The cooldowns typed (inputs `personaSeconds`, `triggerSeconds`, `senderSeconds`); a blank one is left out, to keep the server's. */
function readCooldowns(text: (name: string) => string, fields: Record<string, string>): PersonaFields['cooldowns'] {
  const cooldowns: PersonaFields['cooldowns'] = {};
  for (const input of COOLDOWNS) {
    if (!text(input)) continue;
    const seconds = parseWholeNumber(text(input));
    if (seconds === null) fields[input] = fieldMessage(COOLDOWN_NAMES[input], 'must be a whole number of seconds, 0 for none');
    else cooldowns[input] = seconds;
  }
  return cooldowns;
}

/**
 * The persona a submitted persona form describes (inputs `name`, `avatarUrl`, `enabled`,
 * `priority`, `minLevel`, each trigger row's, `personaSeconds`, `triggerSeconds`,
 * `senderSeconds`, `timerOn`, `everyMinutes`, `onlyWhenChatActive`, and, when the server offers a
 * language model, `llmOn` and `systemPrompt`), or a message for each input that is not right yet.
 * A tip trigger's amounts are in the display unit.
 * A blank cooldown is left out (the server's default for a new persona); without a language model
 * on the server `llm` is left out, so saving keeps what is stored.
 */
export function readPersonaForm(
  values: Record<string, string | undefined>,
  rows: readonly TriggerRow[],
  llmOffered: boolean,
  unit: DisplayUnit = displayUnit.current,
): FormReading<PersonaFields> {
  const text = (name: string) => (values[name] ?? '').trim();
  const fields: Record<string, string> = {};

  const name = text('name');
  if (!name) fields.name = fieldMessage('Name', 'must not be empty');
  const avatarUrl = text('avatarUrl') || null;
  if (avatarUrl && (!/^https:\/\//i.test(avatarUrl) || !URL.canParse(avatarUrl))) fields.avatarUrl = fieldMessage('Avatar URL', 'must be an https address');
  const priority = parseInteger(text('priority') || '0');
  if (priority === null) fields.priority = fieldMessage('Priority', 'must be a whole number (higher answers first)');

  const triggers = rows.map((row) => readTrigger(row, text, fields, unit));
  const cooldowns = readCooldowns(text, fields);

  let timer: PersonaFields['timer'] = null;
  if (values.timerOn === 'on') {
    const everyMinutes = parseWholeNumber(text('everyMinutes'));
    if (!everyMinutes) fields.everyMinutes = fieldMessage('Every (minutes)', 'must be a whole number of minutes, 1 or more');
    timer = { everyMinutes: everyMinutes ?? 0, onlyWhenChatActive: values.onlyWhenChatActive === 'on' };
  }

  const systemPrompt = text('systemPrompt');
  const llmOn = values.llmOn === 'on';
  if (llmOffered && llmOn && !systemPrompt) fields.systemPrompt = fieldMessage('System prompt', 'must say who the persona is and how it talks');

  if (Object.keys(fields).length) return { ok: false, fields };
  return {
    ok: true,
    value: {
      name,
      avatarUrl,
      enabled: values.enabled === 'on',
      priority: priority!,
      triggers,
      cooldowns,
      minLevel: (text('minLevel') || 'everyone') as ViewerLevel,
      timer,
      ...(llmOffered ? { llm: llmOn || systemPrompt ? { enabled: llmOn, systemPrompt } : null } : {}),
    },
  };
}

/** How many keywords each trigger has, for `personaLabels` to reach a refused one. */
export const keywordCounts = (triggers: readonly ChatbotTriggerInput[]): number[] => triggers.map((t) => (t.type === 'keyword' ? t.keywords.length : 0));

/** A new persona's form: on, answering everyone, no trigger yet (its cooldowns blank, for the server's defaults). */
export const NEW_PERSONA: Pick<PersonaDto, 'enabled' | 'priority' | 'minLevel' | 'timer' | 'llm' | 'triggers'> = {
  enabled: true,
  priority: 0,
  minLevel: 'everyone',
  timer: null,
  llm: null,
  triggers: [],
};

export const TEMPLATE_LABELS: FieldLabels = {
  text: { input: 'templateText', label: 'Reply' },
  weight: { input: 'weight', label: 'Weight' },
  triggerId: { input: 'triggerId', label: 'For' },
};

/** The template a submitted template form describes (inputs `templateText`, `weight`, `triggerId`), or the messages for its inputs. */
export function readTemplateForm(values: Record<string, string | undefined>): FormReading<Required<TemplateInput>> {
  const text = (values.templateText ?? '').trim();
  const weight = parseWholeNumber(values.weight ?? '');
  const fields: Record<string, string> = {};
  if (!text) fields.templateText = fieldMessage('Reply', 'must not be empty');
  if (!weight) fields.weight = fieldMessage('Weight', 'must be a whole number, 1 or more');
  if (Object.keys(fields).length) return { ok: false, fields };
  return { ok: true, value: { text, weight: weight!, triggerId: values.triggerId?.trim() || null } };
}

export const TRY_LABELS: FieldLabels = {
  message: { input: 'tryMessage', label: 'Message' },
  senderName: { input: 'trySender', label: 'From' },
};

/** The chat line a submitted "try a message" form describes (inputs `tryMessage`, `trySender`, `tryLevel`), or its messages. */
export function readTryForm(values: Record<string, string | undefined>): FormReading<ChatbotTryInput> {
  const message = (values.tryMessage ?? '').trim();
  if (!message) return { ok: false, fields: { tryMessage: 'Type a chat line to try, like !menu.' } };
  const senderName = (values.trySender ?? '').trim();
  const level = (values.tryLevel || 'everyone') as ViewerLevel;
  return { ok: true, value: { message, ...(senderName ? { senderName } : {}), standing: STANDING_OF_LEVEL[level] } };
}

export const CHAT_LINE_LABELS: FieldLabels = {
  senderName: { input: 'chatSender', label: 'Viewer name' },
  message: { input: 'chatMessage', label: 'Chat line' },
};

/** A viewer's chat line typed on the live page (inputs `chatSender`, `chatMessage`), or its messages. */
export function readChatLineForm(values: Record<string, string | undefined>): FormReading<{ senderName: string; message: string }> {
  const senderName = (values.chatSender ?? '').trim();
  const message = (values.chatMessage ?? '').trim();
  const fields: Record<string, string> = {};
  if (!senderName) fields.chatSender = fieldMessage('Viewer name', 'must not be empty');
  if (!message) fields.chatMessage = fieldMessage('Chat line', 'must not be empty');
  return Object.keys(fields).length ? { ok: false, fields } : { ok: true, value: { senderName, message } };
}
