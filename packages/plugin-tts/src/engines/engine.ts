/** What turns text into speech. The built-in one is eSpeak NG (offline); `http-engine.ts` calls a service. */

export interface TtsVoice {
  /** What `voice` is set to. */
  id: string;
  name: string;
  /** BCP 47-like language tag, e.g. `en-us`. */
  language: string;
}

export interface VoiceOptions {
  voice: string;
  /** Words per minute, 80–450. */
  speed: number;
  /** 0–99, 50 is the voice's own. */
  pitch: number;
}

export interface SynthesizedSpeech {
  audio: Uint8Array;
  format: 'wav';
  /** From the WAV header. */
  durationMs: number;
}

export interface TtsEngine {
  /** The voice a creator who chose none speaks with; one of `voices()`. */
  readonly defaultVoice: string;
  voices(): Promise<TtsVoice[]>;
  /** Speak plain text (never markup) as a RIFF/WAVE file. */
  synthesize(text: string, options: VoiceOptions): Promise<SynthesizedSpeech>;
}
