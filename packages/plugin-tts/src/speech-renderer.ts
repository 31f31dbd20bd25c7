import type { TtsSettings } from './contract.ts';
import type { SynthesizedSpeech, TtsEngine } from './engines/engine.ts';
import { SpeechFilter } from './speech-filter.ts';
import { capCharacters, speakableText } from './speech-text.ts';
import { capWav } from './wav.ts';

export type SpeechText = { text: string } | { skipped: 'filtered' | 'empty' };

/**
 * Viewer text to audio, under the creator's settings: cleaned (`speech-text.ts`), filtered
 * (`speech-filter.ts`), cut to `maxChars`, spoken by the engine, and the audio cut to
 * `maxSeconds`. Tips and the dashboard's preview go through this same path.
 */
export class SpeechRenderer {
  readonly #engine: TtsEngine;

  constructor(engine: TtsEngine) {
    this.#engine = engine;
  }

  /** What would be said of `line`, or why nothing would. */
  textFor(line: string, settings: Pick<TtsSettings, 'filterWords' | 'filterMode' | 'maxChars'>): SpeechText {
    const filtered = new SpeechFilter(settings.filterWords).apply(speakableText(line), settings.filterMode);
    if (filtered === null) return { skipped: 'filtered' };
    const text = capCharacters(filtered, settings.maxChars);
    return text ? { text } : { skipped: 'empty' };
  }

  /** Speak text that `textFor` answered. A voice the engine no longer has (it was changed) falls back to its default. */
  async render(text: string, settings: Pick<TtsSettings, 'voice' | 'speed' | 'pitch' | 'maxSeconds'>): Promise<SynthesizedSpeech> {
    const voices = await this.#engine.voices();
    const voice = voices.some((v) => v.id === settings.voice) ? settings.voice : this.#engine.defaultVoice;
    const speech = await this.#engine.synthesize(text, { voice, speed: settings.speed, pitch: settings.pitch });
    return { ...capWav(speech.audio, settings.maxSeconds * 1000), format: 'wav' };
  }
}
