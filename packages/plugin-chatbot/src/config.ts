import { z } from 'zod';

export const ChatbotConfig = z
  .object({
    /**
     * An OpenAI-compatible model for personas with `llm.enabled` (off when absent). The key is
     * sent to that server only, never logged.
     */
    llm: z
      .object({
        /** The API base, e.g. `https://api.openai.com/v1` or `http://127.0.0.1:11434/v1`: replies come from `{url}/chat/completions`. */
        url: z.url({ protocol: /^https?$/ }),
        apiKey: z.string().min(1).optional(),
        model: z.string().min(1).max(200),
        /** A reply later than this is dropped for the template reply. */
        timeoutMs: z.int().min(100).max(60_000).default(5_000),
      })
      .strict()
      .optional(),
    /** How often timers are looked at (and old cooldowns forgotten): a timer message is at most this late. */
    timerCheckEveryMs: z.int().min(100).max(600_000).default(20_000),
  })
  .strict();
export type ChatbotConfig = z.output<typeof ChatbotConfig>;
