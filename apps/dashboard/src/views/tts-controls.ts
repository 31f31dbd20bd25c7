import { css, html, type PropertyValues } from 'lit';
import type { LiveConnection } from '@streaming-companion/client';
import { formError } from '../fields.ts';
import { shared } from '../styles.ts';
import { DashboardView } from '../view-element.ts';

/**
 * The live session's speech: skip the clip the overlays are playing, mute (which also stops it,
 * and queues nothing until unmuted) or unmute. Whether it is muted is fetched, and followed as
 * it changes from anywhere (`tts_control`).
 */
export class TtsControls extends DashboardView {
  static override properties = {
    connection: { attribute: false },
    sessionId: { attribute: false },
    reloads: { attribute: false },
    muted: { state: true },
    skipped: { state: true },
  };

  declare connection: LiveConnection | undefined;
  declare sessionId: string;
  declare reloads: number;
  /** undefined while loading. */
  declare muted: boolean | undefined;
  /** Says the last skip went through, until the next action. */
  declare skipped: boolean;

  #stop: (() => void) | undefined;
  #loads = 0;

  constructor() {
    super();
    this.skipped = false;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stop?.();
    this.#stop = undefined;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('sessionId') || changed.has('reloads')) void this.#load();
    if (changed.has('connection')) {
      this.#stop?.();
      this.#stop = this.connection?.on('tts_control', ({ sessionId, action }) => {
        if (sessionId !== this.sessionId || action === 'skip') return;
        // Newer than any fetch still on its way.
        this.#loads++;
        this.muted = action === 'mute';
      });
    }
  }

  async #load(): Promise<void> {
    const load = ++this.#loads;
    try {
      const { muted } = await this.client.tts.muteState(this.sessionId);
      if (load === this.#loads) this.muted = muted;
    } catch (error) {
      this.failed(error);
    }
  }

  async #control(action: 'skip' | 'mute' | 'unmute'): Promise<void> {
    this.skipped = false;
    const load = ++this.#loads;
    const done = await this.attempt({}, async () => {
      const { muted } = await this.client.tts.control({ sessionId: this.sessionId, action });
      // The server tells the sockets before it answers, so a change made elsewhere meanwhile
      // (an unmute from the API right after this mute) may already be here and is newer.
      if (load === this.#loads) this.muted = muted;
    });
    this.skipped = done && action === 'skip';
  }

  override render() {
    const muted = this.muted;
    return html`<section class="panel" aria-labelledby="tts-title">
      <h2 id="tts-title">Text to speech</h2>
      <p class="muted" role="status" aria-label="Speech">
        ${muted === undefined
          ? 'Loading…'
          : muted
            ? 'Muted: no tip is read until you unmute.'
            : this.skipped
              ? 'Skipped the clip that was playing.'
              : html`Not muted: tips are read on your overlays as your <a href="#/voice">Voice</a> settings say.`}
      </p>
      ${formError(this.errors.form)}
      <div class="row">
        <button ?disabled=${this.busy || muted !== false} @click=${() => this.#control('skip')}>Skip current</button>
        ${muted
          ? html`<button class="primary" ?disabled=${this.busy} @click=${() => this.#control('unmute')}>Unmute</button>`
          : html`<button class="danger" ?disabled=${this.busy || muted === undefined} @click=${() => this.#control('mute')}>Mute TTS</button>`}
      </div>
    </section>`;
  }

  static override styles = [
    shared,
    css`
      p {
        margin: 0 0 0.75rem;
      }
      a {
        color: var(--accent);
      }
    `,
  ];
}
