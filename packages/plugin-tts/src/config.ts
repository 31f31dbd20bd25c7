import { z } from 'zod';

const Voice = z.object({ id: z.string().trim().min(1).max(100), name: z.string().trim().min(1).max(100), language: z.string().trim().min(1).max(35) }).strict();

const EngineConfig = z.discriminatedUnion('kind', [
  /** eSpeak NG, built in: offline, in-process. */
  z.object({ kind: z.literal('espeak') }).strict(),
  /** A speech service: `POST url` with `{ text, voice, speed, pitch }`, answering `audio/wav`. */
  z
    .object({
      kind: z.literal('http'),
      url: z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }),
      apiKey: z.string().min(1).max(1_000).optional(),
      /** What the service speaks with (the first is the default voice). */
      voices: z.array(Voice).min(1).max(500).default([{ id: 'default', name: 'Default', language: 'en' }]),
      timeoutMs: z.int().min(100).max(120_000).default(15_000),
      maxBytes: z.int().min(1_000).max(100_000_000).default(20_000_000),
    })
    .strict(),
]);

export const TtsConfig = z
  .object({
    engine: EngineConfig.default({ kind: 'espeak' }),
    /** Syntheses one worker process runs at once (each eSpeak NG one holds about 40 MB while it runs). */
    concurrency: z.int().min(1).max(32).default(2),
    /** Previews one address may ask for per minute. */
    previewsPerMinute: z.int().min(1).max(10_000).default(30),
  })
  .strict();
export type TtsConfig = z.output<typeof TtsConfig>;
export type EngineConfig = TtsConfig['engine'];
