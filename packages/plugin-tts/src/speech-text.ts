import { cleanViewerText } from '@streaming-companion/sdk';

/**
 * Viewer text made fit to be read aloud: what an engine would read badly or could be made to
 * obey is taken out, what would drone on is shortened. The profanity filter runs on the result
 * (`speech-filter.ts`), the character cap after that.
 */

// Tags and anything tag-shaped (`<speak>`, `<break time="9s"/>`), then any stray angle bracket.
const MARKUP = /<[^<>]*>/g;
const ANGLE_BRACKETS = /[<>]/g;
// eSpeak reads `[[…]]` as phonemes: square brackets go, so nothing reaches it but words.
const SQUARE_BRACKETS = /[[\]]/g;
const LINKS = /\b(?:[a-z][a-z0-9+.-]*:\/\/|www\.)\S+/giu;
// Bare domains (`example.com`, `cam.site/path`): a name, a dot and a common top-level domain.
const BARE_DOMAINS = /\b[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.(?:com|net|org|io|co|tv|me|ly|gg|xyz|info|biz|app|dev|link|site|online|live|club|fans|cam|xxx|ru|de|uk|us)\b(?:\/\S*)?/giu;
const EMOJI = String.raw`\p{Extended_Pictographic}[\u{fe0f}\u{1f3fb}-\u{1f3ff}]*`;
// The same emoji over and over (spaces between or not) is read once.
const REPEATED_EMOJI = new RegExp(String.raw`(${EMOJI})(?:\s*\1)+`, 'gu');
// A run of different emoji is read up to three long.
const EMOJI_RUN = new RegExp(String.raw`((?:${EMOJI}\s*){3})(?:${EMOJI}\s*)+`, 'gu');
// Letters and digits said more than twice in a row (`soooo`), other characters more than once (`!!!!`).
const REPEATED_WORD_CHARACTER = /([\p{L}\p{N}])\1{2,}/gu;
const REPEATED_OTHER_CHARACTER = /([^\p{L}\p{N}\s])\1+/gu;
const SPACES = /\s+/g;

/** The text as it should be read: an empty string when nothing speakable is left. */
export function speakableText(text: string): string {
  const visible = cleanViewerText(text) ?? '';
  return visible
    .replace(MARKUP, ' ')
    .replace(ANGLE_BRACKETS, ' ')
    .replace(SQUARE_BRACKETS, ' ')
    .replace(LINKS, ' ')
    .replace(BARE_DOMAINS, ' ')
    .replace(REPEATED_EMOJI, '$1')
    .replace(EMOJI_RUN, '$1')
    .replace(REPEATED_WORD_CHARACTER, '$1$1')
    .replace(REPEATED_OTHER_CHARACTER, '$1')
    .replace(SPACES, ' ')
    .trim();
}

/** At most `maxChars` characters (code points), cut at the last space before the limit when there is one. */
export function capCharacters(text: string, maxChars: number): string {
  const characters = Array.from(text);
  if (characters.length <= maxChars) return text;
  const cut = characters.slice(0, maxChars).join('');
  // Cut at a word unless the text is one long word.
  const lastSpace = characters[maxChars] === ' ' ? cut.length : cut.lastIndexOf(' ');
  return (lastSpace > 0 ? cut.slice(0, lastSpace) : cut).trimEnd();
}

/** `{tipperName}` and `{title}` in a menu item's line filled in; any other `{…}` left out. */
export function fillTemplate(template: string, values: { tipperName: string; title: string }): string {
  return template.replace(/\{(\w*)\}/g, (_, key: string) => (key === 'tipperName' || key === 'title' ? values[key] : ''));
}
