import { css, html, type PropertyValues } from 'lit';
import type { ChatbotResponse, LiveConnection } from '@streaming-companion/client';
import { CAUSE_NAMES, CHAT_LINE_LABELS, readChatLineForm } from '../chatbot-form.ts';
import { field, formError, formValues } from '../fields.ts';
import { formatTime } from '../format.ts';
import { shared } from '../styles.ts';
import { DashboardView } from '../view-element.ts';

const FEED_SIZE = 20;

/** A reply as shown: when it came, to tell two identical ones apart. */
interface ShownReply {
  at: string;
  reply: ChatbotResponse;
}

/**
 * The live session's chatbot: its replies as they are sent (`chatbot_response`; they are not
 * stored, so the feed starts empty), and a form to pass on a viewer's chat line by hand
 * (`chatbot_message`) from a platform without a connector.
 */
export class ChatPanel extends DashboardView {
  static override properties = {
    connection: { attribute: false },
    sessionId: { attribute: false },
    replies: { state: true },
  };

  declare connection: LiveConnection | undefined;
  declare sessionId: string;
  declare replies: ShownReply[];

  #stop: (() => void) | undefined;

  constructor() {
    super();
    this.replies = [];
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stop?.();
    this.#stop = undefined;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('sessionId') && changed.get('sessionId') !== undefined) this.replies = [];
    if (changed.has('connection')) {
      this.#stop?.();
      this.#stop = this.connection?.on('chatbot_response', (reply) => {
        if (reply.sessionId === this.sessionId) this.replies = [{ at: new Date().toISOString(), reply }, ...this.replies].slice(0, FEED_SIZE);
      });
    }
  }

  async #send(event: SubmitEvent): Promise<void> {
    const form = event.target as HTMLFormElement;
    const read = readChatLineForm(formValues(event));
    if (!read.ok) {
      this.errors = { fields: read.fields };
      return;
    }
    const connection = this.connection;
    if (!connection) return;
    const sent = await this.attempt(CHAT_LINE_LABELS, () => connection.chatbotMessage({ sessionId: this.sessionId, ...read.value }));
    // The name stays for the next line from the same viewer.
    if (sent) form.querySelector<HTMLInputElement>('#chatMessage')!.value = '';
  }

  override render() {
    const e = this.errors.fields;
    return html`<section class="panel" aria-labelledby="chat-title">
      <h2 id="chat-title">Chatbot</h2>
      <form aria-label="Send a chat line" @submit=${this.#send} novalidate>
        <div class="pair">
          ${field({ id: 'chatSender', label: 'Viewer name', maxlength: 100, error: e.chatSender })}
          ${field({ id: 'chatMessage', label: 'Chat line', maxlength: 2000, placeholder: '!menu', error: e.chatMessage })}
        </div>
        <p class="muted hint">For a platform without a connector: pass on what a viewer wrote, and your personas answer it.</p>
        ${formError(this.errors.form)}
        <div class="actions"><button type="submit" ?disabled=${this.busy || !this.connection}>Send to chatbot</button></div>
      </form>
      <h3>Replies</h3>
      ${this.replies.length
        ? html`<ol class="plain feed" aria-label="Chatbot replies">
            ${this.replies.map(
              ({ at, reply }) => html`<li>
                <div class="line">
                  <strong class="clip">${reply.personaName}</strong>
                  <span class="muted meta">${CAUSE_NAMES[reply.trigger.type]} · ${formatTime(at)}</span>
                </div>
                <p class="text">${reply.responseText}</p>
              </li>`,
            )}
          </ol>`
        : html`<p class="empty">No replies yet this session. They appear here as your personas send them.</p>`}
    </section>`;
  }

  static override styles = [
    shared,
    css`
      .pair {
        --pair-columns: minmax(0, 1fr) minmax(0, 2fr);
        margin: 0;
      }
      .pair .field + .field {
        margin-top: 0;
      }
      .hint {
        font-size: 0.8rem;
        margin: 0.4rem 0 0;
      }
      form {
        margin-bottom: 1rem;
      }
      .feed li {
        padding: 0.5rem 0;
        border-top: 1px solid var(--border);
      }
      .meta {
        font-size: 0.8rem;
        white-space: nowrap;
      }
      .text {
        margin: 0.2rem 0 0;
        overflow-wrap: anywhere;
        white-space: pre-wrap;
      }
    `,
  ];
}
