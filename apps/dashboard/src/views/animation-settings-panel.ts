import { html, nothing } from 'lit';
import type { AnimationSettings } from '@streaming-companion/client';
import { formatSeconds, readSettingsForm, SETTINGS_LABELS } from '../animation-form.ts';
import { field, formError, formValues, selectField } from '../fields.ts';
import { INTENSITY_OPTIONS } from '../menu-form.ts';
import { DashboardView } from '../view-element.ts';

/** 1 to 10, the same range as intensities. */
const CONCURRENT_OPTIONS = INTENSITY_OPTIONS;

/** How animations share the overlays: cooldown between them, how many at once, how long each plays. */
export class AnimationSettingsPanel extends DashboardView {
  static override properties = { settings: { state: true }, saved: { state: true } };

  /** undefined while loading. */
  declare settings: AnimationSettings | undefined;
  declare saved: boolean;

  constructor() {
    super();
    this.saved = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  async #load(): Promise<void> {
    try {
      this.settings = await this.client.animations.settings.get();
    } catch (error) {
      this.failed(error);
    }
  }

  async #save(event: SubmitEvent): Promise<void> {
    const read = readSettingsForm(formValues(event));
    this.saved = false;
    if (!read.ok) {
      this.errors = { fields: read.fields };
      return;
    }
    this.saved = await this.attempt(SETTINGS_LABELS, async () => {
      this.settings = await this.client.animations.settings.set(read.value);
    });
  }

  override render() {
    const s = this.settings;
    const e = this.errors.fields;
    return html`<section class="panel" aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      ${s
        ? html`<form aria-label="Animation settings" @submit=${this.#save} novalidate>
            ${field({
              id: 'cooldown',
              label: 'Cooldown between animations (seconds)',
              value: formatSeconds(s.cooldownMs),
              inputmode: 'decimal',
              hint: 'Animations that come sooner wait, and play together as one bigger effect.',
              error: e.cooldown,
            })}
            ${selectField({ id: 'maxConcurrent', label: 'Most playing at once', options: CONCURRENT_OPTIONS, value: String(s.maxConcurrent), error: e.maxConcurrent })}
            ${field({ id: 'effect', label: 'Effect length (seconds)', value: formatSeconds(s.effectMs), inputmode: 'decimal', error: e.effect })}
            ${formError(this.errors.form)}
            ${this.saved ? html`<p class="muted" role="status">Settings saved. They apply to the next animation.</p>` : nothing}
            <div class="actions"><button class="primary" type="submit" ?disabled=${this.busy}>Save settings</button></div>
          </form>`
        : this.errors.form
          ? formError(this.errors.form)
          : html`<p class="muted" role="status">Loading…</p>`}
    </section>`;
  }
}
