import type { WidgetKind } from '@streaming-companion/plugin-widgets/contract';
import { LitElement, type PropertyDeclarations, type PropertyValues } from 'lit';
import type { AmountFormat } from './format.ts';
import { acquireOverlayConnection, targetId, type ConnectionLease, type OverlayConnection, type OverlayTarget } from './overlay-connection.ts';
import { amountFormat, readWidgetSettings, themeProperties, type OverlaySettings, type WidgetPart } from './widget-settings.ts';

/**
 * What every overlay element has: the `server`, `overlay-key` and `session-id` attributes and
 * a lease on the page's shared connection for them, taken while the element is on the page;
 * the creator's widget settings (`widget_settings`), with the element's theme applied; and how
 * it shows amounts (`currency`, `locale`, `cents-per-token`, else the settings' display unit).
 * Subclasses say which events they listen to in `listen()`.
 */
export abstract class OverlayElement extends LitElement {
  static override properties: PropertyDeclarations = {
    server: { type: String },
    overlayKey: { type: String, attribute: 'overlay-key' },
    sessionId: { type: String, attribute: 'session-id' },
    currency: { type: String },
    locale: { type: String },
    centsPerToken: { type: Number, attribute: 'cents-per-token' },
  };

  /** Server base URL; default: the page's origin. */
  declare server: string | null;
  /** The creator's overlay key (follows the active session). */
  declare overlayKey: string | null;
  /** A session id (that session only), when there is no overlay key. */
  declare sessionId: string | null;
  /** ISO currency for money; when given, it wins over the settings' display unit. */
  declare currency: string | null;
  /** Number locale (default en-US). */
  declare locale: string | null;
  /** When set, amounts show in tokens of this many cents, whatever the settings say. */
  declare centsPerToken: number | null;

  /** The creator's settings, from the last `widget_settings` of this element's connection. */
  protected settings: OverlaySettings | undefined;

  #lease: ConnectionLease | undefined;
  #leaseId: string | undefined;
  #stopListening: Array<() => void> = [];
  #themeStyle: CSSStyleDeclaration | undefined;
  #themeProperties: string[] = [];

  constructor() {
    super();
    this.server = null;
    this.overlayKey = null;
    this.sessionId = null;
    this.currency = null;
    this.locale = null;
    this.centsPerToken = null;
  }

  /** Subscribe to the connection's events; answer the functions that unsubscribe. */
  protected abstract listen(connection: OverlayConnection): Array<() => void>;

  /** Which widget's settings style this element (none: only its attributes and the page's CSS do). */
  protected widgetKind(): WidgetKind | undefined {
    return undefined;
  }

  /** New settings arrived (the theme is applied already); the element applies the rest. */
  protected settingsChanged(): void {}

  /** One widget's settings, each field only when the server sent a valid one. */
  protected widgetSettings<K extends WidgetKind>(kind: K): WidgetPart<K> {
    return this.settings?.parts[kind] ?? {};
  }

  /** How this element shows amounts: its attributes (URL options) first, then the creator's display unit. */
  protected amountFormat(): AmountFormat {
    return amountFormat(this, this.settings?.display);
  }

  /** The server's base URL, for the media the settings name. */
  protected get serverBase(): string | undefined {
    return this.server?.trim() || globalThis.location?.origin;
  }

  /** Whether this element needs the server at all (the animation layer can listen to the page only). */
  protected wantsConnection(): boolean {
    return true;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.syncConnection();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#dropConnection();
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (changed.has('server') || changed.has('overlayKey') || changed.has('sessionId')) this.syncConnection();
  }

  /** Hold the connection the attributes name (none without a key or session id). */
  protected syncConnection(): void {
    if (!this.isConnected) return;
    const target = this.wantsConnection() ? this.#target() : undefined;
    const id = target && targetId(target);
    if (id === this.#leaseId) return;
    this.#dropConnection();
    if (!target || !id) return;
    let lease: ConnectionLease | undefined;
    try {
      lease = acquireOverlayConnection(target);
    } catch (error) {
      console.warn('[overlay] cannot connect to', target.server, error);
      return;
    }
    if (!lease) return;
    this.#lease = lease;
    this.#leaseId = id;
    // Another key may be another creator: their settings come with the join (or at once, from the connection's last ones).
    this.#useSettings(undefined);
    const onSettings = (payload: unknown): void => {
      const settings = readWidgetSettings(payload);
      if (settings) this.#useSettings(settings);
    };
    this.#stopListening = [...this.listen(lease.connection), lease.connection.on('widget_settings', onSettings)];
  }

  #useSettings(settings: OverlaySettings | undefined): void {
    this.settings = settings;
    this.#applyTheme();
    this.settingsChanged();
    this.requestUpdate();
  }

  /**
   * The widget's theme as custom properties in a `:host` rule of the element's own: page CSS
   * (OBS's *Custom CSS*, an embedding page) set on the element still wins over it. Its place on
   * the page is `data-position`, which the overlay pages' stylesheet reads.
   */
  #applyTheme(): void {
    const kind = this.widgetKind();
    if (!kind) return;
    const theme = this.widgetSettings(kind);
    const style = this.#themeDeclarations();
    for (const name of this.#themeProperties) style.removeProperty(name);
    const properties = themeProperties(theme);
    for (const [name, value] of Object.entries(properties)) style.setProperty(name, value);
    this.#themeProperties = Object.keys(properties);
    if (theme.position) this.dataset.position = theme.position;
    else delete this.dataset.position;
  }

  #themeDeclarations(): CSSStyleDeclaration {
    if (this.#themeStyle) return this.#themeStyle;
    const root = this.renderRoot;
    try {
      if (!(root instanceof ShadowRoot) || !('adoptedStyleSheets' in root)) throw new Error('no constructable stylesheets');
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(':host {}');
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
      this.#themeStyle = (sheet.cssRules[0] as CSSStyleRule).style;
    } catch {
      // An old browser: inline on the element (page CSS no longer wins, the theme still shows).
      this.#themeStyle = this.style;
    }
    return this.#themeStyle;
  }

  /** Dispatch a CustomEvent that bubbles out of the shadow DOM. */
  protected fire<D>(name: string, detail: D): void {
    this.dispatchEvent(new CustomEvent<D>(name, { detail, bubbles: true, composed: true }));
  }

  #target(): OverlayTarget | undefined {
    const overlayKey = this.overlayKey?.trim() || undefined;
    const sessionId = this.sessionId?.trim() || undefined;
    if (!overlayKey && !sessionId) return undefined;
    const server = this.server?.trim() || globalThis.location?.origin;
    if (!server) return undefined;
    return { server, ...(overlayKey ? { overlayKey } : { sessionId }) };
  }

  #dropConnection(): void {
    for (const stop of this.#stopListening) stop();
    this.#stopListening = [];
    this.#lease?.release();
    this.#lease = undefined;
    this.#leaseId = undefined;
  }
}

/** A numeric attribute, or `fallback` when it is missing or not a number. */
export function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
