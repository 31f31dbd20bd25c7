import { z } from 'zod';

/** A language model that writes one chat reply: the driver behind personas with `llm.enabled`. */
export interface ChatModel {
  /** The model's reply; rejects on any failure, and when `signal` aborts. */
  reply(prompt: { system: string; user: string }, signal: AbortSignal): Promise<string>;
}

/** What the reply is read from; anything else in the answer is ignored. */
const Completion = z.object({ choices: z.array(z.object({ message: z.object({ content: z.string() }) })).min(1) });

/** Keeps a model's reply short; the reply is cut to its maximum length anyway. */
const MAX_TOKENS = 200;

/** Raised for an answer that is not a reply: its status or shape, never the request (which carries the key). */
export class ChatModelError extends Error {
  override readonly name = 'ChatModelError';
}

/** An OpenAI-compatible server (`POST {url}/chat/completions`): OpenAI, a local Ollama or llama.cpp, a proxy. */
export class OpenAiCompatibleModel implements ChatModel {
  readonly #endpoint: string;
  readonly #apiKey: string | undefined;
  readonly #model: string;

  constructor(options: { url: string; apiKey?: string; model: string }) {
    this.#endpoint = `${options.url.replace(/\/+$/, '')}/chat/completions`;
    this.#apiKey = options.apiKey;
    this.#model = options.model;
  }

  async reply(prompt: { system: string; user: string }, signal: AbortSignal): Promise<string> {
    const response = await fetch(this.#endpoint, {
      method: 'POST',
      signal,
      headers: { 'content-type': 'application/json', ...(this.#apiKey ? { authorization: `Bearer ${this.#apiKey}` } : {}) },
      body: JSON.stringify({
        model: this.#model,
        max_tokens: MAX_TOKENS,
        messages: [
          { role: 'system', content: prompt.system },
          { role: 'user', content: prompt.user },
        ],
      }),
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new ChatModelError(`the model answered HTTP ${response.status}`);
    }
    const body: unknown = await response.json().catch((error: unknown) => {
      // A timeout while the body arrives is still a timeout; anything else is an answer that is not JSON.
      if (error instanceof SyntaxError) throw new ChatModelError('the model answered something that is not JSON');
      throw error;
    });
    const parsed = Completion.safeParse(body);
    if (!parsed.success) throw new ChatModelError('the model answered without a reply in choices[0].message.content');
    return parsed.data.choices[0]!.message.content;
  }
}
