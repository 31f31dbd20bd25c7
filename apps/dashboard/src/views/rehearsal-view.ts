import { css, html, type PropertyValues } from 'lit';
import { type ConnectionStatus, type LiveConnection, type RehearsalDto, type StreamSessionDto } from '@streaming-companion/client';
import { noErrors } from '../errors.ts';
import { field, formError, formValues, selectField } from '../fields.ts';
import { formatDateTime, formatTime } from '../format.ts';
import { LiveSessionController } from '../live-session.ts';
import {
  readRehearsalForm,
  REHEARSAL_LABELS,
  REHEARSAL_STATUS_NAMES,
  REHEARSAL_WORDS,
  rehearsalProgress,
  replayableSessions,
  SPEED_OPTIONS,
  type RehearsalSource,
} from '../rehearsal-form.ts';
import { shared } from '../styles.ts';
import { DashboardView } from '../view-element.ts';

const SOURCE_OPTIONS: Array<{ value: RehearsalSource; label: string }> = [
  { value: 'session', label: 'Replay one of my past sessions' },
  { value: 'simulate', label: 'Simulated tips' },
];

/**
 * Rehearsals: play a past session's tips, or simulated ones, into the overlays at 1× or 5×
 * before going live; follow the one playing (its session's `tip_received`, and its end through
 * `session_updated`), stop it, and list the past ones.
 */
export class RehearsalView extends DashboardView {
  static override properties = {
    connection: { attribute: false },
    connectionStatus: { attribute: false },
    sessions: { state: true },
    rehearsals: { state: true },
    source: { state: true },
  };

  declare connection: LiveConnection | undefined;
  declare connectionStatus: ConnectionStatus;
  /** The creator's ended sessions (undefined while loading), to replay one. */
  declare sessions: StreamSessionDto[] | undefined;
  /** Newest first; undefined while loading. */
  declare rehearsals: RehearsalDto[] | undefined;
  /** Chosen by the creator; until then, replay when there is something to replay. */
  declare source: RehearsalSource | undefined;

