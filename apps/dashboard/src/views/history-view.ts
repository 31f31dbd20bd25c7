import { css, html } from 'lit';
import type { StreamSessionDto } from '@streaming-companion/client';
import { formatCents, formatDateTime, formatDuration, PLATFORM_NAMES } from '../format.ts';
import { shared } from '../styles.ts';
import { DashboardView } from '../view-element.ts';

const PAGE_SIZE = 20;

/** Past sessions, newest first, with their totals; each opens its notes and tips. */
export class HistoryView extends DashboardView {
  static override properties = { sessions: { state: true }, total: { state: true }, error: { state: true } };

  declare sessions: StreamSessionDto[] | undefined;
  declare total: number;
  declare error: string | undefined;

  constructor() {
    super();
    this.total = 0;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#loadPage(1);
  }

  async #loadPage(page: number): Promise<void> {
    try {
      const result = await this.client.sessions.list({ page, pageSize: PAGE_SIZE });
      this.sessions = page === 1 ? result.items : [...(this.sessions ?? []), ...result.items];
      this.total = result.total;
      this.error = undefined;
    } catch (error) {
      this.error = this.explain(error);
    }
  }

  override render() {
    if (this.error) return html`<p class="form-error" role="alert">${this.error}</p>`;
    if (!this.sessions) return html`<p class="muted" role="status">Loading…</p>`;
    const loaded = this.sessions.length;
    return html`<section class="panel" aria-labelledby="history-title">
      <h1 id="history-title">History</h1>
      ${loaded
        ? html`<div class="scroll"><table>
            <caption class="visually-hidden">Past sessions</caption>
            <thead><tr><th scope="col">Started</th><th scope="col">Session</th><th scope="col">Duration</th>
              <th scope="col" class="num">Tips</th><th scope="col" class="num">Total</th></tr></thead>
            <tbody>
              ${this.sessions.map(
                (s) => html`<tr>
                  <td>${formatDateTime(s.startedAt)}</td>
                  <td class="clip"><a href="#/history/${s.id}">${s.title ?? 'Untitled session'}</a>
                    <span class="muted">· ${PLATFORM_NAMES[s.platform]}</span> ${s.rehearsal ? html`<span class="badge rehearsal">Rehearsal</span>` : ''}
                    ${s.status === 'active' ? html`<span class="badge live">LIVE</span>` : ''}</td>
                  <td>${s.durationSeconds === null ? '—' : formatDuration(s.durationSeconds)}</td>
                  <td class="num">${s.tipCount}</td>
                  <td class="num">${formatCents(s.totalTipsCents)}</td>
                </tr>`,
              )}
            </tbody>
          </table></div>
          ${loaded < this.total
            ? html`<div class="actions"><button @click=${() => this.#loadPage(Math.floor(loaded / PAGE_SIZE) + 1)}>Show older sessions</button></div>`
            : ''}`
        : html`<p class="empty">No sessions yet. Start one from the Live page.</p>`}
    </section>`;
  }

  static override styles = [
    shared,
    css`
      td.clip {
        max-width: 22rem;
      }
      a {
        color: var(--text);
      }
    `,
  ];
}
