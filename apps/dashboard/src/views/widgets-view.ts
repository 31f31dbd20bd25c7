import { css, html, type PropertyValues } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import type { LiveConnection, WidgetMedia, WidgetSettings } from '@streaming-companion/client';
import { formError } from '../fields.ts';
import { shared } from '../styles.ts';
import { DashboardView } from '../view-element.ts';
import { isWidgetKind, WIDGET_PAGES, WIDGET_TABS, widgetTabOf } from '../widget-form.ts';

/**
 * The Widgets view: a tab per overlay widget (its settings, a live preview, a test alert, its
 * OBS URL), the amounts' display unit, and every OBS source with key rotation. It loads the
 * overlay key, the settings and the uploads once and hands them to the tab shown; the settings
 * follow changes made anywhere (`widget_settings`).
 */
export class WidgetsView extends DashboardView {
  static override properties = {
    connection: { attribute: false },
    tab: { attribute: false },
    overlayKey: { state: true },
    settings: { state: true },
    media: { state: true },
  };

  declare connection: LiveConnection | undefined;
  /** The tab the route names (any text: an unknown one shows the first). */
  declare tab: string | undefined;
  declare overlayKey: string | undefined;
  declare settings: WidgetSettings | undefined;
  declare media: WidgetMedia[] | undefined;

  #stop: (() => void) | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stop?.();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('connection')) {
      this.#stop?.();
      this.#stop = this.connection?.on('widget_settings', (event) => (this.settings = event.settings));
    }
  }

  async #load(): Promise<void> {
    try {
      [this.overlayKey, this.settings, this.media] = await Promise.all([this.client.overlay.key(), this.client.widgets.settings(), this.client.widgets.media.list()]);
    } catch (error) {
      this.failed(error);
    }
  }

  override render() {
    const tab = widgetTabOf(this.tab);
    return html`<h1>Widgets</h1>
      <nav aria-label="Widgets">
        ${WIDGET_TABS.map((t) => html`<a href="#/widgets/${t.tab}" aria-current=${t.tab === tab ? 'page' : 'false'}>${t.label}</a>`)}
      </nav>
      ${this.overlayKey && this.settings && this.media ? this.#tab(tab, this.overlayKey, this.settings, this.media) : this.errors.form ? formError(this.errors.form) : html`<p class="muted" role="status">Loading…</p>`}`;
  }

  #tab(tab: ReturnType<typeof widgetTabOf>, overlayKey: string, settings: WidgetSettings, media: WidgetMedia[]) {
    const onSaved = (event: CustomEvent<WidgetSettings>) => (this.settings = event.detail);
    if (tab === 'display') return html`<sc-display-unit-panel .client=${this.client} .unit=${settings.display} @settings-saved=${onSaved}></sc-display-unit-panel>`;
    if (tab === 'sources') {
      return html`<sc-overlay-sources .client=${this.client} .overlayKey=${overlayKey} @key-rotated=${(event: CustomEvent<string>) => (this.overlayKey = event.detail)}></sc-overlay-sources>`;
    }
    if (!isWidgetKind(tab)) return null;
    const urls = this.client.overlay.pageUrls(overlayKey, location.origin);
    // A panel of its own per widget, so nothing typed in one tab is left in another's inputs.
    return keyed(
      tab,
      html`<sc-widget-panel
      .client=${this.client}
      .kind=${tab}
      .settings=${settings[tab]}
      .media=${media}
      .pageUrl=${urls[WIDGET_PAGES[tab]]}
      @settings-saved=${onSaved}
      @media-uploaded=${(event: CustomEvent<WidgetMedia>) => (this.media = [event.detail, ...media.filter((m) => m.id !== event.detail.id)])}
      @media-removed=${(event: CustomEvent<string>) => (this.media = media.filter((m) => m.id !== event.detail))}
    ></sc-widget-panel>`,
    );
  }

  static override styles = [
    shared,
    css`
      h1 {
        font-size: 1.4rem;
      }
      nav {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem;
        margin-bottom: 1rem;
        border-bottom: 1px solid var(--border);
        padding-bottom: 0.5rem;
      }
      nav a {
        color: var(--muted);
        text-decoration: none;
        padding: 0.35rem 0.7rem;
        border-radius: 8px;
      }
      nav a[aria-current='page'] {
        color: var(--text);
        background: var(--panel-2);
      }
    `,
  ];
}
