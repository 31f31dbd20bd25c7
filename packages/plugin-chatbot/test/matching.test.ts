import { describe, expect, it } from 'vitest';
import type { ChatbotTrigger } from '../src/contract.ts';
import { chatOccasion, MATCHED_MESSAGE_LENGTH } from '../src/occasion.ts';
import { compileSafePattern, patternError } from '../src/safe-patterns.ts';
import { capText, renderTemplate, templateError, variablesIn } from '../src/template-text.ts';
import { triggerMatches } from '../src/trigger-match.ts';
import { levelOf } from '../src/viewer-levels.ts';
import { pickWeighted } from '../src/weighted-choice.ts';

const chat = (message: string) => chatOccasion({ creatorId: crypto.randomUUID(), sessionId: null, senderName: 'fan', message, level: 'everyone' });
const id = crypto.randomUUID();

describe('regex triggers', () => {
  it('run catastrophic patterns over long hostile input in one pass, and still answer right', () => {
    // (a+)+$ on "aaa…b" takes a backtracking engine longer than the universe's age; RE2 finishes.
    // No timing assertion: were it backtracking, this test would hang until its time-out.
    const hostile = `${'a'.repeat(100_000)}b`;
    expect(compileSafePattern('^(a+)+$').test(hostile)).toBe(false);
    expect(compileSafePattern('(a+)+$').test(hostile)).toBe(false);
    expect(compileSafePattern('(a+)+b').test(hostile)).toBe(true);
    expect(compileSafePattern('(x+x+)+y').test('x'.repeat(100_000))).toBe(false);
    expect(compileSafePattern('(a|aa)+b').test(`${'a'.repeat(100_000)}c`)).toBe(false);
    expect(compileSafePattern('(a|aa)+b').test(`${'a'.repeat(100_000)}c${'a'.repeat(50)}b`)).toBe(true);
    expect(compileSafePattern('^(a|aa)+$').test(`${'a'.repeat(100_000)}!`)).toBe(false);
    expect(compileSafePattern('^(a|aa)+$').test('a'.repeat(100_000))).toBe(true);
  });

  it('refuse what RE2 cannot run, saying so', () => {
    expect(patternError('(a)\\1')).toMatch(/RE2 cannot run this pattern/);
    expect(patternError('(?=a)')).toMatch(/lookarounds/);
    expect(patternError('hello|hi')).toBeNull();
  });

  it('match chat only up to its cap, case-insensitively', () => {
    const trigger: ChatbotTrigger = { id, type: 'regex', pattern: 'END$', minLevel: null };
    expect(triggerMatches(trigger, chat('the end'))).toBe(true);
    expect(chat('x'.repeat(5_000)).message).toHaveLength(MATCHED_MESSAGE_LENGTH);
    expect(triggerMatches(trigger, chat(`${'x'.repeat(MATCHED_MESSAGE_LENGTH)} end`))).toBe(false);
  });
});

describe('keyword and command triggers', () => {
  const keyword = (...keywords: string[]): ChatbotTrigger => ({ id, type: 'keyword', keywords, minLevel: null });
  it('match whole words and phrases in any script, ignoring case and punctuation', () => {
    expect(triggerMatches(keyword('hola'), chat('¡HOLA!'))).toBe(true);
    expect(triggerMatches(keyword('привет'), chat('Привет всем'))).toBe(true);
    expect(triggerMatches(keyword('hi'), chat('this is it'))).toBe(false);
    expect(triggerMatches(keyword('see you'), chat('see... you soon'))).toBe(true);
    expect(triggerMatches(keyword('see you'), chat('you see'))).toBe(false);
  });

  it('take the first word as the command', () => {
    const menu: ChatbotTrigger = { id, type: 'command', command: '!menu', minLevel: null };
    expect(triggerMatches(menu, chat('  !Menu'))).toBe(true);
    expect(triggerMatches(menu, chat('!menus'))).toBe(false);
    expect(triggerMatches(menu, chat('x !menu'))).toBe(false);
  });
});

describe('templates', () => {
  it('know their variables and name the unknown ones', () => {
    expect(variablesIn('Hi {senderName}, {senderName}! {goal.title} :}')).toEqual(['senderName', 'goal.title']);
    expect(templateError('Hi {senderName}')).toBeNull();
    expect(templateError('Hi {name} {Menu} {}')).toMatch(/^unknown variables \{name\}, \{Menu\}, \{\}; use \{senderName\}/);
  });

  it('insert values in one pass: a value is never read for placeholders', () => {
    const values = new Map([
      ['senderName', '{menu}'],
      ['menu', 'Flash $5.00'],
    ] as const);
    expect(renderTemplate('{senderName} wants {menu}', values)).toBe('{menu} wants Flash $5.00');
  });

  it('cap text without splitting a character', () => {
    expect(capText('abcdef', 4)).toBe('abc…');
    expect(capText('ab😀cd', 4)).toBe('ab…');
    expect(capText('abc', 4)).toBe('abc');
  });
});

describe('choices and levels', () => {
  it('pick by weight', () => {
    const items = [
      { name: 'a', weight: 1 },
      { name: 'b', weight: 3 },
    ];
    expect([0, 0.24, 0.25, 0.999].map((r) => pickWeighted(items, () => r).name)).toEqual(['a', 'a', 'b', 'b']);
  });

  it('rank viewers by their best standing', () => {
    expect(levelOf(null)).toBe('everyone');
    expect(levelOf({ hasTokens: true, recentTips: 'none' })).toBe('has_tokens');
    expect(levelOf({ hasTokens: true, recentTips: 'some' })).toBe('recent_tips_some');
    expect(levelOf({ hasTokens: true, recentTips: 'lots' })).toBe('recent_tips_lots');
    expect(levelOf({ recentTips: 'tons' })).toBe('recent_tips_tons');
    expect(levelOf({ recentTips: 'tons', inFanClub: true })).toBe('fan_club');
    expect(levelOf({ inFanClub: true, isModerator: true })).toBe('moderator');
  });
});
