import { css, html, nothing } from 'lit';
import { OVERLAY_PAGES, type OverlayPage } from '@streaming-companion/client';
import { copyText } from '../clipboard.ts';
import { shared } from '../styles.ts';
import { DashboardView } from '../view-element.ts';

export const PAGE_NAMES: Record<OverlayPage, string> = {
  alerts: 'Tip alerts',
  goal: 'Goal bar',
  events: 'Recent tips',
  leaderboard: 'Leaderboard',
  highlights: 'Last & biggest tip',
  animations: 'Animations',
  menu: 'Tip menu',
  all: 'Everything in one source',
};

/**
 * Every OBS browser-source URL with a copy button, a live preview of them all in one, and key
 * rotation. The key is the Widgets view's: a rotation is announced with `key-rotated`.
 */
export class OverlaySources extends DashboardView {
  static override properties = {
    overlayKey: { attribute: false },
    copied: { state: true },
    confirmingRotate: { state: true },
    message: { state: true },
  };

  declare overlayKey: string;
  declare copied: OverlayPage | undefined;
  declare confirmingRotate: boolean;
  declare message: string | undefined;

  constructor() {
    super();
    this.confirmingRotate = false;
  }

  async #copy(page: OverlayPage, url: string): Promise<void> {
    this.copied = (await copyText(url, this.renderRoot.querySelector<HTMLInputElement>(`#url-${page}`))) ? page : undefined;
  }

  async #rotate(): Promise<void> {
    this.message = undefined;
    const rotated = await this.attempt({}, async () => {
      const overlayKey = await this.client.overlay.rotateKey();
      this.dispatchEvent(new CustomEvent('key-rotated', { detail: overlayKey, bubbles: true, composed: true }));
    });
    if (rotated) this.message = 'New key made. Paste the new URLs into OBS; the old ones have stopped working.';
    this.confirmingRotate = false;
    this.copied = undefined;
  }

  override render() {
    const urls = this.client.overlay.pageUrls(this.overlayKey, location.origin);
    return html`<div class="layout">
      <section class="panel" aria-labelledby="urls-title">
        <h2 id="urls-title">Overlays for OBS</h2>
        <p class="muted">In OBS, add a <em>Browser</em> source, paste one of these URLs, and set it to 1920 × 1080. The URLs hold your
          overlay key, so keep them private.</p>
        <ul class="plain urls">
          ${OVERLAY_PAGES.map(
            (page) => html`<li>
              <label for="url-${page}">${PAGE_NAMES[page]}</label>
              <div class="row nowrap">
                <input id="url-${page}" readonly .value=${urls[page]} @focus=${(e: FocusEvent) => (e.target as HTMLInputElement).select()} />
                <button aria-label="Copy ${PAGE_NAMES[page]} URL" @click=${() => this.#copy(page, urls[page])}>
                  ${this.copied === page ? 'Copied' : 'Copy'}
                </button>
              </div>
            </li>`,
          )}
        </ul>
        <div class="rotate">
          <h2>Overlay key</h2>
          ${this.message ? html`<p role="status" class="ok">${this.message}</p>` : nothing}
          ${this.errors.form ? html`<p role="alert" class="form-error">${this.errors.form}</p>` : nothing}
          ${this.confirmingRotate
            ? html`<div role="alert" class="warning">
                <p><strong>Every overlay URL above stops working at once.</strong> Overlays in OBS go blank until you paste the new URLs.</p>
                <div class="row">
                  <button class="danger" ?disabled=${this.busy} @click=${this.#rotate}>Rotate key now</button>
                  <button @click=${() => (this.confirmingRotate = false)}>Cancel</button>
                </div>
              </div>`
            : html`<p class="muted">If a URL leaked (shown on stream, shared by mistake), rotate the key.</p>
                <button class="danger" @click=${() => (this.confirmingRotate = true)}>Rotate key…</button>`}
        </div>
      </section>
      <section class="panel" aria-labelledby="preview-title">
        <h2 id="preview-title">Live preview</h2>
        <p class="muted">Everything in one source, as OBS shows it, on a checkerboard where the overlay is transparent. It is empty until
          a session is live.</p>
        <sc-overlay-preview .src=${urls.all} label="Overlay preview"></sc-overlay-preview>
      </section>
    </div>`;
  }

  static override styles = [
    shared,
    css`
      .urls li + li {
        margin-top: 0.75rem;
      }
      .nowrap {
        flex-wrap: nowrap;
      }
      .nowrap input {
        font-family: ui-monospace, monospace;
        font-size: 0.8rem;
      }
      .rotate {
        margin-top: 1.5rem;
        border-top: 1px solid var(--border);
        padding-top: 1rem;
      }
      .warning {
        margin-top: 0;
      }
      .ok {
        color: var(--good);
      }
    `,
  ];
}
