import { css, html, nothing, type PropertyValues } from 'lit';
import type { AnimationType } from '@streaming-companion/client';
import { fieldMessage, noErrors, type FieldLabels } from '../errors.ts';
import { field, formError, selectField } from '../fields.ts';
import { ANIMATION_NAMES, INTENSITY_OPTIONS } from '../menu-form.ts';
import { shared } from '../styles.ts';
import { DashboardView } from '../view-element.ts';

const LABELS: FieldLabels = {
  'metadata.intensity': { input: 'intensity', label: 'Intensity' },
  'metadata.url': { input: 'url', label: 'Image or video URL' },
  metadata: { input: 'url', label: 'Image or video URL' },
};

const BUILT_IN: AnimationType[] = ['confetti', 'hearts', 'rain'];

/** One "Play on my overlays" button per animation, for the live session; disabled, saying why, between sessions. */
export class AnimationPlayPanel extends DashboardView {
  static override properties = {
    sessionId: { attribute: false },
    loading: { attribute: false },
    intensity: { state: true },
    message: { state: true },
  };

  /** The live session, or undefined when none is. */
  declare sessionId: string | undefined;
  /** Whether the live session is still being looked up. */
  declare loading: boolean;
  declare intensity: string;
  /** What the last press did. */
  declare message: string | undefined;

  constructor() {
    super();
    this.intensity = '5';
    this.loading = true;
  }

  async #play(type: AnimationType, url?: string): Promise<void> {
    const sessionId = this.sessionId;
    if (!sessionId) return;
    if (type === 'custom' && !url) {
      this.errors = { fields: { url: fieldMessage('Image or video URL', 'must be given for a custom animation (https://… or /path)') } };
      this.message = undefined;
      return;
    }
    this.message = undefined;
    await this.attempt(LABELS, async () => {
      const outcome = await this.client.animations.trigger({ sessionId, type, intensity: Number(this.intensity), url });
      const name = ANIMATION_NAMES[type];
      this.message =
        outcome === 'played'
          ? `${name} is playing on your overlays.`
          : `${name} joins the next effect: your cooldown or limit held it back, and it plays as soon as they allow.`;
    });
  }

  #playCustom(event: SubmitEvent): void {
    event.preventDefault();
    const url = new FormData(event.target as HTMLFormElement).get('url');
    void this.#play('custom', String(url ?? '').trim());
  }

  override render() {
    const live = Boolean(this.sessionId);
    const disabled = !live || this.busy;
    const hint = live ? undefined : 'play-hint';
    return html`<section class="panel" aria-labelledby="play-title">
      <h2 id="play-title">Play on my overlays</h2>
      ${live
        ? html`<p class="muted">Plays at once on your live session's overlays. It counts toward your cooldown and limit below.</p>`
        : html`<p class="muted" id="play-hint">${this.loading ? 'Looking for your live session…' : 'No session is live. Start one on the Live page, then play animations on its overlays from here.'}</p>`}
      ${selectField({ id: 'intensity', label: 'Intensity (1–10)', options: INTENSITY_OPTIONS, value: this.intensity, error: this.errors.fields.intensity, onChange: (v) => (this.intensity = v) })}
      <div class="types">
        ${BUILT_IN.map(
          (type) => html`<div class="type" role="group" aria-label=${ANIMATION_NAMES[type]}>
            <span class="name">${ANIMATION_NAMES[type]}</span>
            <button class="primary small" ?disabled=${disabled} aria-describedby=${hint ?? nothing} @click=${() => this.#play(type)}>Play on my overlays</button>
          </div>`,
        )}
        <div class="type custom" role="group" aria-label=${ANIMATION_NAMES.custom}>
          <span class="name">${ANIMATION_NAMES.custom}</span>
          <form @submit=${this.#playCustom} novalidate>
            ${field({ id: 'url', label: 'Image or video URL', placeholder: 'https://…', hint: 'An https address, or a path on this server (/…).', error: this.errors.fields.url })}
            <div class="actions">
              <button class="primary small" type="submit" ?disabled=${disabled} aria-describedby=${hint ?? nothing}>Play on my overlays</button>
            </div>
          </form>
        </div>
      </div>
      ${this.message ? html`<p class="ok" role="status">${this.message}</p>` : nothing}
      ${formError(this.errors.form)}
    </section>`;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Another session (or none): what was said about the last press no longer applies.
    if (changed.has('sessionId')) {
      this.message = undefined;
      this.errors = noErrors;
    }
  }

  static override styles = [
    shared,
    css`
      .types {
        margin-top: 1rem;
      }
      .type {
        display: flex;
        justify-content: space-between;
        align-items: center;
        gap: 0.75rem;
        padding: 0.6rem 0;
        border-top: 1px solid var(--border);
      }
      .type.custom {
        display: block;
      }
      .type.custom .name {
        display: block;
        margin-bottom: 0.5rem;
      }
      .name {
        font-weight: 600;
      }
      .actions {
        margin-top: 0.5rem;
      }
      .ok {
        color: var(--good);
      }
    `,
  ];
}
