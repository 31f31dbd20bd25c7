import { css, html, nothing, type PropertyValues } from 'lit';
import type { RecordedTip, SessionNoteDto, StreamSessionDto, TipDto } from '@streaming-companion/client';
import { formatCents, formatDateTime, formatDuration, formatTime, PLATFORM_NAMES } from '../format.ts';
import { shared } from '../styles.ts';
import { DashboardView } from '../view-element.ts';
import { voidedTipStyles, voidNote } from './tip-void-control.ts';

const TIPS_SHOWN = 200;

/** One past session: its totals, duration, its summary once it has ended (best minute, top tippers, goals, items sold), notes and tips. */
export class SessionDetail extends DashboardView {
  static override properties = {
    sessionId: { attribute: false },
    session: { state: true },
    notes: { state: true },
    tips: { state: true },
    error: { state: true },
  };

  declare sessionId: string;
  declare session: StreamSessionDto | undefined;
  declare notes: SessionNoteDto[];
  declare tips: { items: TipDto[]; total: number };
  declare error: string | undefined;

  constructor() {
    super();
    this.notes = [];
    this.tips = { items: [], total: 0 };
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('sessionId')) void this.#load();
  }

  async #load(): Promise<void> {
    try {
      const [session, notes, tips] = await Promise.all([
        this.client.sessions.get(this.sessionId),
        this.client.sessions.notes(this.sessionId),
        this.client.tips.list({ sessionId: this.sessionId, pageSize: TIPS_SHOWN }),
      ]);
      Object.assign(this, { session, notes, tips, error: undefined });
    } catch (error) {
      this.error = this.explain(error);
    }
  }

  /** A tip voided here: it stays listed, marked, and the figures (and the summary, which follows the tip count) are corrected. */
  #voided(event: CustomEvent<RecordedTip>): void {
    const { sessionTotals, ...voided } = event.detail;
    this.tips = { ...this.tips, items: this.tips.items.map((t) => (t.id === voided.id ? voided : t)) };
    if (this.session) this.session = { ...this.session, ...sessionTotals };
  }

  override render() {
    const back = html`<p><a href="#/history">← All sessions</a></p>`;
    if (this.error) return html`${back}<p class="form-error" role="alert">${this.error}</p>`;
    const s = this.session;
    if (!s) return html`${back}<p class="muted" role="status">Loading…</p>`;
    return html`${back}
      <section class="panel" aria-labelledby="session-title">
        <h1 id="session-title">${s.title ?? 'Untitled session'}</h1>
        <p class="muted">
          ${s.rehearsal ? html`<span class="badge rehearsal">Rehearsal</span>` : nothing}
          ${PLATFORM_NAMES[s.platform]} · ${formatDateTime(s.startedAt)}${s.endedAt ? ` – ${formatTime(s.endedAt)}` : ' · live now'}
        </p>
        ${s.rehearsal ? html`<p class="muted">A rehearsal: its tips played on your overlays but count only here, never in your real totals or analytics.</p>` : nothing}
        <dl class="figures">
          <div><dt>Total tips</dt><dd>${formatCents(s.totalTipsCents)}</dd></div>
          <div><dt>Tips</dt><dd>${s.tipCount}</dd></div>
          <div><dt>Tippers</dt><dd>${s.tipperCount}</dd></div>
          <div><dt>Biggest tip</dt><dd>${formatCents(s.biggestTipCents)}</dd></div>
          <div><dt>Duration</dt><dd>${s.durationSeconds === null ? '—' : formatDuration(s.durationSeconds)}</dd></div>
          <div><dt>Peak viewers</dt><dd>${s.peakViewers}</dd></div>
        </dl>
      </section>
      ${s.status === 'ended' && !s.rehearsal ? html`<sc-session-summary .client=${this.client} .sessionId=${s.id} .tipCount=${s.tipCount}></sc-session-summary>` : nothing}
      <div class="columns">
        <section class="panel" aria-labelledby="tips-title">
          <h2 id="tips-title">Tips</h2>
          ${this.tips.items.length
            ? html`<ol class="plain" aria-label="Tips of this session" @tip-voided=${this.#voided}>
                ${this.tips.items.map(
                  (t) => html`<li class=${t.voidedAt ? 'voided' : ''}>
                    <span class="muted">${formatTime(t.createdAt)}</span>
                    <strong class="tipper">${t.isAnonymous || !t.tipperName ? 'Anonymous' : t.tipperName}</strong>
                    <span class="amount">${formatCents(t.amountCents)}</span>
                    ${t.message ? html`<div class="message">${t.message}</div>` : ''}
                    ${t.voidedAt ? voidNote(t) : html`<sc-tip-void .client=${this.client} .tip=${t}></sc-tip-void>`}
                  </li>`,
                )}
              </ol>
              ${this.tips.total > this.tips.items.length ? html`<p class="muted">Showing the latest ${this.tips.items.length} of ${this.tips.total}.</p>` : ''}`
            : html`<p class="empty">No tips in this session.</p>`}
        </section>
        <section class="panel" aria-labelledby="notes-title">
          <h2 id="notes-title">Notes</h2>
          ${this.notes.length
            ? html`<ol class="plain" aria-label="Notes of this session">
                ${this.notes.map((n) => html`<li><span class="muted">${formatTime(n.createdAt)}</span> ${n.text}</li>`)}
              </ol>`
            : html`<p class="empty">No notes.</p>`}
        </section>
      </div>`;
  }

  static override styles = [
    shared,
    voidedTipStyles,
    css`
      a {
        color: var(--accent);
      }
      sc-session-summary {
        margin-top: 1rem;
      }
      .columns {
        display: grid;
        grid-template-columns: minmax(0, 3fr) minmax(0, 2fr);
        gap: 1rem;
        margin-top: 1rem;
        align-items: start;
      }
      li {
        padding: 0.45rem 0;
        border-top: 1px solid var(--border);
        overflow-wrap: anywhere;
      }
      .amount {
        color: var(--good);
        font-weight: 700;
        float: right;
      }
      sc-tip-void {
        margin-top: 0.3rem;
      }
      @media (max-width: 900px) {
        .columns {
          grid-template-columns: minmax(0, 1fr);
        }
      }
    `,
  ];
}
