import type { DisplayUnit, LiveConnection, StreamingCompanionClient } from '@streaming-companion/client';

/** The server's default, shown until the creator's own unit is known (and where the widgets plugin is left out). */
export const DEFAULT_DISPLAY_UNIT: DisplayUnit = { kind: 'currency', currency: 'USD' };

/**
 * The creator's display unit (a currency, or tokens at a rate), which every amount the
 * dashboard shows or reads is in. Loaded once after sign-in, followed as it changes anywhere
 * (`widget_settings` reaches every socket of the creator), and set at once by the Widgets view
 * when it saves. Views re-render when it changes (see `DashboardView`).
 */
export class DisplayUnitStore {
  #unit: DisplayUnit = DEFAULT_DISPLAY_UNIT;
  readonly #listeners = new Set<() => void>();

  get current(): DisplayUnit {
    return this.#unit;
  }

  set(unit: DisplayUnit): void {
    if (JSON.stringify(unit) === JSON.stringify(this.#unit)) return;
    this.#unit = unit;
    for (const listener of [...this.#listeners]) listener();
  }

  /** Called on every change; returns a function that stops it. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * The signed-in creator's unit, and every change to it from now on; returns a function that
   * stops following. A server without the widgets plugin answers 404: amounts stay in dollars.
   */
  follow(client: StreamingCompanionClient, connection: LiveConnection): () => void {
    const load = () =>
      client.widgets.settings().then(
        (settings) => this.set(settings.display),
        () => {},
      );
    const stops = [
      connection.on('widget_settings', (event) => this.set(event.settings.display)),
      // A change made while the connection was down was not heard: fetch it again once back.
      connection.onStatus((status) => status === 'connected' && void load()),
    ];
    void load();
    return () => stops.forEach((stop) => stop());
  }

  /** Back to the default, for whoever signs in next. */
  reset(): void {
    this.set(DEFAULT_DISPLAY_UNIT);
  }
}

export const displayUnit = new DisplayUnitStore();
