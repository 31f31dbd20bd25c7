import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ESpeakNg from 'espeak-ng';
import { readWav, wavDurationMs } from '../wav.ts';
import type { SynthesizedSpeech, TtsEngine, TtsVoice, VoiceOptions } from './engine.ts';

const INPUT = 'input.txt';
const OUTPUT = 'speech.wav';
// Emscripten's notice that the program ended while the runtime lives on: expected, not an error.
const EXIT_NOTICE = /keepRuntimeAlive/;

/**
 * eSpeak NG compiled to WebAssembly, with its voice data: works offline, in-process. Each call
 * runs the command line once in a fresh instance (compiled once, then reused). The text goes
 * in as a file read as plain UTF-8 text: never SSML (`-m` is not passed), never arguments.
 */
export class ESpeakEngine implements TtsEngine {
  readonly defaultVoice = 'en-us';
  #compiled: Promise<WebAssembly.Module> | undefined;
  #voices: Promise<TtsVoice[]> | undefined;

  voices(): Promise<TtsVoice[]> {
    this.#voices ??= this.#run(['--voices']).then(({ stdout }) => parseVoiceList(stdout));
    return this.#voices;
  }

  async synthesize(text: string, { voice, speed, pitch }: VoiceOptions): Promise<SynthesizedSpeech> {
    const args = ['-b', '1', '-f', INPUT, '-w', OUTPUT, '-v', voice, '-s', String(speed), '-p', String(pitch)];
    const { module, stderr } = await this.#run(args, text);
    let wav: Uint8Array;
    try {
      wav = module.FS.readFile(OUTPUT);
    } catch {
      throw new Error(`eSpeak NG wrote no audio${stderr.length ? `: ${stderr.join(' ')}` : ''}`);
    }
    return { audio: wav, format: 'wav', durationMs: wavDurationMs(readWav(wav)) };
  }

  async #run(args: string[], input?: string) {
    const compiled = await (this.#compiled ??= compileWasm());
    const stdout: string[] = [];
    const stderr: string[] = [];
    let failed!: (error: unknown) => void;
    const instantiationFailed = new Promise<never>((_, reject) => (failed = reject));
    const loading = ESpeakNg({
      arguments: args,
      print: (line) => stdout.push(line),
      printErr: (line) => {
        if (!EXIT_NOTICE.test(line)) stderr.push(line);
      },
      preRun: [(m) => input !== undefined && m.FS.writeFile(INPUT, input)],
      instantiateWasm: (imports, receive) => {
        WebAssembly.instantiate(compiled, imports).then((instance) => receive(instance, compiled), failed);
        return {};
      },
    });
    const module = await Promise.race([loading, instantiationFailed]);
    return { module, stdout, stderr };
  }
}

async function compileWasm(): Promise<WebAssembly.Module> {
  const script = createRequire(import.meta.url).resolve('espeak-ng');
  return WebAssembly.compile(await readFile(join(dirname(script), 'espeak-ng.wasm')));
}

/**
 * `espeak-ng --voices`: a header, then `Pty Language Age/Gender VoiceName File Other…` per
 * voice. One voice per language (the first listed), named with spaces for underscores.
 */
export function parseVoiceList(lines: string[]): TtsVoice[] {
  const voices = new Map<string, TtsVoice>();
  for (const line of lines.slice(1)) {
    const [, language, , name] = line.trim().split(/\s+/);
    if (!language || !name || voices.has(language)) continue;
    voices.set(language, { id: language, name: name.replaceAll('_', ' '), language });
  }
  return [...voices.values()].sort((a, b) => a.name.localeCompare(b.name));
}
