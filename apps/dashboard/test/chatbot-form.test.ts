import { ApiError, type ChatbotTrigger, type DisplayUnit } from '@streaming-companion/client';
import { describe, expect, it } from 'vitest';
import {
  addTriggerRow,
  keywordCounts,
  levelText,
  personaLabels,
  readChatLineForm,
  readPersonaForm,
  readTemplateForm,
  readTryForm,
  removeTriggerRow,
  retypeTriggerRow,
  TEMPLATE_LABELS,
  triggerInput,
  triggerRows,
  triggerText,
} from '../src/chatbot-form.ts';
import { formErrors } from '../src/errors.ts';
import { amountInputValue } from '../src/format.ts';

const COMMAND: ChatbotTrigger = { id: '11111111-1111-4111-8111-111111111111', type: 'command', command: '!menu', minLevel: null };
const TIP: ChatbotTrigger = { id: '22222222-2222-4222-8222-222222222222', type: 'tip', minCents: 500, maxCents: null, minLevel: 'fan_club' };
const TOKENS: DisplayUnit = { kind: 'tokens', centsPerToken: 5, label: 'tokens' };

/** A persona form with every always-there input filled as a new persona's starts. */
const base = { name: ' Mia ', avatarUrl: '', enabled: 'on', priority: '0', minLevel: 'everyone', personaSeconds: '0', triggerSeconds: '0', senderSeconds: '10' };

describe('trigger rows', () => {
  it('start from the saved triggers, grow, change kind and shrink, each keeping its key', () => {
    const saved = triggerRows([COMMAND, TIP]);
    expect(saved).toEqual([
      { key: 't1', type: 'command', saved: COMMAND },
      { key: 't2', type: 'tip', saved: TIP },
    ]);
    const added = addTriggerRow(saved, 'keyword');
    expect(added.map((row) => [row.key, row.type])).toEqual([
      ['t1', 'command'],
      ['t2', 'tip'],
      ['t3', 'keyword'],
    ]);
    // Removing one in the middle leaves the others' keys (and so what was typed in them) alone; the next key is never reused.
    const removed = removeTriggerRow(added, 't2');
    expect(removed.map((row) => row.key)).toEqual(['t1', 't3']);
    expect(addTriggerRow(removed, 'event').map((row) => row.key)).toEqual(['t1', 't3', 't4']);
    expect(addTriggerRow([], 'regex')).toEqual([{ key: 't1', type: 'regex' }]);

    // Another kind is another trigger: it no longer carries the saved one (nor its id); the same kind changes nothing.
    expect(retypeTriggerRow(saved, 't1', 'regex')[0]).toEqual({ key: 't1', type: 'regex' });
    expect(retypeTriggerRow(saved, 't1', 'command')).toEqual(saved);
    expect(triggerInput('t3', 'command')).toBe('trigger-t3-command');
  });
});

