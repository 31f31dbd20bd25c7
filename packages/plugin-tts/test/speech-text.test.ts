import { describe, expect, it } from 'vitest';
import { BLEEP, SpeechFilter } from '../src/speech-filter.ts';
import { capCharacters, fillTemplate, speakableText } from '../src/speech-text.ts';

describe('speakableText', () => {
  it('takes out markup, eSpeak phoneme brackets and invisible characters', () => {
    expect(speakableText('hi <speak><prosody rate="x-slow">there</prosody></speak>')).toBe('hi there');
    expect(speakableText('a < b > c [[h@l]] 1 > 0')).toBe('a c h@l 1 0');
    expect(speakableText('in\u200bvisible\nline')).toBe('invisible line');
  });

  it('takes out links, with or without a scheme', () => {
    expect(speakableText('see https://x.example/a?b=1, ftp://files.example or WWW.Site.Example/page')).toBe('see or');
    expect(speakableText('my page is onlyfans.com/me and cam.site too')).toBe('my page is and too');
    expect(speakableText('version 1.5 is out')).toBe('version 1.5 is out');
  });

  it('collapses repeated emoji, long emoji runs and stretched characters', () => {
    expect(speakableText('😂😂😂 😂 lol')).toBe('😂 lol');
    expect(speakableText('👍🏽👍🏽👍🏽')).toBe('👍🏽');
    expect(speakableText('🎉🔥💯❤️👍🌹')).toBe('🎉🔥💯');
    expect(speakableText('sooooo goooood!!!!!!??? 1000000')).toBe('soo good!? 100');
    expect(speakableText('   ')).toBe('');
  });
});

describe('capCharacters', () => {
  it('cuts at the last word that fits, or inside one long word, never inside a character', () => {
    expect(capCharacters('hello wonderful world', 15)).toBe('hello wonderful');
    expect(capCharacters('hello wonderful world', 14)).toBe('hello');
    expect(capCharacters('abcdefghij', 4)).toBe('abcd');
    expect(capCharacters('😂😂😂', 2)).toBe('😂😂');
    expect(capCharacters('short', 50)).toBe('short');
  });
});

describe('fillTemplate', () => {
  it('fills the tipper and the title, and drops other placeholders', () => {
    expect(fillTemplate('{tipperName} bought {title}! {amount}', { tipperName: 'Kai', title: 'Flash' })).toBe('Kai bought Flash! ');
    expect(fillTemplate('$& {title}', { tipperName: 'x', title: '$1' })).toBe('$& $1');
  });
});

describe('SpeechFilter', () => {
  const filter = new SpeechFilter(['José', 'banana split', 'слово', 'a[b]?']);

  it('bleeps the English set through leetspeak and stretching, and leaves innocent words alone', () => {
    expect(filter.apply('sh1t and fuuuck', 'bleep')).toBe(`${BLEEP} and ${BLEEP}`);
    expect(filter.apply('a classic assassin from Scunthorpe', 'bleep')).toBe('a classic assassin from Scunthorpe');
  });

  it("bleeps the creator's words as whole words, blind to case and accents", () => {
    expect(filter.apply('JOSE and josé, not josélito', 'bleep')).toBe(`${BLEEP} and ${BLEEP}, not josélito`);
    expect(filter.apply('a Banana Split now, bananasplit later', 'bleep')).toBe(`a ${BLEEP} now, bananasplit later`);
    expect(filter.apply('одно слово', 'bleep')).toBe(`одно ${BLEEP}`);
    expect(filter.apply('pattern a[b]? literal', 'bleep')).toBe(`pattern ${BLEEP} literal`);
  });

  it('skips (null) any text with a match in skip mode', () => {
    expect(filter.apply('hi josé', 'skip')).toBeNull();
    expect(filter.apply('hi there', 'skip')).toBe('hi there');
  });
});
