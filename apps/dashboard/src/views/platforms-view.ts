import { css, html, nothing, type PropertyValues } from 'lit';
import type { ConnectionStatus, ConnectorStatus, LiveConnection } from '@streaming-companion/client';
import { CONNECTOR_LABELS, describeConnectorState, errorsText, lastEventText, readConnectorForm, skippedRows } from '../connector-form.ts';
import { noErrors } from '../errors.ts';
import { checkboxField, field, formError, formValues } from '../fields.ts';
import { formatDateTime } from '../format.ts';
import { shared } from '../styles.ts';
import { DashboardView } from '../view-element.ts';

/**
 * Where tips come from: the Chaturbate connection (set up, options, disconnect after asking,
 * and what the connector is doing, live from `connector_status`), and how to bring tips in
 * from platforms with no events feed.
 */
export class PlatformsView extends DashboardView {
  static override properties = {
    connection: { attribute: false },
    connectionStatus: { attribute: false },
    chaturbate: { state: true },
    confirmingDisconnect: { state: true },
    saved: { state: true },
    now: { state: true },
  };

  declare connection: LiveConnection | undefined;
  declare connectionStatus: ConnectionStatus;
  /** undefined while loading. */
  declare chaturbate: ConnectorStatus | undefined;
  declare confirmingDisconnect: boolean;
  /** What the last save did, until the next change. */
  declare saved: string | undefined;
  /** Moves on every second, so "last event" stays true while nothing happens. */
  declare now: number;

  #stop: (() => void) | undefined;
  #clock: ReturnType<typeof setInterval> | undefined;
  /** Only the latest fetch may set the status: an older answer arriving late would be stale. */
  #loads = 0;