describe('readPersonaForm', () => {
  it('reads a persona with one trigger of each kind, keeping saved ids and reading amounts in dollars', () => {
    const rows = addTriggerRow(addTriggerRow(addTriggerRow(triggerRows([COMMAND, TIP]), 'keyword'), 'regex'), 'event');
    const read = readPersonaForm(
      {
        ...base,
        avatarUrl: 'https://example.com/mia.png',
        priority: '-3',
        minLevel: 'has_tokens',
        'trigger-t1-command': ' !Menu ',
        'trigger-t1-minLevel': '',
        'trigger-t2-minAmount': '5',
        'trigger-t2-maxAmount': '20.50',
        'trigger-t2-minLevel': 'fan_club',
        'trigger-t3-keywords': 'hello, good evening , ,hi',
        'trigger-t4-pattern': '^(hi|hey)\\b',
        'trigger-t5-event': 'goal_completed',
        timerOn: 'on',
        everyMinutes: '15',
      },
      rows,
      false,
    );
    expect(read).toEqual({
      ok: true,
      value: {
        name: 'Mia',
        avatarUrl: 'https://example.com/mia.png',
        enabled: true,
        priority: -3,
        minLevel: 'has_tokens',
        triggers: [
          { id: COMMAND.id, minLevel: null, type: 'command', command: '!Menu' },
          { id: TIP.id, minLevel: 'fan_club', type: 'tip', minCents: 500, maxCents: 2050 },
          { minLevel: null, type: 'keyword', keywords: ['hello', 'good evening', 'hi'] },
          { minLevel: null, type: 'regex', pattern: '^(hi|hey)\\b' },
          { minLevel: null, type: 'event', event: 'goal_completed' },
        ],
        cooldowns: { personaSeconds: 0, triggerSeconds: 0, senderSeconds: 10 },
        // An unticked box is absent from the form's values.
        timer: { everyMinutes: 15, onlyWhenChatActive: false },
      },
    });
  });

  it('leaves the language model out unless the server offers one, and reads it when it does', () => {
    const off = readPersonaForm({ ...base, llmOn: 'on', systemPrompt: 'Be nice.' }, [], false);
    expect(off.ok && 'llm' in off.value).toBe(false);
    expect(readPersonaForm({ ...base, llmOn: 'on', systemPrompt: ' Be nice. ' }, [], true)).toMatchObject({ ok: true, value: { llm: { enabled: true, systemPrompt: 'Be nice.' } } });
    // Switched off, the prompt is kept for next time; with neither, there is no model.
    expect(readPersonaForm({ ...base, systemPrompt: 'Be nice.' }, [], true)).toMatchObject({ ok: true, value: { llm: { enabled: false, systemPrompt: 'Be nice.' } } });
    expect(readPersonaForm(base, [], true)).toMatchObject({ ok: true, value: { llm: null, timer: null, triggers: [] } });
    // A blank cooldown is left out: the server's default for a new persona, the stored one for a saved persona.
    const blank = readPersonaForm({ ...base, personaSeconds: '', triggerSeconds: ' ' }, [], false);
    expect(blank.ok && blank.value.cooldowns).toEqual({ senderSeconds: 10 });
    expect(readPersonaForm({ ...base, llmOn: 'on' }, [], true)).toEqual({
      ok: false,
      fields: { systemPrompt: 'System prompt must say who the persona is and how it talks.' },
    });
  });

  it('names every input that is not right yet, the triggers’ by their row', () => {
    const rows = addTriggerRow(addTriggerRow(addTriggerRow(addTriggerRow([], 'command'), 'keyword'), 'tip'), 'regex');
    const read = readPersonaForm(
      {
        name: ' ',
        avatarUrl: 'http://example.com/a.png',
        priority: 'high',
        personaSeconds: '-1',
        triggerSeconds: '1.5',
        senderSeconds: 'ten',
        'trigger-t1-command': 'two words',
        'trigger-t2-keywords': ' , ',
        'trigger-t3-minAmount': '10',
        'trigger-t3-maxAmount': '5',
        'trigger-t4-pattern': '',
        timerOn: 'on',
        everyMinutes: '0',
      },
      rows,
      false,
    );
    expect(read).toEqual({
      ok: false,
      fields: {
        name: 'Name must not be empty.',
        avatarUrl: 'Avatar URL must be an https address.',
        priority: 'Priority must be a whole number (higher answers first).',
        personaSeconds: 'Between replies must be a whole number of seconds, 0 for none.',
        triggerSeconds: 'Per trigger must be a whole number of seconds, 0 for none.',
        senderSeconds: 'Per viewer must be a whole number of seconds, 0 for none.',
        'trigger-t1-command': 'Command must be one word (like !menu).',
        'trigger-t2-keywords': 'Keywords must have at least one word or phrase, separated by commas.',
        'trigger-t3-maxAmount': 'Up to must be at least the From amount.',
        'trigger-t4-pattern': 'Pattern must not be empty.',
        everyMinutes: 'Every (minutes) must be a whole number of minutes, 1 or more.',
      },
    });
    expect(readPersonaForm({ ...base, 'trigger-t1-command': '' }, addTriggerRow([], 'command'), false)).toEqual({
      ok: false,
      fields: { 'trigger-t1-command': 'Command must not be empty (like !menu).' },
    });
    expect(readPersonaForm({ ...base, 'trigger-t1-minAmount': '0' }, addTriggerRow([], 'tip'), false)).toEqual({
      ok: false,
      fields: { 'trigger-t1-minAmount': 'From must be an amount like 5 or 12.50.' },
    });
  });

  it('reads a tip trigger’s amounts in the display unit: whole tokens at their rate, or any currency', () => {
    const rows = triggerRows([TIP]);
    const typed = (min: string, max: string) => ({ ...base, 'trigger-t1-minAmount': min, 'trigger-t1-maxAmount': max, 'trigger-t1-minLevel': 'fan_club' });
    expect(readPersonaForm(typed('100', '400'), rows, false, TOKENS)).toMatchObject({ ok: true, value: { triggers: [{ id: TIP.id, type: 'tip', minCents: 500, maxCents: 2000 }] } });
    expect(readPersonaForm(typed('100', ''), rows, false, TOKENS)).toMatchObject({ ok: true, value: { triggers: [{ minCents: 500, maxCents: null }] } });
    // The saved amounts, shown for editing in the unit, save back unchanged.
    expect(readPersonaForm(typed(amountInputValue(TIP.minCents, TOKENS), amountInputValue(3000, TOKENS)), rows, false, TOKENS)).toMatchObject({
      value: { triggers: [{ minCents: TIP.minCents, maxCents: 3000 }] },
    });
    expect(readPersonaForm(typed('7.5', 'lots'), rows, false, TOKENS)).toEqual({
      ok: false,
      fields: {
        'trigger-t1-minAmount': 'From must be an amount like 50.',
        'trigger-t1-maxAmount': 'Up to must be an amount like 200, or empty for no limit.',
      },
    });
    expect(readPersonaForm(typed('€5', '€20,50'), rows, false, { kind: 'currency', currency: 'EUR' })).toMatchObject({
      ok: true,
      value: { triggers: [{ minCents: 500, maxCents: 2050 }] },
    });
    expect(readPersonaForm(typed('5', 'lots'), rows, false)).toMatchObject({
      ok: false,
      fields: { 'trigger-t1-maxAmount': 'Up to must be an amount like 20, or empty for no limit.' },
    });
  });
});

