import type { ChatbotTrigger } from './contract.ts';
import type { Occasion } from './occasion.ts';
import { compileSafePattern } from './safe-patterns.ts';

/** Letters and digits (with their combining marks), whatever the script: what "a word" is to keyword triggers. */
const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/** The words of `text`, lower-cased. */
export function wordsOf(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/** Whether a trigger fires for an occasion: commands, keywords and patterns on chat; amounts on tips; events on theirs. */
export function triggerMatches(trigger: ChatbotTrigger, occasion: Occasion): boolean {
  switch (trigger.type) {
    case 'command':
      return occasion.kind === 'chat' && occasion.message.trimStart().split(/\s/, 1)[0]!.toLowerCase() === trigger.command;
    case 'keyword': {
      if (occasion.kind !== 'chat') return false;
      const words = wordsOf(occasion.message);
      return trigger.keywords.some((keyword) => containsPhrase(words, wordsOf(keyword)));
    }
    case 'regex':
      return occasion.kind === 'chat' && compileSafePattern(trigger.pattern).test(occasion.message);
    case 'tip':
      return occasion.kind === 'tip' && occasion.tip.amountCents >= trigger.minCents && (trigger.maxCents === null || occasion.tip.amountCents <= trigger.maxCents);
    case 'event':
      return trigger.event === occasion.kind;
  }
}

/** `phrase` as consecutive whole words of `words`. */
function containsPhrase(words: string[], phrase: string[]): boolean {
  if (!phrase.length) return false;
  for (let start = 0; start + phrase.length <= words.length; start++) {
    if (phrase.every((word, i) => words[start + i] === word)) return true;
  }
  return false;
}

/** The trigger in a few words, for the dry run's reasons. */
export function describeTrigger(trigger: ChatbotTrigger): string {
  switch (trigger.type) {
    case 'command':
      return `command ${trigger.command}`;
    case 'keyword':
      return `keyword ${trigger.keywords.map((k) => `"${k}"`).join(' / ')}`;
    case 'regex':
      return `pattern /${trigger.pattern}/`;
    case 'tip':
      return `tip of ${trigger.minCents}${trigger.maxCents === null ? '+' : `–${trigger.maxCents}`} cents`;
    case 'event':
      return `event ${trigger.event}`;
  }
}