  /** The creator's live session: a rehearsal's session is one, and following it brings its tips here. */
  readonly #live = new LiveSessionController(this, (error) => this.failed(error));
  #stop: Array<() => void> = [];
  #loads = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#loadSessions();
    void this.#loadRehearsals();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stop.forEach((stop) => stop());
    this.#stop = [];
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('connection')) this.#listen();
    if (changed.has('connectionStatus') && changed.get('connectionStatus') === 'reconnecting' && this.connectionStatus === 'connected') {
      void this.#live.reload();
      void this.#loadRehearsals();
    }
  }

  #listen(): void {
    this.#stop.forEach((stop) => stop());
    this.#live.follow(this.connection);
    const connection = this.connection;
    const playing = (sessionId: string) => this.rehearsals?.find((r) => r.sessionId === sessionId && r.status === 'playing');
    this.#stop = connection
      ? [
          // Each tip played is a tip of the rehearsal's session: its count is how far playback got.
          connection.on('tip_received', ({ sessionId, sessionTotals }) => {
            const rehearsal = playing(sessionId);
            if (rehearsal && sessionTotals.tipCount > rehearsal.played) this.#replace({ ...rehearsal, played: Math.min(sessionTotals.tipCount, rehearsal.tipCount) });
          }),
          connection.on('session_updated', (update) => {
            if (update.status !== 'ended') return;
            // A session ended: one more to replay, perhaps; and if it was a rehearsal's, it finished or was stopped (here or anywhere else).
            void this.#loadSessions();
            if (playing(update.sessionId)) void this.#loadRehearsals();
          }),
          connection.onGap((sessionId) => playing(sessionId) && void this.#loadRehearsals()),
        ]
      : [];
  }

  async #loadSessions(): Promise<void> {
    try {
      this.sessions = (await this.client.sessions.list({ status: 'ended', pageSize: 100 })).items;
    } catch (error) {
      this.failed(error);
    }
  }

  async #loadRehearsals(): Promise<void> {
    const load = ++this.#loads;
    try {
      const rehearsals = await this.client.rehearsals.list();
      if (load === this.#loads) this.rehearsals = rehearsals;
    } catch (error) {
      this.failed(error);
    }
  }

  #replace(rehearsal: RehearsalDto): void {
    const others = (this.rehearsals ?? []).filter((r) => r.id !== rehearsal.id);
    this.rehearsals = [rehearsal, ...others].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  async #start(event: SubmitEvent): Promise<void> {
    const read = readRehearsalForm({ ...formValues(event), source: this.#source() });
    if (!read.ok) {
      this.errors = { fields: read.fields };
      return;
    }
    const started = await this.attempt(
      REHEARSAL_LABELS,
      async () => {
        this.#loads++;
        this.#replace(await this.client.rehearsals.start(read.value));
      },
      REHEARSAL_WORDS,
    );
    if (started) {
      // The live session is now the rehearsal's: following it brings its tips here.
      void this.#live.reload();
      return;
    }
    // Refused because a rehearsal started elsewhere is playing? Then it is shown, not the refusal.
    await this.#loadRehearsals();
    if (this.rehearsals?.some((r) => r.status === 'playing')) this.errors = noErrors;
  }

  async #stopRehearsal(rehearsal: RehearsalDto): Promise<void> {
    await this.attempt({}, async () => {
      this.#loads++;
      this.#replace(await this.client.rehearsals.stop(rehearsal.id));
    });
  }

  /** What the form plays from: the creator's choice, or a replay when any session has tips. */
  #source(): RehearsalSource {
    return this.source ?? (replayableSessions(this.sessions ?? []).length ? 'session' : 'simulate');
  }

  override render() {
    const playing = this.rehearsals?.find((r) => r.status === 'playing');
    return html`<div class="layout">
      <section class="panel" aria-labelledby="rehearsal-title">
        <h1 id="rehearsal-title">Rehearsal</h1>
        <p class="muted">Try your alerts, goals, animations and menu before going live: rehearsal tips play on your OBS overlays but never
          count in your totals or analytics.</p>
        ${playing ? this.#progress(playing) : this.#form()}
      </section>
      <section class="panel" aria-labelledby="past-title">
        <h2 id="past-title">Past rehearsals</h2>
        ${this.#list()}
      </section>
    </div>`;
  }

  #form() {
    // Which source the form starts on depends on the sessions: wait for them (or say why they did not come).
    if (!this.sessions) return this.errors.form ? formError(this.errors.form) : html`<p class="muted" role="status">Loading…</p>`;
    const e = this.errors.fields;
    const source = this.#source();
    const options = replayableSessions(this.sessions);
    return html`<form aria-label="Start a rehearsal" @submit=${this.#start} novalidate>
      ${selectField({ id: 'source', label: 'Tips to play', options: SOURCE_OPTIONS, value: source, onChange: (value) => (this.source = value as RehearsalSource) })}
      ${source === 'session'
        ? options.length
          ? selectField({ id: 'fromSessionId', label: 'Session to replay', options, error: e.fromSessionId, hint: 'Its tips play with their original spacing.' })
          : html`<p class="empty">No past session with tips yet: use simulated tips.</p>`
        : html`<div class="pair">
              ${field({ id: 'tipCount', label: 'Number of tips', inputmode: 'numeric', value: '20', error: e.tipCount })}
              ${field({ id: 'durationSeconds', label: 'Duration (seconds)', inputmode: 'numeric', value: '60', error: e.durationSeconds })}
            </div>
            <div class="pair">
              ${field({ id: 'minTokens', label: 'Smallest tip in tokens (optional)', inputmode: 'numeric', error: e.minTokens })}
              ${field({ id: 'maxTokens', label: 'Biggest tip in tokens (optional)', inputmode: 'numeric', error: e.maxTokens })}
            </div>`}
      ${selectField({ id: 'speed', label: 'Speed', options: SPEED_OPTIONS, value: '1', error: e.speed })}
      ${formError(this.errors.form)}
      <div class="actions"><button class="primary" type="submit" ?disabled=${this.busy || (source === 'session' && !options.length)}>Start rehearsal</button></div>
    </form>`;
  }

  #progress(rehearsal: RehearsalDto) {
    const progress = rehearsalProgress(rehearsal);
    return html`<div class="playing" role="group" aria-label="Rehearsal playing">
      <div class="line">
        <span class="badge rehearsal">REHEARSAL</span>
        <span class="muted">${rehearsal.speed}× · ends about ${formatTime(rehearsal.endsAt)}</span>
      </div>
      <div class="bar" role="progressbar" aria-label="Rehearsal progress" aria-valuemin="0" aria-valuemax="100" aria-valuenow=${progress.percent}>
        <!-- Through the CSSOM, not a style attribute, which the CSP refuses. -->
        <div .style=${`width: ${progress.percent}%`}></div>
      </div>
      <p role="status" aria-label="Rehearsal status">${REHEARSAL_STATUS_NAMES[rehearsal.status]}: ${progress.text}</p>
      <p class="muted">Watch it in OBS, or in the <a href="#/overlays">overlay preview</a>.</p>
      ${formError(this.errors.form)}
      <button class="danger" ?disabled=${this.busy} @click=${() => this.#stopRehearsal(rehearsal)}>Stop rehearsal</button>
    </div>`;
  }

  #list() {
    if (!this.rehearsals) return html`<p class="muted" role="status">Loading…</p>`;
    if (!this.rehearsals.length) return html`<p class="empty">No rehearsals yet.</p>`;
    const titles = new Map(this.sessions?.map((s) => [s.id, s.title ?? 'Untitled session']));
    return html`<ul class="plain" aria-label="Rehearsals">
      ${this.rehearsals.map((r) => {
        const source = r.sourceSessionId ? `Replay of ${titles.get(r.sourceSessionId) ?? 'a past session'}` : 'Simulated tips';
        return html`<li class="past">
          <div class="line">
            <a class="clip" href="#/history/${r.sessionId}">${source}</a>
            <span class="badge ${r.status === 'finished' ? 'good' : ''}">${REHEARSAL_STATUS_NAMES[r.status]}</span>
          </div>
          <div class="muted meta">${formatDateTime(r.startedAt)} · ${r.speed}× · ${rehearsalProgress(r).text}</div>
        </li>`;
      })}
    </ul>`;
  }

  static override styles = [
    shared,
    css`
      .layout {
        --layout-columns: minmax(0, 3fr) minmax(0, 2fr);
      }
      .pair .field + .field {
        margin-top: 0;
      }
      .line {
        align-items: center;
      }
      .bar {
        height: 0.6rem;
        border-radius: 999px;
        background: var(--panel-2);
        margin: 0.75rem 0 0.4rem;
        overflow: hidden;
      }
      .bar div {
        height: 100%;
        background: linear-gradient(90deg, var(--accent), #ec4899);
        transition: width 0.3s ease;
      }
      a {
        color: var(--accent);
      }
      .past {
        padding: 0.6rem 0;
        border-top: 1px solid var(--border);
      }
      .past a {
        color: var(--text);
      }
      .meta {
        font-size: 0.8rem;
        margin-top: 0.2rem;
      }
    `,
  ];
}
