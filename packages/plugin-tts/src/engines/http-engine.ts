import { readWav, wavDurationMs } from '../wav.ts';
import type { SynthesizedSpeech, TtsEngine, TtsVoice, VoiceOptions } from './engine.ts';

export interface HttpEngineOptions {
  url: string;
  /** Sent as `Authorization: Bearer …`. */
  apiKey?: string;
  /** What the service speaks with, as the dashboard lists them; the first is the default. */
  voices: TtsVoice[];
  timeoutMs: number;
  /** A larger answer is refused, whatever it claims. */
  maxBytes: number;
}

const WAV_TYPES = new Set(['audio/wav', 'audio/wave', 'audio/x-wav', 'audio/vnd.wave']);

/**
 * A speech service over HTTP: `POST url` with `{ text, voice, speed, pitch }` as JSON, answered
 * with `audio/wav`. Its failures (a status, another type, a file that is not WAV, too slow,
 * too big) are errors, never audio; the message never carries the API key.
 */
export class HttpEngine implements TtsEngine {
  readonly defaultVoice: string;
  readonly #o: HttpEngineOptions;

  constructor(options: HttpEngineOptions) {
    this.#o = options;
    this.defaultVoice = options.voices[0]!.id;
  }

  async voices(): Promise<TtsVoice[]> {
    return this.#o.voices;
  }

  async synthesize(text: string, options: VoiceOptions): Promise<SynthesizedSpeech> {
    const { url, apiKey, timeoutMs } = this.#o;
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'audio/wav' };
    if (apiKey) headers.authorization = `Bearer ${apiKey}`;
    const response = await fetch(url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ text, voice: options.voice, speed: options.speed, pitch: options.pitch }),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`the TTS service answered ${response.status}`);
    }
    const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (!WAV_TYPES.has(type)) {
      await response.body?.cancel();
      throw new Error(`the TTS service answered ${type || 'no content type'}, not audio/wav`);
    }
    const audio = await this.#readAtMost(response);
    return { audio, format: 'wav', durationMs: wavDurationMs(readWav(audio)) };
  }

  async #readAtMost(response: Response): Promise<Uint8Array> {
    const chunks: Uint8Array[] = [];
    let size = 0;
    // Leaving the loop early (the throw) cancels the body.
    for await (const chunk of response.body ?? []) {
      size += chunk.byteLength;
      if (size > this.#o.maxBytes) throw new Error(`the TTS service answered more than ${this.#o.maxBytes} bytes`);
      chunks.push(chunk);
    }
    return Buffer.concat(chunks, size);
  }
}
