import { css, html, nothing } from 'lit';
import type { ApiTokenDto } from '@streaming-companion/client';
import { copyText } from '../clipboard.ts';
import { field, formError, formValues } from '../fields.ts';
import { formatDateTime } from '../format.ts';
import { shared } from '../styles.ts';
import { DashboardView } from '../view-element.ts';

/** Personal API tokens for integrations: create (secret shown once), list, revoke. */
export class TokensView extends DashboardView {
  static override properties = { tokens: { state: true }, created: { state: true }, secretCopied: { state: true } };

  declare tokens: ApiTokenDto[] | undefined;
  /** The token just made, with its secret, until the creator dismisses it. */
  declare created: (ApiTokenDto & { token: string }) | undefined;
  declare secretCopied: boolean;

  readonly #copySecret = async () => {
    this.secretCopied = await copyText(this.created!.token, this.renderRoot.querySelector<HTMLInputElement>('#secret'));
  };

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  async #load(): Promise<void> {
    try {
      this.tokens = await this.client.tokens.list();
    } catch (error) {
      this.failed(error);
    }
  }

  async #create(event: SubmitEvent): Promise<void> {
    const form = event.target as HTMLFormElement;
    const { name } = formValues(event);
    if (!name) {
      this.errors = { fields: { name: 'Give the token a name, so you know later what uses it.' } };
      return;
    }
    const created = await this.attempt({ name: { input: 'name', label: 'Name' } }, async () => {
      this.created = await this.client.tokens.create(name);
      this.secretCopied = false;
    });
    if (!created) return;
    form.reset();
    await this.#load();
  }

  async #revoke(token: ApiTokenDto): Promise<void> {
    try {
      await this.client.tokens.revoke(token.id);
      if (this.created?.id === token.id) this.created = undefined;
      await this.#load();
    } catch (error) {
      this.failed(error);
    }
  }

  override render() {
    return html`<section class="panel stack" aria-labelledby="tokens-title">
      <h1 id="tokens-title">API tokens</h1>
      <p class="muted">Tokens let your own tools and connectors use the API and the live socket as you. Anyone holding one can record
        tips and run sessions, so keep them secret and revoke any you no longer use.</p>
      ${this.created
        ? html`<div class="secret" role="status">
            <p><strong>Copy your new token “${this.created.name}” now.</strong> It is shown only this once.</p>
            <div class="row nowrap">
              <input id="secret" aria-label="New token secret" readonly .value=${this.created.token} @focus=${(e: FocusEvent) => (e.target as HTMLInputElement).select()} />
              <button @click=${this.#copySecret}>${this.secretCopied ? 'Copied' : 'Copy'}</button>
            </div>
            <div class="actions"><button @click=${() => (this.created = undefined)}>I have saved it</button></div>
          </div>`
        : nothing}
      <form aria-label="Create a token" @submit=${this.#create} novalidate>
        ${field({ id: 'name', label: 'Token name', placeholder: 'e.g. Chaturbate connector', maxlength: 80, error: this.errors.fields.name })}
        ${formError(this.errors.form)}
        <div class="actions"><button class="primary" type="submit" ?disabled=${this.busy}>Create token</button></div>
      </form>
      ${this.#list()}
    </section>`;
  }

  #list() {
    if (!this.tokens) return html`<p class="muted" role="status">Loading…</p>`;
    if (!this.tokens.length) return html`<p class="empty">No tokens yet.</p>`;
    return html`<ul class="plain" aria-label="Your API tokens">
      ${this.tokens.map(
        (t) => html`<li class="token">
          <div class="clip">
            <strong>${t.name}</strong> <code class="muted">${t.prefix}…</code>
            <div class="muted meta">Created ${formatDateTime(t.createdAt)} · ${t.lastUsedAt ? `last used ${formatDateTime(t.lastUsedAt)}` : 'never used'}</div>
          </div>
          <button class="small danger" aria-label="Revoke ${t.name}" @click=${() => this.#revoke(t)}>Revoke</button>
        </li>`,
      )}
    </ul>`;
  }

  static override styles = [
    shared,
    css`
      section {
        max-width: 48rem;
      }
      .secret {
        border: 1px solid var(--good);
        border-radius: 8px;
        padding: 0.75rem;
      }
      .secret p {
        margin-top: 0;
      }
      .nowrap {
        flex-wrap: nowrap;
      }
      .nowrap input {
        font-family: ui-monospace, monospace;
      }
      .token {
        display: flex;
        justify-content: space-between;
        align-items: center;
        gap: 1rem;
        padding: 0.6rem 0;
        border-top: 1px solid var(--border);
      }
      .meta {
        font-size: 0.8rem;
      }
    `,
  ];
}
