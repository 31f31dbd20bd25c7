import { cleanViewerText, type Logger } from '@streaming-companion/sdk';
import type { ChatModel } from './chat-model.ts';
import type { Occasion } from './occasion.ts';
import type { Answer } from './persona-router.ts';
import { formatTipAmount } from './reply-variables.ts';
import { capReply, REPLY_MAX_LENGTH } from './template-text.ts';

export interface ReplyWriterDependencies {
  /** Absent when no model is configured: every persona answers with its templates. */
  model: ChatModel | undefined;
  timeoutMs: number;
  log: Logger;
}

/**
 * The text a persona sends. With `llm.enabled` and a model configured, the model writes it,
 * given the creator's system prompt, what happened, and the template reply as a hint; a model
 * that fails, answers nothing or takes longer than the timeout is cut off, and the template
 * reply goes out instead. A model's reply is treated like viewer text: cleaned and capped.
 */
export class ReplyWriter {
  readonly #d: ReplyWriterDependencies;

  constructor(dependencies: ReplyWriterDependencies) {
    this.#d = dependencies;
  }

  get hasModel(): boolean {
    return this.#d.model !== undefined;
  }

  async write(answer: Answer, occasion: Occasion): Promise<string> {
    const { persona } = answer;
    if (!persona.llm?.enabled || !this.#d.model) return answer.text;
    let failure: string;
    try {
      const system = `${persona.llm.systemPrompt}\n\nYou are ${persona.name}, a chatbot in the chat of a live cam show. Answer with one short message, under ${REPLY_MAX_LENGTH} characters. Your usual answer here would be: ${answer.text}`;
      const written = cleanViewerText(await this.#d.model.reply({ system, user: situation(occasion) }, AbortSignal.timeout(this.#d.timeoutMs)));
      if (written) return capReply(written);
      failure = 'the model answered an empty reply';
    } catch (error) {
      failure = describeFailure(error, this.#d.timeoutMs);
    }
    // The error only: the request, which carries the API key, is never logged.
    this.#d.log.warn({ personaId: persona.id, failure }, 'chatbot model failed; sent the template reply');
    return answer.text;
  }
}

/** What happened, told to the model as the user's turn. */
function situation(occasion: Occasion): string {
  switch (occasion.kind) {
    case 'chat':
      return `${occasion.senderName}: ${occasion.message}`;
    case 'tip':
      return `${occasion.tip.tipperName ?? 'Someone anonymous'} tipped ${formatTipAmount(occasion.tip)}${occasion.tip.message ? ` with the message: ${occasion.tip.message}` : ''}`;
    case 'menu_item_purchased':
      return `${occasion.tip.tipperName ?? 'Someone anonymous'} bought "${occasion.itemTitle}" from the tip menu for ${formatTipAmount(occasion.tip)}`;
    case 'goal_completed':
      return 'The tip goal was just reached.';
    case 'timer':
      return 'Nobody spoke to you: say something to the chat, as you regularly do.';
  }
}

function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `no reply within ${timeoutMs} ms`;
  if (error instanceof Error) {
    const code = (error.cause as { code?: unknown } | undefined)?.code;
    return `${error.message}${typeof code === 'string' ? ` (${code})` : ''}`;
  }
  return String(error);
}
