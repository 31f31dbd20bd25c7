import { createSimpleTransformer, DataSet, englishDataset, englishRecommendedTransformers, parseRawPattern, RegExpMatcher, TextCensor, type MatchPayload } from 'obscenity';

/**
 * The profanity and slur filter: obscenity's English set (which sees through leetspeak,
 * look-alike characters and stretched letters: `sh1t`, `fuuuck`) plus the creator's own
 * words, each matched as a whole word or phrase, blind to case and accents. `bleep` says
 * "bleep" in place of each match; `skip` says nothing at all for a text with one.
 */

export type FilterMode = 'bleep' | 'skip';

export const BLEEP = 'bleep';

const english = new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers });
const bleeper = new TextCensor().setStrategy(() => BLEEP);

/** One character folded for comparison: its base letter (no accent), lowercased. */
function fold(character: string): string {
  return character.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

// A creator's words are compared folded: the text is folded character by character as it is read.
const foldCharacters = createSimpleTransformer((codePoint) => fold(String.fromCodePoint(codePoint)).codePointAt(0) ?? codePoint);
const PATTERN_SYNTAX = /[[\]?|\\]/g;
// obscenity's word boundaries are JavaScript's `\b`: they only hold next to ASCII letters and digits.
const ASCII_WORD = /^\w$/;
const boundary = (character: string | undefined) => (character && ASCII_WORD.test(character) ? '|' : '');

/** A folded word as an obscenity pattern: the whole word where its ends are ASCII letters or digits, anywhere otherwise. */
function wordPattern(word: string): string {
  const characters = Array.from(word);
  return `${boundary(characters[0])}${word.replace(PATTERN_SYNTAX, '\\$&')}${boundary(characters.at(-1))}`;
}

function creatorMatcher(words: readonly string[]): RegExpMatcher | undefined {
  const patterns = [...new Set(words.map((word) => Array.from(word.trim()).map(fold).join('')).filter(Boolean))];
  if (!patterns.length) return undefined;
  const dataset = new DataSet<never>();
  for (const word of patterns) dataset.addPhrase((phrase) => phrase.addPattern(parseRawPattern(wordPattern(word))));
  return new RegExpMatcher({ ...dataset.build(), blacklistMatcherTransformers: [foldCharacters] });
}

export class SpeechFilter {
  readonly #own: RegExpMatcher | undefined;

  /** `words`: the creator's own words and phrases, on top of the English set. */
  constructor(words: readonly string[]) {
    this.#own = creatorMatcher(words);
  }

  /** The text with each match bleeped, or null when the mode is `skip` and something matched. */
  apply(text: string, mode: FilterMode): string | null {
    const matches: MatchPayload[] = [...english.getAllMatches(text, true), ...(this.#own?.getAllMatches(text, true) ?? [])];
    if (!matches.length) return text;
    if (mode === 'skip') return null;
    return bleeper.applyTo(text, matches.sort((a, b) => a.startIndex - b.startIndex || a.endIndex - b.endIndex));
  }
}
