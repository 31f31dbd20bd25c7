import { css, html, nothing, type PropertyValues } from 'lit';
import { STREAM_PLATFORMS, type ConnectionStatus, type LiveConnection, type StreamSessionDto } from '@streaming-companion/client';
import { fieldMessage, type FieldLabels } from '../errors.ts';
import { field, formError, formValues, resetUnlessEdited } from '../fields.ts';
import { formatCents, formatCount, formatDuration, parseWholeNumber, PLATFORM_NAMES } from '../format.ts';
import { shared } from '../styles.ts';
import { DashboardView } from '../view-element.ts';

const START_LABELS: FieldLabels = { title: { input: 'title', label: 'Title' }, platform: { input: 'platform', label: 'Platform' } };
const VIEWER_LABELS: FieldLabels = { viewerCount: { input: 'viewerCount', label: 'Viewers now' } };

/**
 * The live view: start a session, then everything a creator watches during it (totals,
 * viewers, elapsed time, tips feed, goals, chatbot replies, speech controls, notes) kept current
 * over `/streaming`.
 */
export class LiveView extends DashboardView {
  static override properties = {
    connection: { attribute: false },
    connectionStatus: { attribute: false },
    session: { state: true },
    lastEnded: { state: true },
    confirmingEnd: { state: true },
    now: { state: true },
    reloads: { state: true },
  };

  declare connection: LiveConnection | undefined;
  declare connectionStatus: ConnectionStatus;
  /** undefined while loading, null between sessions. */
  declare session: StreamSessionDto | null | undefined;
  declare lastEnded: StreamSessionDto | undefined;
  declare confirmingEnd: boolean;
  declare now: number;
  /** Bumped after a reconnect, or when broadcasts were missed, so the panels fetch what they may not have heard. */
  declare reloads: number;

  #unsubscribe: Array<() => void> = [];
  #clock: ReturnType<typeof setInterval> | undefined;

