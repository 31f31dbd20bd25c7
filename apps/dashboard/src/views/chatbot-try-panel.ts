import { css, html, nothing } from 'lit';
import type { TryResult } from '@streaming-companion/client';
import { CAUSE_NAMES, LEVEL_OPTIONS, readTryForm, TRY_LABELS } from '../chatbot-form.ts';
import { field, formError, formValues, selectField } from '../fields.ts';
import { shared } from '../styles.ts';
import { DashboardView } from '../view-element.ts';

/**
 * `<sc-chatbot-try>`: a chat line tried against the personas as they are saved, nothing sent to
 * chat: which persona answers, its reply, and why each persona did or did not.
 */
export class ChatbotTryPanel extends DashboardView {
  static override properties = { result: { state: true } };

  /** The last answer, until the next try. */
  declare result: TryResult | undefined;

  async #try(event: SubmitEvent): Promise<void> {
    const read = readTryForm(formValues(event));
    if (!read.ok) {
      this.errors = { fields: read.fields };
      return;
    }
    await this.attempt(TRY_LABELS, async () => {
      this.result = await this.client.chatbot.try(read.value);
    });
  }

  override render() {
    const e = this.errors.fields;
    return html`<section class="panel" aria-labelledby="try-title">
      <h2 id="try-title">Try a message</h2>
      <p class="muted">As if a viewer wrote it in chat: see who answers, and why. Nothing is sent to your chat or overlays.</p>
      <form aria-label="Try a message" @submit=${this.#try} novalidate>
        ${field({ id: 'tryMessage', label: 'Message', placeholder: '!menu', maxlength: 2000, error: e.tryMessage })}
        <div class="pair">
          ${field({ id: 'trySender', label: 'From (optional)', placeholder: 'viewer_42', maxlength: 100, error: e.trySender })}
          ${selectField({ id: 'tryLevel', label: 'Sent as', options: LEVEL_OPTIONS, value: 'everyone' })}
        </div>
        ${formError(this.errors.form)}
        <div class="actions"><button class="primary" type="submit" ?disabled=${this.busy}>Try it</button></div>
      </form>
      ${this.result ? this.#result(this.result) : nothing}
    </section>`;
  }

  #result(result: TryResult) {
    return html`<div class="result" role="status" aria-label="Try result">
      ${result.answered
        ? html`<p><strong class="clip">${result.personaName}</strong> answers${result.trigger ? html` <span class="badge">${CAUSE_NAMES[result.trigger.type]}</span>` : nothing}</p>
            <p class="reply">${result.responseText}</p>`
        : html`<p><strong>No persona answers this.</strong></p>`}
      ${result.why.length
        ? html`<h3>Why</h3>
            <ul class="why" aria-label="Why">
              ${result.why.map((line) => html`<li>${line}</li>`)}
            </ul>`
        : nothing}
    </div>`;
  }

  static override styles = [
    shared,
    css`
      .pair {
        margin-bottom: 0;
      }
      .pair .field + .field {
        margin-top: 0;
      }
      .result {
        margin-top: 1rem;
        border-top: 1px solid var(--border);
        padding-top: 0.75rem;
        overflow-wrap: anywhere;
      }
      .result p {
        margin: 0 0 0.5rem;
      }
      .reply {
        background: var(--panel-2);
        border-radius: 8px;
        padding: 0.5rem 0.75rem;
        white-space: pre-wrap;
      }
      .why {
        margin: 0;
        padding-left: 1.1rem;
        font-size: 0.9rem;
      }
      .why li + li {
        margin-top: 0.25rem;
      }
    `,
  ];
}
