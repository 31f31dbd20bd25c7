import { css, html, LitElement } from 'lit';

/**
 * `<sc-overlay-preview>`: an overlay page as OBS shows it, a 1920×1080 page scaled down into a
 * 16:9 frame, on a checkerboard that shows through wherever the overlay is transparent.
 */
export class OverlayPreview extends LitElement {
  static override properties = { src: {}, label: {} };

  declare src: string;
  /** The frame's title, which names it for screen readers. */
  declare label: string;

  #resize: ResizeObserver | undefined;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#resize?.disconnect();
    this.#resize = undefined;
  }

  protected override firstUpdated(): void {
    const frame = this.renderRoot.querySelector<HTMLElement>('.frame')!;
    this.#resize = new ResizeObserver(([entry]) => frame.style.setProperty('--scale', String(entry!.contentRect.width / 1920)));
    this.#resize.observe(frame);
  }

  override render() {
    return html`<div class="frame"><iframe title=${this.label} src=${this.src} referrerpolicy="no-referrer"></iframe></div>`;
  }

  static override styles = css`
    :host {
      display: block;
    }
    .frame {
      --scale: 0.3;
      position: relative;
      aspect-ratio: 16 / 9;
      overflow: hidden;
      border-radius: 8px;
      border: 1px solid var(--border);
      background: repeating-conic-gradient(#2a2e3a 0% 25%, #1d2029 0% 50%) 50% / 24px 24px;
    }
    iframe {
      width: 1920px;
      height: 1080px;
      border: 0;
      transform: scale(var(--scale));
      transform-origin: 0 0;
      background: transparent;
      /*
       * A frame whose colour scheme differs from its page's gets an opaque backdrop (white for a
       * light page): the dashboard is dark, the overlay pages light (they declare it, for this),
       * so the frame is made light to match and stays see-through.
       */
      color-scheme: light;
    }
  `;
}