  constructor() {
    super();
    this.session = undefined;
    this.confirmingEnd = false;
    this.now = Date.now();
    this.reloads = 0;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#clock = setInterval(() => (this.now = Date.now()), 1000);
    void this.#load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#clock);
    this.#unsubscribe.forEach((stop) => stop());
    this.#unsubscribe = [];
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('connection')) this.#listen();
    if (changed.has('connection') || (changed.has('session') && changed.get('session')?.id !== this.session?.id)) this.#join();
    if (changed.has('connectionStatus') && changed.get('connectionStatus') === 'reconnecting' && this.connectionStatus === 'connected') this.#reload();
  }

  #reload(): void {
    void this.#load();
    this.reloads++;
  }

  async #load(): Promise<void> {
    try {
      this.session = await this.client.sessions.active();
    } catch (error) {
      this.failed(error);
    }
  }

  #join(): void {
    if (this.connection && this.session?.status === 'active') {
      this.connection.joinSession(this.session.id).catch((error: unknown) => this.failed(error));
    }
  }

  #listen(): void {
    this.#unsubscribe.forEach((stop) => stop());
    if (!this.connection) return;
    this.#unsubscribe = [
      // The server tells all of a creator's connections when a session starts or ends, so a
      // session run from another device (or through the API) shows up here too.
      this.connection.on('session_updated', (update) => {
        if (update.sessionId !== this.session?.id) {
          if (update.status === 'active' && !this.session) void this.#load();
        } else if (update.status === 'ended') {
          void this.#endedElsewhere(update.sessionId);
        } else {
          this.session = { ...this.session, ...update };
        }
      }),
      this.connection.on('tip_received', ({ sessionId, sessionTotals }) => {
        if (sessionId === this.session?.id) this.session = { ...this.session, ...sessionTotals };
      }),
      // The session's broadcasts skipped a number: something was missed, so fetch it all again.
      this.connection.onGap((sessionId) => {
        if (sessionId === this.session?.id) this.#reload();
      }),
    ];
  }

  async #endedElsewhere(sessionId: string): Promise<void> {
    this.session = null;
    this.confirmingEnd = false;
    void this.connection?.leaveSession(sessionId).catch(() => {});
    try {
      this.lastEnded = await this.client.sessions.get(sessionId);
    } catch (error) {
      this.failed(error);
    }
  }

  async #start(event: SubmitEvent): Promise<void> {
    const values = formValues(event);
    await this.attempt(START_LABELS, async () => {
      this.session = await this.client.sessions.start({ platform: values.platform as StreamSessionDto['platform'], title: values.title || undefined });
      this.lastEnded = undefined;
    });
  }

  async #end(): Promise<void> {
    const session = this.session;
    if (!session) return;
    await this.attempt({}, async () => {
      const ended = await this.client.sessions.end(session.id);
      await this.connection?.leaveSession(ended.id).catch(() => {});
      this.lastEnded = ended;
      this.session = null;
      this.confirmingEnd = false;
    });
  }

  /**
   * The platform's viewer count typed in (platforms with no connector): the spec's
   * `update_viewers`. Its answer shows the count and peak at once: the session's
   * `session_updated` brings them too, but not to a connection still joining the session. Only
   * the viewer figures are taken from it, as a tip's newer totals may already be here.
   */
  async #updateViewers(event: SubmitEvent): Promise<void> {
    const form = event.target as HTMLFormElement;
    const values = formValues(event);
    const viewerCount = parseWholeNumber(values.viewerCount ?? '');
    if (viewerCount === null) {
      this.errors = { fields: { viewerCount: fieldMessage('Viewers now', 'must be a whole number like 120') } };
      return;
    }
    const { session, connection } = this;
    if (!session || !connection) return;
    const updated = await this.attempt(VIEWER_LABELS, async () => {
      const { sessionId, viewerCount: count, peakViewers } = await connection.updateViewers(session.id, viewerCount);
      if (sessionId === this.session?.id) this.session = { ...this.session, viewerCount: count, peakViewers: Math.max(peakViewers, this.session.peakViewers) };
    });
    if (updated) resetUnlessEdited(form, values);
  }

  override render() {
    if (this.session === undefined) return html`${formError(this.errors.form)}<p class="muted" role="status">Loading…</p>`;
    return this.session ? this.#live(this.session) : this.#startForm();
  }

  #startForm() {
    const ended = this.lastEnded;
    const form = html`<section class="panel start" aria-labelledby="start-title">
      <h1 id="start-title">Start a session</h1>
      <form @submit=${this.#start} novalidate>
        <div class="field">
          <label for="platform">Platform</label>
          <select id="platform" name="platform">
            ${STREAM_PLATFORMS.map((p) => html`<option value=${p}>${PLATFORM_NAMES[p]}</option>`)}
          </select>
        </div>
        ${field({ id: 'title', label: 'Title (optional)', maxlength: 200, error: this.errors.fields.title })}
        ${formError(this.errors.form)}
        <div class="actions"><button class="primary" type="submit" ?disabled=${this.busy}>Start session</button></div>
      </form>
    </section>`;
    if (!ended) return form;
    // Just after a session: how it went, beside the form for the next one.
    return html`<div class="ended">
      <div class="stack">
        <section class="panel" role="status" aria-label="Last session">
          <h2>Session ended</h2>
          <p>
            ${formatCents(ended.totalTipsCents)} from ${formatCount(ended.tipCount, 'tip')} in
            ${formatDuration(ended.durationSeconds ?? 0)}. <a href="#/history/${ended.id}">See it in history</a>
          </p>
        </section>
        ${ended.rehearsal
          ? nothing
          : // Analytics leaves rehearsals out: a rehearsal has no summary.
            html`<sc-session-summary .client=${this.client} .sessionId=${ended.id} .tipCount=${ended.tipCount}></sc-session-summary>`}
      </div>
      ${form}
    </div>`;
  }

  #live(session: StreamSessionDto) {
    const elapsed = (this.now - Date.parse(session.startedAt)) / 1000;
    return html`
      <section class="title-row" aria-label="Session">
        <div class="clip">
          ${session.rehearsal ? html`<span class="badge rehearsal">REHEARSAL</span>` : html`<span class="badge live">LIVE</span>`}
          <span class="muted">${PLATFORM_NAMES[session.platform]}</span>
          <h1 class="clip">${session.title ?? 'Untitled session'}</h1>
        </div>
        <div class="row">
          ${this.confirmingEnd
            ? html`<span role="alert">End this session now?</span>
                <button class="danger" @click=${this.#end} ?disabled=${this.busy}>Yes, end session</button>
                <button @click=${() => (this.confirmingEnd = false)}>Keep streaming</button>`
            : html`<button class="danger" @click=${() => (this.confirmingEnd = true)}>End session</button>`}
        </div>
      </section>
      ${session.rehearsal
        ? html`<p class="rehearsal-note" role="note">This is a rehearsal: its tips play on your overlays but count only here, never in your
            real totals or analytics. Follow or stop it on the <a href="#/rehearsal">Rehearsal</a> page.</p>`
        : nothing}
      ${formError(this.errors.form)}
      <section class="stats" aria-label="Session totals">
        ${stat('Total tips', formatCents(session.totalTipsCents))} ${stat('Tips', String(session.tipCount))}
        ${stat('Viewers', String(session.viewerCount))} ${stat('Peak viewers', String(session.peakViewers))}
        ${stat('Elapsed', formatDuration(elapsed))}
      </section>
      <form class="viewers" aria-label="Viewer count" @submit=${this.#updateViewers} novalidate>
        ${field({
          id: 'viewerCount',
          label: 'Viewers now',
          inputmode: 'numeric',
          placeholder: String(session.viewerCount),
          hint: 'For a platform with no connector: type what it shows.',
          error: this.errors.fields.viewerCount,
        })}
        <button type="submit" ?disabled=${this.busy || !this.connection}>Update viewers</button>
      </form>
      <div class="grid">
        <div class="stack">
          <sc-tips-panel .client=${this.client} .connection=${this.connection} .sessionId=${session.id} .reloads=${this.reloads}></sc-tips-panel>
          <sc-chat-panel .client=${this.client} .connection=${this.connection} .sessionId=${session.id}></sc-chat-panel>
        </div>
        <div class="stack">
          <sc-goals-panel .client=${this.client} .connection=${this.connection} .sessionId=${session.id} .reloads=${this.reloads}></sc-goals-panel>
          <sc-tts-controls .client=${this.client} .connection=${this.connection} .sessionId=${session.id} .reloads=${this.reloads}></sc-tts-controls>
          <sc-notes-panel .client=${this.client} .sessionId=${session.id}></sc-notes-panel>
        </div>
      </div>
    `;
  }

  static override styles = [
    shared,
    css`
      .start {
        max-width: 32rem;
      }
      .ended {
        display: grid;
        grid-template-columns: minmax(0, 3fr) minmax(0, 2fr);
        gap: 1rem;
        align-items: start;
      }
      .title-row {
        display: flex;
        justify-content: space-between;
        align-items: center;
        gap: 1rem;
        flex-wrap: wrap;
        margin-bottom: 1rem;
      }
      .title-row h1 {
        margin: 0.25rem 0 0;
        font-size: 1.4rem;
      }
      .stats {
        display: grid;
        grid-template-columns: repeat(5, minmax(0, 1fr));
        gap: 0.75rem;
        margin-bottom: 1rem;
      }
      .viewers {
        display: flex;
        align-items: start;
        gap: 0.5rem;
        margin: -0.25rem 0 1rem;
        max-width: 32rem;
      }
      .viewers .field {
        flex: 1;
      }
      .viewers button {
        margin-top: 1.35rem;
      }
      .stat {
        background: var(--panel);
        border: 1px solid var(--border);
        border-radius: var(--radius);
        padding: 0.75rem 1rem;
      }
      .stat span {
        display: block;
        color: var(--muted);
        font-size: 0.8rem;
      }
      .stat output {
        display: block;
        font-size: 1.5rem;
        font-weight: 700;
        font-variant-numeric: tabular-nums;
      }
      .grid {
        display: grid;
        grid-template-columns: minmax(0, 3fr) minmax(0, 2fr);
        gap: 1rem;
        align-items: start;
      }
      a {
        color: var(--accent);
      }
      .rehearsal-note {
        border: 1px solid var(--warn);
        border-radius: 8px;
        padding: 0.5rem 0.75rem;
        margin: 0 0 1rem;
      }
      @media (max-width: 900px) {
        .stats {
          grid-template-columns: repeat(2, minmax(0, 1fr));
        }
        .ended,
        .grid {
          grid-template-columns: minmax(0, 1fr);
        }
      }
    `,
  ];
}

/** A figure with its name; an `output` is a live region, so screen readers hear it change. */
function stat(label: string, value: string) {
  const id = `stat-${label.toLowerCase().replace(/\W+/g, '-')}`;
  return html`<div class="stat"><span id=${id}>${label}</span><output aria-labelledby=${id}>${value}</output></div>`;
}