describe('personaLabels', () => {
  it("puts the server's trigger errors at the row's input, a refused keyword at the keywords input", () => {
    const rows = addTriggerRow(removeTriggerRow(addTriggerRow(addTriggerRow([], 'command'), 'tip'), 't1'), 'keyword');
    const labels = personaLabels(rows, keywordCounts([{ type: 'tip', minCents: 1 }, { type: 'keyword', keywords: ['a', 'b'] }]));
    const error = new ApiError({
      status: 400,
      code: 'validation_failed',
      detail: 'invalid',
      errors: [
        { field: 'body.name', rule: 'too_big', message: 'must be at most 50 characters' },
        { field: 'body.triggers.0.maxCents', rule: 'custom', message: 'must be at least minCents' },
        { field: 'body.triggers.1.keywords.1', rule: 'custom', message: 'must contain a letter or a digit' },
        { field: 'body.triggers', rule: 'too_big', message: 'at most 20 triggers' },
        { field: 'body.llm.systemPrompt', rule: 'too_big', message: 'must be at most 2000 characters' },
      ],
    });
    expect(formErrors(error, labels)).toEqual({
      fields: {
        name: 'Name must be at most 50 characters.',
        'trigger-t2-maxAmount': 'Up to must be at least minCents.',
        'trigger-t3-keywords': 'Keyword must contain a letter or a digit.',
        addTrigger: 'At most 20 triggers.',
        systemPrompt: 'System prompt must be at most 2000 characters.',
      },
      form: undefined,
    });
  });
});

