import { LitElement, type PropertyDeclarations, type PropertyValues } from 'lit';
import { acquireOverlayConnection, targetId, type ConnectionLease, type OverlayConnection, type OverlayTarget } from './overlay-connection.ts';

/**
 * What every overlay element has: the `server`, `overlay-key` and `session-id` attributes and
 * a lease on the page's shared connection for them, taken while the element is on the page.
 * Subclasses say which events they listen to in `listen()`.
 */
export abstract class OverlayElement extends LitElement {
  static override properties: PropertyDeclarations = {
    server: { type: String },
    overlayKey: { type: String, attribute: 'overlay-key' },
    sessionId: { type: String, attribute: 'session-id' },
  };

  /** Server base URL; default: the page's origin. */
  declare server: string | null;
  /** The creator's overlay key (follows the active session). */
  declare overlayKey: string | null;
  /** A session id (that session only), when there is no overlay key. */
  declare sessionId: string | null;

  #lease: ConnectionLease | undefined;
  #leaseId: string | undefined;
  #stopListening: Array<() => void> = [];

  constructor() {
    super();
    this.server = null;
    this.overlayKey = null;
    this.sessionId = null;
  }

  /** Subscribe to the connection's events; answer the functions that unsubscribe. */
  protected abstract listen(connection: OverlayConnection): Array<() => void>;

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
    this.#stopListening = this.listen(lease.connection);
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
