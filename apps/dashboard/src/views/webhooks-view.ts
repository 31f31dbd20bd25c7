import { css, html, nothing, type PropertyValues } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { ConnectionStatus, LiveConnection, WebhookDelivery, WebhookEndpoint, WebhookEndpointWithSecret, WebhookEventTypeDto } from '@streaming-companion/client';
import { copyText } from '../clipboard.ts';
import { noErrors } from '../errors.ts';
import { field, formError, formValues } from '../fields.ts';
import { shared } from '../styles.ts';
import { DashboardView } from '../view-element.ts';
import {
  endpointState,
  eventChoices,
  eventsText,
  lastDeliveryText,
  newerDelivery,
  readWebhookForm,
  WEBHOOK_LABELS,
  WEBHOOK_WORDS,
} from '../webhook-form.ts';
import type { WebhookDeliveries } from './webhook-deliveries.ts';

/** A signing secret just made, shown until the creator says it is saved. */
interface ShownSecret {
  endpointId: string;
  secret: string;
  rotated: boolean;
}

/** A row's own message (what "Send test" did, or why an action was refused). */
interface RowMessage {
  endpointId: string;
  text: string;
  bad: boolean;
}

/**
 * Webhooks for the creator's own integrations: their endpoints (add, edit in place, switch off
 * and on, send a test, rotate the signing secret and delete after asking), the secret shown once
 * with a copy button, and each endpoint's delivery log. Last deliveries follow `webhook_delivery`.
 */
export class WebhooksView extends DashboardView {
  static override properties = {
    connection: { attribute: false },
    connectionStatus: { attribute: false },
    endpoints: { state: true },
    offered: { state: true },
    lastDeliveries: { state: true },
    editing: { state: true },
    confirming: { state: true },
    shownSecret: { state: true },
    secretCopied: { state: true },
    openLogs: { state: true },
    rowMessage: { state: true },
    now: { state: true },
  };

  declare connection: LiveConnection | undefined;
  declare connectionStatus: ConnectionStatus;
  /** undefined while loading. */
  declare endpoints: WebhookEndpoint[] | undefined;
  /** The events this server offers (undefined while loading). */
  declare offered: WebhookEventTypeDto[] | undefined;
  /** Each endpoint's newest delivery; null when it has none. */
  declare lastDeliveries: Record<string, WebhookDelivery | null>;
  /** The endpoint whose edit form is open. */
  declare editing: string | undefined;
  /** The endpoint whose delete or secret rotation waits for a yes. */
  declare confirming: { endpointId: string; action: 'delete' | 'rotate' } | undefined;
  declare shownSecret: ShownSecret | undefined;
  declare secretCopied: boolean;
  /** The endpoints whose delivery log is open. */
  declare openLogs: ReadonlySet<string>;
  declare rowMessage: RowMessage | undefined;
  /** Moves on every second, so relative times stay true while nothing happens. */
  declare now: number;

  #stop: (() => void) | undefined;
  #clock: ReturnType<typeof setInterval> | undefined;
  #loads = 0;
  /** Focus the secret once it is on the page, so it is the next thing read. */
  #focusSecret = false;