  constructor() {
    super();
    this.confirmingDisconnect = false;
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
      this.#stop = this.connection?.on('connector_status', (status) => {
        // A status pushed after a newer fetch started still wins: it is the latest change.
        this.#loads++;
        this.chaturbate = status;
      });
    }
    // Whatever changed while the connection was down was not heard: fetch it.
    if (changed.has('connectionStatus') && changed.get('connectionStatus') === 'reconnecting' && this.connectionStatus === 'connected') void this.#load();
  }

  async #load(): Promise<void> {
    const load = ++this.#loads;
    try {
      const status = await this.client.connectors.chaturbate.status();
      if (load === this.#loads) this.chaturbate = status;
    } catch (error) {
      this.failed(error);
    }
  }

  async #save(event: SubmitEvent): Promise<void> {
    const form = event.target as HTMLFormElement;
    const read = readConnectorForm(formValues(event));
    this.saved = undefined;
    if (!read.ok) {
      this.errors = { fields: read.fields };
      return;
    }
    const done = await this.attempt(CONNECTOR_LABELS, async () => {
      this.#loads++;
      this.chaturbate = await this.client.connectors.chaturbate.connect(read.value);
    });
    if (!done) return;
    // The URL is a password: it leaves the page once the server has it, and is never shown again.
    form.querySelector<HTMLInputElement>('#eventsUrl')!.value = '';
    this.saved = 'Saved. Your Events API URL is stored encrypted and never shown again.';
  }

  async #disconnect(): Promise<void> {
    const done = await this.attempt({}, async () => {
      await this.client.connectors.chaturbate.disconnect();
      await this.#load();
    });
    if (done) {
      this.confirmingDisconnect = false;
      this.saved = undefined;
    }
  }

  override render() {
    return html`<div class="layout">
      <section class="panel" aria-labelledby="chaturbate-title">
        <h1 id="chaturbate-title">Chaturbate</h1>
        <p class="muted">Connect your room once: while you stream, its tips, chat and viewer count arrive here by themselves.</p>
        <ol class="steps">
          <li>On Chaturbate, open <strong>Broadcast Yourself</strong>, then <strong>Bots &amp; Apps</strong> → <strong>Events API</strong>.</li>
          <li>Create a token (tips at least; chat and viewers too if you want them) and copy the URL it shows, like
            <code>https://eventsapi.chaturbate.com/events/yourname/…/</code>.</li>
          <li>Paste it below and save. <strong>Treat it like a password</strong>: anyone with it can read your room's events. It is
            stored encrypted and never shown again.</li>
        </ol>
        ${this.#form()}
      </section>
      <div class="stack">
        ${this.#status()}
        <section class="panel" aria-labelledby="other-title">
          <h2 id="other-title">Stripchat and other platforms</h2>
          <p class="muted">They offer no public events feed to follow, so tips come in one of three ways: record them by hand on the
            <a href="#/live">Live</a> page, send them from a bot with the SDK client (<code>@streaming-companion/client</code>, with an
            <a href="#/tokens">API token</a>), or over the live socket (<code>add_tip</code>). The project README's “Other platforms”
            section shows each.</p>
        </section>
      </div>
    </div>`;
  }

  #form() {
    const status = this.chaturbate;
    const e = this.errors.fields;
    return html`<form aria-label="Chaturbate connection" @submit=${this.#save} novalidate>
      ${field({
        id: 'eventsUrl',
        label: 'Events API URL',
        type: 'password',
        autocomplete: 'off',
        required: true,
        placeholder: status?.connected ? 'Saved: paste it again to change it' : 'https://eventsapi.chaturbate.com/events/…',
        hint: status?.connected ? 'Saving again (to change an option, or after you made a new token) needs the URL again.' : undefined,
        error: e.eventsUrl,
      })}
      ${checkboxField({ id: 'autoSession', label: 'Start and end sessions with my broadcast', checked: status?.autoSession ?? true })}
      ${field({
        id: 'centsPerToken',
        label: 'Cents per token',
        inputmode: 'numeric',
        value: String(status?.centsPerToken ?? 5),
        hint: 'What one token is worth to you, in cents: tips are recorded in money at this rate.',
        error: e.centsPerToken,
      })}
      ${formError(this.errors.form)} ${this.saved ? html`<p class="ok" role="status">${this.saved}</p>` : nothing}
      <div class="actions row">
        <button class="primary" type="submit" ?disabled=${this.busy || !status}>Save</button>
        ${status?.connected && !this.confirmingDisconnect
          ? html`<button type="button" class="danger" @click=${() => ((this.confirmingDisconnect = true), (this.errors = noErrors))}>Disconnect…</button>`
          : nothing}
      </div>
      ${this.confirmingDisconnect
        ? html`<div class="warning" role="alert">
            <p>Disconnect Chaturbate? Tips stop arriving by themselves and the URL is forgotten; to reconnect you paste it again.</p>
            <div class="row">
              <button type="button" class="danger" ?disabled=${this.busy} @click=${this.#disconnect}>Yes, disconnect</button>
              <button type="button" @click=${() => (this.confirmingDisconnect = false)}>Keep it</button>
            </div>
          </div>`
        : nothing}
    </form>`;
  }

  #status() {
    const status = this.chaturbate;
    const body = () => {
      // A failed load says so in the form.
      if (!status) return this.errors.form ? nothing : html`<p class="muted" role="status">Loading…</p>`;
      const state = describeConnectorState(status);
      const skipped = skippedRows(status.skipped);
      return html`<div class="state ${state.tone}" role=${state.tone === 'bad' ? 'alert' : 'status'} aria-label="Chaturbate state">
          <strong>${state.label}</strong>
          <span>${state.detail}</span>
        </div>
        ${status.connected
          ? html`<dl class="figures">
                <div><dt>Account</dt><dd class="clip">${status.username ?? '—'}</dd></div>
                <div><dt>Token</dt><dd>${status.tokenHint ?? '—'}</dd></div>
                <div>
                  <dt>Last event</dt>
                  <dd title=${status.lastEventAt ? formatDateTime(status.lastEventAt) : ''}>${lastEventText(status.lastEventAt, this.now)}</dd>
                </div>
                <div><dt>Last event ID</dt><dd class="clip" title=${status.lastEventId ?? ''}>${status.lastEventId ?? '—'}</dd></div>
                <div><dt>Events seen</dt><dd>${status.eventsSeen}</dd></div>
                <div><dt>Tips recorded</dt><dd>${status.tipsRecorded}</dd></div>
                <div><dt>Errors</dt><dd>${errorsText(status.errors)}</dd></div>
              </dl>
              ${status.lastError ? html`<p class="muted last-error">Last error: ${status.lastError}</p>` : nothing}
              ${skipped.length
                ? html`<h3>Skipped</h3>
                    <ul class="plain skipped" aria-label="Skipped events">
                      ${skipped.map((row) => html`<li><span class="clip">${row.name}</span><span class="num">${row.count}</span></li>`)}
                    </ul>`
                : nothing}`
          : nothing}`;
    };
    return html`<section class="panel" aria-labelledby="status-title">
      <h2 id="status-title">Connection</h2>
      ${body()}
    </section>`;
  }

  static override styles = [
    shared,
    css`
      .steps {
        padding-left: 1.25rem;
        margin: 0 0 1rem;
      }
      .steps li + li {
        margin-top: 0.4rem;
      }
      code {
        font-family: ui-monospace, monospace;
        font-size: 0.85em;
        overflow-wrap: anywhere;
      }
      a {
        color: var(--accent);
      }
      .ok {
        color: var(--good);
      }
      .warning {
        margin-top: 0.75rem;
      }
      .state {
        display: flex;
        flex-direction: column;
        gap: 0.2rem;
        border: 1px solid var(--border);
        border-left-width: 4px;
        border-radius: 8px;
        padding: 0.6rem 0.75rem;
        margin-bottom: 1rem;
        overflow-wrap: anywhere;
      }
      .state.good {
        border-left-color: var(--good);
      }
      .state.good strong {
        color: var(--good);
      }
      .state.warn {
        border-left-color: var(--warn);
      }
      .state.warn strong {
        color: var(--warn);
      }
      .state.bad {
        border-color: var(--bad);
        color: var(--bad);
      }
      .last-error {
        font-size: 0.85rem;
        overflow-wrap: anywhere;
      }
      h3 {
        margin-top: 1rem;
      }
      .skipped li {
        display: flex;
        justify-content: space-between;
        gap: 1rem;
        padding: 0.35rem 0;
        border-top: 1px solid var(--border);
      }
    `,
  ];
}
