import { css, html, nothing } from 'lit';
import { OVERLAY_PAGES, type OverlayPage } from '@streaming-companion/client';
import { copyText } from '../clipboard.ts';
import { shared } from '../styles.ts';
import { DashboardView } from '../view-element.ts';

const PAGE_NAMES: Record<OverlayPage, string> = {
  alerts: 'Tip alerts',
  goal: 'Goal bar',
  events: 'Recent tips',
  animations: 'Animations',
  menu: 'Tip menu',
  all: 'Everything in one source',
};

/** The OBS browser-source URLs with copy buttons, a live preview, and key rotation. */
export class OverlaysView extends DashboardView {
  static override properties = {
    overlayKey: { state: true },
    copied: { state: true },
    confirmingRotate: { state: true },
    message: { state: true },
    error: { state: true },
  };

  declare overlayKey: string | undefined;
  declare copied: OverlayPage | undefined;
  declare confirmingRotate: boolean;
  declare message: string | undefined;
  declare error: string | undefined;

  #resize: ResizeObserver | undefined;

  constructor() {
    super();
    this.confirmingRotate = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.client.overlay.key().then(
      (key) => (this.overlayKey = key),
      (error: unknown) => (this.error = this.explain(error)),
    );
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#resize?.disconnect();
  }

  protected override updated(): void {
    // The preview is a 1920×1080 page scaled down to the panel's width.
    const frame = this.renderRoot.querySelector<HTMLElement>('.preview');
    if (frame && !this.#resize) {
      this.#resize = new ResizeObserver(([entry]) => frame.style.setProperty('--scale', String(entry!.contentRect.width / 1920)));
      this.#resize.observe(frame);
    }
  }

  async #copy(page: OverlayPage, url: string): Promise<void> {
    this.copied = (await copyText(url, this.renderRoot.querySelector<HTMLInputElement>(`#url-${page}`))) ? page : undefined;
  }

  async #rotate(): Promise<void> {
    try {
      this.overlayKey = await this.client.overlay.rotateKey();
      this.message = 'New key made. Paste the new URLs into OBS; the old ones have stopped working.';
      this.error = undefined;
    } catch (error) {
      this.error = this.explain(error);
    }
    this.confirmingRotate = false;
    this.copied = undefined;
  }

  override render() {
    if (this.error && !this.overlayKey) return html`<p class="form-error" role="alert">${this.error}</p>`;
    if (!this.overlayKey) return html`<p class="muted" role="status">Loading…</p>`;
    const urls = this.client.overlay.pageUrls(this.overlayKey, location.origin);
    return html`<div class="layout">
      <section class="panel" aria-labelledby="urls-title">
        <h1 id="urls-title">Overlays for OBS</h1>
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
          ${this.error ? html`<p role="alert" class="form-error">${this.error}</p>` : nothing}
          ${this.confirmingRotate
            ? html`<div role="alert" class="warning">
                <p><strong>Every overlay URL above stops working at once.</strong> Overlays in OBS go blank until you paste the new URLs.</p>
                <div class="row">
                  <button class="danger" @click=${this.#rotate}>Rotate key now</button>
                  <button @click=${() => (this.confirmingRotate = false)}>Cancel</button>
                </div>
              </div>`
            : html`<p class="muted">If a URL leaked (shown on stream, shared by mistake), rotate the key.</p>
                <button class="danger" @click=${() => (this.confirmingRotate = true)}>Rotate key…</button>`}
        </div>
      </section>
      <section class="panel" aria-labelledby="preview-title">
        <h2 id="preview-title">Live preview</h2>
        <p class="muted">What OBS shows, on a checkerboard where the overlay is transparent. It is empty until a session is live.</p>
        <div class="preview">
          <iframe title="Overlay preview" src=${urls.all} referrerpolicy="no-referrer"></iframe>
        </div>
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
      .preview {
        --scale: 0.3;
        position: relative;
        aspect-ratio: 16 / 9;
        overflow: hidden;
        border-radius: 8px;
        border: 1px solid var(--border);
        background: repeating-conic-gradient(#2a2e3a 0% 25%, #1d2029 0% 50%) 50% / 24px 24px;
      }
      .preview iframe {
        width: 1920px;
        height: 1080px;
        border: 0;
        transform: scale(var(--scale));
        transform-origin: 0 0;
        background: transparent;
      }
    `,
  ];
}