  constructor() {
    super();
    this.lastDeliveries = {};
    this.openLogs = new Set();
    this.secretCopied = false;
    this.now = Date.now();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#clock = setInterval(() => (this.now = Date.now()), 1000);
    void this.#load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#clock);
    this.#stop?.();
    this.#stop = undefined;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('connection')) {
      this.#stop?.();
      this.#stop = this.connection?.on('webhook_delivery', (delivery) => {
        const current = this.lastDeliveries[delivery.endpointId];
        this.lastDeliveries = { ...this.lastDeliveries, [delivery.endpointId]: newerDelivery(current, delivery) };
        // Failures in a row can make the server switch the endpoint off: show it as it is now.
        if (delivery.status === 'failed') void this.#load();
      });
    }
    if (changed.has('connectionStatus') && changed.get('connectionStatus') === 'reconnecting' && this.connectionStatus === 'connected') void this.#load();
    const secret = this.#focusSecret ? this.renderRoot.querySelector<HTMLInputElement>('#secret') : null;
    if (secret) {
      this.#focusSecret = false;
      secret.scrollIntoView({ block: 'center' });
      secret.focus();
    }
  }

  /** The endpoints, the events offered and each endpoint's newest delivery. */
  async #load(): Promise<void> {
    const load = ++this.#loads;
    try {
      const [endpoints, offered] = await Promise.all([this.client.webhooks.list(), this.offered ?? this.client.webhooks.eventTypes()]);
      const newest = await Promise.all(endpoints.map(async (e) => [e.id, (await this.client.webhooks.deliveries(e.id, { pageSize: 1 })).items[0] ?? null] as const));
      if (load !== this.#loads) return;
      this.endpoints = endpoints;
      this.offered = offered;
      this.lastDeliveries = Object.fromEntries(newest);
    } catch (error) {
      this.failed(error);
    }
  }

  /** Runs a change from the form, then shows the endpoints as the server has them. */
  async #change(action: () => Promise<unknown>): Promise<boolean> {
    if (!(await this.attempt(WEBHOOK_LABELS, action, WEBHOOK_WORDS))) return false;
    await this.#load();
    return true;
  }

  /** Runs a row's action and answers what it resolved; its refusal, or `said`, is shown in the row, not in the form. */
  async #rowAction<T>(endpoint: WebhookEndpoint, action: () => Promise<T>, said?: string): Promise<{ value: T } | undefined> {
    this.busy = true;
    try {
      const value = await action();
      this.rowMessage = said ? { endpointId: endpoint.id, text: said, bad: false } : undefined;
      await this.#load();
      return { value };
    } catch (error) {
      this.rowMessage = { endpointId: endpoint.id, text: this.explain(error), bad: true };
      return undefined;
    } finally {
      this.busy = false;
    }
  }

  #showSecret(made: WebhookEndpointWithSecret, rotated: boolean): void {
    this.shownSecret = { endpointId: made.id, secret: made.secret, rotated };
    this.secretCopied = false;
    this.#focusSecret = true;
  }

  async #create(event: SubmitEvent): Promise<void> {
    const form = event.target as HTMLFormElement;
    const read = readWebhookForm(formValues(event));
    if (!read.ok) {
      this.errors = { fields: read.fields };
      return;
    }
    if (await this.#change(async () => this.#showSecret(await this.client.webhooks.create(read.value), false))) form.reset();
  }

  async #save(event: SubmitEvent, endpoint: WebhookEndpoint): Promise<void> {
    const read = readWebhookForm(formValues(event));
    if (!read.ok) {
      this.errors = { fields: read.fields };
      return;
    }
    if (await this.#change(() => this.client.webhooks.update(endpoint.id, read.value))) this.editing = undefined;
  }

  async #sendTest(endpoint: WebhookEndpoint): Promise<void> {
    const sent = await this.#rowAction(endpoint, () => this.client.webhooks.test(endpoint.id), 'Test ping sent. Its delivery shows in the log below.');
    if (!sent) return;
    this.openLogs = new Set(this.openLogs).add(endpoint.id);
    await this.updateComplete;
    // The log fetches itself when it opens; one already open is told now rather than when the attempt settles.
    this.#logOf(endpoint.id)?.show(sent.value);
  }

  async #rotate(endpoint: WebhookEndpoint): Promise<void> {
    const rotated = await this.#rowAction(endpoint, () => this.client.webhooks.rotateSecret(endpoint.id));
    if (!rotated) return;
    this.confirming = undefined;
    this.#showSecret(rotated.value, true);
  }

  async #delete(endpoint: WebhookEndpoint): Promise<void> {
    const done = await this.#rowAction(endpoint, () => this.client.webhooks.remove(endpoint.id));
    if (!done) return;
    this.confirming = undefined;
    if (this.shownSecret?.endpointId === endpoint.id) this.shownSecret = undefined;
    const open = new Set(this.openLogs);
    if (open.delete(endpoint.id)) this.openLogs = open;
  }

  #toggleLog(endpoint: WebhookEndpoint): void {
    const open = new Set(this.openLogs);
    if (!open.delete(endpoint.id)) open.add(endpoint.id);
    this.openLogs = open;
  }

  #edit(endpoint: WebhookEndpoint): void {
    this.editing = endpoint.id;
    this.confirming = undefined;
    this.errors = noErrors;
  }

  #logOf(endpointId: string): WebhookDeliveries | null {
    return this.renderRoot.querySelector<WebhookDeliveries>(`sc-webhook-deliveries[data-endpoint="${endpointId}"]`);
  }

  readonly #copySecret = async () => {
    this.secretCopied = await copyText(this.shownSecret!.secret, this.renderRoot.querySelector<HTMLInputElement>('#secret'));
  };

  override render() {
    return html`<div class="stack">
      <section class="panel" aria-labelledby="webhooks-title">
        <h1 id="webhooks-title">Webhooks</h1>
        <p class="muted intro">Send what happens on your streams to your own tools: each event you pick is POSTed as JSON to your
          endpoint, signed with the endpoint's secret (<code>webhook-id</code>, <code>webhook-timestamp</code> and
          <code>webhook-signature</code> headers, the Standard Webhooks way). Check the signature before trusting a delivery, for
          example with <code>verifyWebhook</code> from <code>@streaming-companion/sdk/webhooks</code>, and drop repeats by their
          <code>id</code>. A delivery your endpoint does not answer with a 2xx is tried again, waiting longer each time, for about a day.</p>
        ${this.#list()}
      </section>
      ${this.editing ? nothing : html`<section class="panel" aria-labelledby="add-title">${this.#form()}</section>`}
    </div>`;
  }

  #list() {
    // A failed load says so in the form below.
    if (!this.endpoints) return this.errors.form ? nothing : html`<p class="muted" role="status">Loading…</p>`;
    if (!this.endpoints.length) return html`<p class="empty">No endpoints yet. Add the first one below.</p>`;
    return html`<ul class="plain" aria-label="Webhook endpoints">
      ${this.endpoints.map((endpoint) => (this.editing === endpoint.id ? html`<li class="endpoint">${this.#form(endpoint)}</li>` : this.#row(endpoint)))}
    </ul>`;
  }

  #row(endpoint: WebhookEndpoint) {
    const { url } = endpoint;
    const state = endpointState(endpoint);
    const confirming = this.confirming?.endpointId === endpoint.id ? this.confirming.action : undefined;
    const message = this.rowMessage?.endpointId === endpoint.id ? this.rowMessage : undefined;
    const logOpen = this.openLogs.has(endpoint.id);
    return html`<li class="endpoint ${endpoint.active ? '' : 'inactive'}">
      <div class="line">
        <strong class="url">${url}</strong>
        <span class="badge ${endpoint.active ? 'good' : ''}">${state.label}</span>
      </div>
      ${endpoint.description ? html`<p class="muted detail">${endpoint.description}</p>` : nothing}
      <p class="detail">${eventsText(endpoint.events)}</p>
      <p class="muted detail">Secret ${endpoint.secretHint} · ${lastDeliveryText(this.lastDeliveries[endpoint.id], this.now)}</p>
      ${state.detail ? html`<p class="detail bad">${state.detail}</p>` : nothing}
      ${this.shownSecret?.endpointId === endpoint.id ? this.#secret(this.shownSecret) : nothing}
      <div class="row">
        <button class="small" aria-label="Send test to ${url}" ?disabled=${this.busy || !endpoint.active} @click=${() => this.#sendTest(endpoint)}>Send test</button>
        <button class="small" aria-expanded=${logOpen ? 'true' : 'false'} aria-label="Delivery log of ${url}" @click=${() => this.#toggleLog(endpoint)}>Delivery log</button>
        <button class="small" aria-label="Edit ${url}" @click=${() => this.#edit(endpoint)}>Edit</button>
        <button class="small" aria-label="${endpoint.active ? 'Turn off' : 'Turn on'} ${url}" ?disabled=${this.busy}
          @click=${() => this.#rowAction(endpoint, () => this.client.webhooks.update(endpoint.id, { active: !endpoint.active }))}>${endpoint.active ? 'Turn off' : 'Turn on'}</button>
        <button class="small" aria-label="Rotate secret of ${url}" ?disabled=${this.busy}
          @click=${() => (this.confirming = { endpointId: endpoint.id, action: 'rotate' })}>Rotate secret</button>
        <button class="small danger" aria-label="Delete ${url}" ?disabled=${this.busy}
          @click=${() => (this.confirming = { endpointId: endpoint.id, action: 'delete' })}>Delete</button>
      </div>
      ${message ? html`<p class=${message.bad ? 'form-error' : 'ok'} role=${message.bad ? 'alert' : 'status'}>${message.text}</p>` : nothing}
      ${confirming ? this.#confirm(endpoint, confirming) : nothing}
      ${logOpen
        ? html`<sc-webhook-deliveries data-endpoint=${endpoint.id} .client=${this.client} .connection=${this.connection} .connectionStatus=${this.connectionStatus}
            .endpointId=${endpoint.id} .endpointUrl=${url} .now=${this.now}></sc-webhook-deliveries>`
        : nothing}
    </li>`;
  }

  #confirm(endpoint: WebhookEndpoint, action: 'delete' | 'rotate') {
    const [question, yes] =
      action === 'delete'
        ? [`Delete the endpoint ${endpoint.url}? Nothing more is sent to it, and its delivery log goes with it.`, 'Yes, delete']
        : [
            `Make a new signing secret for ${endpoint.url}? For a day, deliveries are signed with the old and the new secret together, so your receiver can switch over; after that, only the new one.`,
            'Yes, make a new secret',
          ];
    return html`<div class="warning" role="alert">
      <p>${question}</p>
      <div class="row">
        <button class="danger" ?disabled=${this.busy} @click=${() => (action === 'delete' ? this.#delete(endpoint) : this.#rotate(endpoint))}>${yes}</button>
        <button @click=${() => (this.confirming = undefined)}>Cancel</button>
      </div>
    </div>`;
  }

  #secret(shown: ShownSecret) {
    return html`<div class="secret" role="status">
      <p><strong>${shown.rotated ? 'Copy the new signing secret now.' : 'Copy the signing secret now.'}</strong> It will not be shown again: give it
        to your receiver to check signatures with. Lost, it can only be replaced (Rotate secret).</p>
      <div class="row nowrap">
        <input id="secret" aria-label="Signing secret" readonly .value=${shown.secret} @focus=${(e: FocusEvent) => (e.target as HTMLInputElement).select()} />
        <button @click=${this.#copySecret}>${this.secretCopied ? 'Copied' : 'Copy'}</button>
      </div>
      <div class="actions"><button @click=${() => (this.shownSecret = undefined)}>I have saved it</button></div>
    </div>`;
  }

  /** The add form, or with an endpoint the edit form in its place. */
  #form(endpoint?: WebhookEndpoint) {
    const e = this.errors.fields;
    const choices = eventChoices(this.offered ?? []);
    const eventsDescribedBy = e.events ? 'events-error' : undefined;
    return html`<form aria-label=${endpoint ? `Edit ${endpoint.url}` : 'Add an endpoint'} @submit=${(event: SubmitEvent) => (endpoint ? this.#save(event, endpoint) : this.#create(event))} novalidate>
      ${endpoint ? nothing : html`<h2 id="add-title">Add an endpoint</h2>`}
      ${field({
        id: 'url',
        label: 'Endpoint URL',
        type: 'url',
        value: endpoint?.url,
        required: true,
        maxlength: 2000,
        placeholder: 'https://example.com/hooks/streaming',
        hint: 'An https address on the public internet, where your receiver listens.',
        error: e.url,
      })}
      <fieldset id="events" aria-invalid=${e.events ? 'true' : 'false'} aria-describedby=${ifDefined(eventsDescribedBy)}>
        <legend>Events to send</legend>
        ${this.offered
          ? choices.map(
              (choice) => html`<div class="field check event">
                <input id=${choice.id} name=${choice.id} type="checkbox" .checked=${endpoint?.events.includes(choice.type) ?? false}
                  aria-describedby="${choice.id}-hint" />
                <label for=${choice.id}>${choice.label}</label>
                <p class="muted field-hint" id="${choice.id}-hint">${choice.hint}</p>
              </div>`,
            )
          : html`<p class="muted" role="status">Loading…</p>`}
        ${e.events ? html`<p class="field-error" id="events-error">${e.events}</p>` : nothing}
      </fieldset>
      ${field({ id: 'description', label: 'Description (optional)', value: endpoint?.description ?? '', maxlength: 200, placeholder: 'e.g. My Discord bot', error: e.description })}
      ${formError(this.errors.form)}
      <div class="actions row">
        <button class="primary" type="submit" ?disabled=${this.busy || !this.offered}>${endpoint ? 'Save endpoint' : 'Add endpoint'}</button>
        ${endpoint ? html`<button type="button" @click=${() => ((this.editing = undefined), (this.errors = noErrors))}>Cancel</button>` : nothing}
      </div>
    </form>`;
  }

  static override styles = [
    shared,
    css`
      section {
        max-width: 64rem;
      }
      .intro {
        margin-top: 0;
      }
      code {
        font-family: ui-monospace, monospace;
        font-size: 0.85em;
      }
      .endpoint {
        padding: 0.75rem 0;
        border-top: 1px solid var(--border);
      }
      .url {
        overflow-wrap: anywhere;
      }
      .endpoint.inactive .url {
        opacity: 0.6;
      }
      .detail {
        margin: 0.3rem 0;
        font-size: 0.85rem;
        overflow-wrap: anywhere;
      }
      .bad {
        color: var(--bad);
      }
      .ok {
        color: var(--good);
        font-size: 0.85rem;
      }
      .endpoint > .row {
        margin-top: 0.5rem;
      }
      .event {
        flex-wrap: wrap;
      }
      .event .field-hint {
        flex-basis: 100%;
        margin: 0 0 0 1.5rem;
      }
      .event + .event {
        margin-top: 0.5rem;
      }
      .secret {
        border: 1px solid var(--good);
        border-radius: 8px;
        padding: 0.75rem;
        margin-top: 0.5rem;
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
    `,
  ];
}
