import { css, html, type PropertyValues } from 'lit';
import type { ConnectionStatus, LiveConnection } from '@streaming-companion/client';
import { formError } from '../fields.ts';
import { LiveSessionController } from '../live-session.ts';
import { shared } from '../styles.ts';
import { DashboardView } from '../view-element.ts';

/**
 * Overlay animations: play one now on the live session's overlays, the rules that play one
 * by tip amount, and the settings that keep a burst of them from flooding the screen.
 */
export class AnimationsView extends DashboardView {
  static override properties = {
    connection: { attribute: false },
    connectionStatus: { attribute: false },
  };

  declare connection: LiveConnection | undefined;
  declare connectionStatus: ConnectionStatus;

  readonly #live = new LiveSessionController(this, (error) => this.failed(error));

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('connection')) this.#live.follow(this.connection);
    // A session may have started or ended while the connection was down.
    if (changed.has('connectionStatus') && changed.get('connectionStatus') === 'reconnecting' && this.connectionStatus === 'connected') void this.#live.reload();
  }

  override render() {
    const session = this.#live.session;
    return html`<h1>Animations</h1>
      ${formError(this.errors.form)}
      <div class="layout">
        <div class="stack">
          <sc-animation-play .client=${this.client} .sessionId=${session?.id} .loading=${session === undefined}></sc-animation-play>
          <sc-animation-settings .client=${this.client}></sc-animation-settings>
        </div>
        <sc-animation-rules .client=${this.client}></sc-animation-rules>
      </div>`;
  }

  static override styles = [
    shared,
    css`
    `,
  ];
}