describe('readTemplateForm and the server refusing a variable', () => {
  it('reads a reply, its weight and the trigger it is tied to', () => {
    expect(readTemplateForm({ templateText: ' Hi {senderName}! ', weight: '3', triggerId: COMMAND.id })).toEqual({
      ok: true,
      value: { text: 'Hi {senderName}!', weight: 3, triggerId: COMMAND.id },
    });
    expect(readTemplateForm({ templateText: 'Hi', weight: '1', triggerId: '' })).toMatchObject({ ok: true, value: { triggerId: null } });
    expect(readTemplateForm({ templateText: ' ', weight: '0' })).toEqual({
      ok: false,
      fields: { templateText: 'Reply must not be empty.', weight: 'Weight must be a whole number, 1 or more.' },
    });
  });

  it('shows an unknown variable, which only the server checks, at the reply', () => {
    const message = 'unknown variable {viewer}; use {senderName}, {tipperName}, {amount}, {goal.title}, {goal.remaining}, {menu}';
    const error = new ApiError({ status: 400, code: 'validation_failed', detail: message, errors: [{ field: 'body.text', rule: 'custom', message }] });
    expect(formErrors(error, TEMPLATE_LABELS)).toEqual({ fields: { templateText: `${message.charAt(0).toUpperCase()}${message.slice(1)}.` }, form: undefined });
  });
});

describe('readTryForm and readChatLineForm', () => {
  it('sends a tried line with the standing of the level chosen', () => {
    expect(readTryForm({ tryMessage: ' !menu ', trySender: ' Kai ', tryLevel: 'fan_club' })).toEqual({
      ok: true,
      value: { message: '!menu', senderName: 'Kai', standing: { inFanClub: true } },
    });
    expect(readTryForm({ tryMessage: 'hi', trySender: '', tryLevel: 'everyone' })).toEqual({ ok: true, value: { message: 'hi', standing: {} } });
    expect(readTryForm({ tryMessage: 'hi', tryLevel: 'moderator' })).toMatchObject({ value: { standing: { isModerator: true } } });
    expect(readTryForm({ tryMessage: 'hi', tryLevel: 'recent_tips_some' })).toMatchObject({ value: { standing: { recentTips: 'some' } } });
    expect(readTryForm({ tryMessage: 'hi', tryLevel: 'recent_tips_lots' })).toMatchObject({ value: { standing: { recentTips: 'lots' } } });
    expect(readTryForm({ tryMessage: 'hi', tryLevel: 'recent_tips_tons' })).toMatchObject({ value: { standing: { recentTips: 'tons' } } });
    expect(readTryForm({ tryMessage: 'hi', tryLevel: 'has_tokens' })).toMatchObject({ value: { standing: { hasTokens: true } } });
    expect(readTryForm({ tryMessage: '  ' })).toEqual({ ok: false, fields: { tryMessage: 'Type a chat line to try, like !menu.' } });
  });

  it("reads a viewer's chat line typed on the live page", () => {
    expect(readChatLineForm({ chatSender: ' Kai ', chatMessage: ' !menu ' })).toEqual({ ok: true, value: { senderName: 'Kai', message: '!menu' } });
    expect(readChatLineForm({ chatSender: '', chatMessage: '' })).toEqual({
      ok: false,
      fields: { chatSender: 'Viewer name must not be empty.', chatMessage: 'Chat line must not be empty.' },
    });
  });
});

describe('triggerText and levelText', () => {
  it('says each trigger as the creator reads it, and who a persona answers', () => {
    expect(triggerText(COMMAND)).toBe('!menu');
    expect(triggerText({ type: 'keyword', keywords: ['hello', 'good evening'] })).toBe('“hello” / “good evening”');
    expect(triggerText({ type: 'regex', pattern: '^wow' })).toBe('/^wow/');
    expect(triggerText(TIP)).toBe('Tips of $5.00 or more');
    expect(triggerText({ type: 'tip', minCents: 500, maxCents: 1000 })).toBe('Tips of $5.00 to $10.00');
    expect(triggerText({ type: 'tip', minCents: 500, maxCents: 1000 }, TOKENS)).toBe('Tips of 100 tokens to 200 tokens');
    expect(triggerText({ type: 'event', event: 'menu_item_purchased' })).toBe('A menu item is bought');
    expect(levelText('everyone')).toBeUndefined();
    expect(levelText('fan_club')).toBe('Only fan club members');
    expect(levelText('recent_tips_lots')).toBe('Only recent tippers: lots');
  });
});
