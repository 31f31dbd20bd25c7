import { css, html, nothing } from 'lit';
import type { TtsSettings, TtsVoiceDto } from '@streaming-companion/client';
import { checkboxField, field, formError, formValues, selectField } from '../fields.ts';
import { amountInputValue, amountUnitName } from '../format.ts';
import { FILTER_MODE_OPTIONS, PREVIEW_LABELS, readPreviewForm, readTtsForm, TTS_LABELS } from '../tts-form.ts';
import { shared } from '../styles.ts';
import { DashboardView } from '../view-element.ts';

const SAMPLE = 'Thank you so much for the tip, you made my night!';

/**
 * Text to speech: which tips are read aloud on the overlays and how (voice, speed, pitch, caps,
 * the words never read), and a Listen button that plays a line as a tip would sound, in the
 * voice the form shows now, saved or not. Skip and mute during a stream are on the Live page.
 */
export class VoiceView extends DashboardView {
  static override properties = {
    settings: { state: true },
    voices: { state: true },
    saved: { state: true },
    audioUrl: { state: true },
  };

  /** undefined while loading. */
  declare settings: TtsSettings | undefined;
  declare voices: TtsVoiceDto[] | undefined;
  declare saved: boolean;
  /** The last line heard, as a blob: URL of its WAV (the page's own, so the CSP lets it play). */
  declare audioUrl: string | undefined;

  constructor() {
    super();
    this.saved = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.audioUrl) URL.revokeObjectURL(this.audioUrl);
    this.audioUrl = undefined;
  }

  async #load(): Promise<void> {
    try {
      [this.settings, this.voices] = await Promise.all([this.client.tts.settings(), this.client.tts.voices()]);
    } catch (error) {
      this.failed(error);
    }
  }

  async #save(event: SubmitEvent): Promise<void> {
    this.saved = false;
    const read = readTtsForm(formValues(event));
    if (!read.ok) {
      this.errors = { fields: read.fields };
      return;
    }
    this.saved = await this.attempt(TTS_LABELS, async () => {
      this.settings = await this.client.tts.updateSettings(read.value);
    });
  }

  async #listen(): Promise<void> {
    const form = this.renderRoot.querySelector<HTMLFormElement>('form')!;
    const values = Object.fromEntries([...new FormData(form).entries()].map(([k, v]) => [k, String(v)]));
    const read = readPreviewForm(values);
    if (!read.ok) {
      this.errors = { fields: read.fields };
      return;
    }
    this.saved = false;
    const played = await this.attempt(PREVIEW_LABELS, async () => {
      const wav = await this.client.tts.preview(read.value);
      if (this.audioUrl) URL.revokeObjectURL(this.audioUrl);
      this.audioUrl = URL.createObjectURL(wav);
    });
    if (!played) return;
    await this.updateComplete;
    const audio = this.renderRoot.querySelector('audio')!;
    // Refused only when the browser blocks sound: the player's own button still plays it.
    await audio.play().catch(() => {});
  }

  override render() {
    return html`<section class="panel" aria-labelledby="voice-title">
      <h1 id="voice-title">Voice</h1>
      <p class="muted">Tips at or above the amount you choose are read aloud by your alert box overlay, through the filter below. Skip a
        clip or mute speech during a stream on the <a href="#/live">Live</a> page.</p>
      ${this.settings && this.voices ? this.#form(this.settings, this.voices) : this.errors.form ? formError(this.errors.form) : html`<p class="muted" role="status">Loading…</p>`}
    </section>`;
  }

  #form(s: TtsSettings, voices: TtsVoiceDto[]) {
    const e = this.errors.fields;
    const voiceOptions = voices.map((v) => ({ value: v.id, label: `${v.name} (${v.language})` }));
    return html`<form aria-label="Voice settings" @submit=${this.#save} novalidate>
      ${checkboxField({ id: 'enabled', label: 'Read tips aloud', checked: s.enabled })}
      <div class="pair">
        ${field({
          id: 'minAmount',
          label: `Smallest tip read (${amountUnitName()})`,
          value: amountInputValue(s.minAmountCents),
          inputmode: 'decimal',
          hint: '0 reads every tip with a message.',
          error: e.minAmount,
        })}
        ${field({ id: 'perTipperPerMinute', label: 'Tips read per tipper per minute', value: String(s.perTipperPerMinute), inputmode: 'numeric', error: e.perTipperPerMinute })}
      </div>
      <fieldset>
        <legend>How it sounds</legend>
        ${selectField({ id: 'voice', label: 'Voice', options: voiceOptions, value: s.voice, error: e.voice })}
        <div class="pair">
          ${field({ id: 'speed', label: 'Speed (words per minute, 80–450)', value: String(s.speed), inputmode: 'numeric', error: e.speed })}
          ${field({ id: 'pitch', label: 'Pitch (0–99, 50 is the voice’s own)', value: String(s.pitch), inputmode: 'numeric', error: e.pitch })}
        </div>
        ${checkboxField({ id: 'readName', label: 'Read the tipper’s name (“Kai says: …”)', checked: s.readName })}
        <div class="listen">
          ${field({ id: 'previewText', label: 'Text to hear', value: SAMPLE, maxlength: 2000, error: e.previewText })}
          <div class="row">
            <button type="button" ?disabled=${this.busy} @click=${this.#listen}>Listen</button>
            <span class="muted hint">In the voice, speed and pitch above, through your filter, saved or not.</span>
          </div>
          ${this.audioUrl ? html`<audio controls aria-label="Voice preview" .src=${this.audioUrl}></audio>` : nothing}
        </div>
      </fieldset>
      <fieldset>
        <legend>Limits and filter</legend>
        <div class="pair">
          ${field({ id: 'maxChars', label: 'Longest text (characters)', value: String(s.maxChars), inputmode: 'numeric', error: e.maxChars })}
          ${field({ id: 'maxSeconds', label: 'Longest clip (seconds)', value: String(s.maxSeconds), inputmode: 'numeric', error: e.maxSeconds })}
        </div>
        ${field({
          id: 'filterWords',
          label: 'Words never read (one per line)',
          value: s.filterWords.join('\n'),
          multiline: true,
          hint: 'On top of the built-in list of profanity and slurs.',
          error: e.filterWords,
        })}
        ${selectField({ id: 'filterMode', label: 'When a word is filtered', options: FILTER_MODE_OPTIONS, value: s.filterMode, error: e.filterMode })}
      </fieldset>
      ${formError(this.errors.form)} ${this.saved ? html`<p class="ok" role="status">Settings saved.</p>` : nothing}
      <div class="actions"><button class="primary" type="submit" ?disabled=${this.busy}>Save settings</button></div>
    </form>`;
  }

  static override styles = [
    shared,
    css`
      :host {
        max-width: 48rem;
      }
      a {
        color: var(--accent);
      }
      .pair {
        align-items: end;
        margin-bottom: 0;
      }
      .pair .field + .field {
        margin-top: 0;
      }
      fieldset > .field.check,
      fieldset > .field + .field {
        margin-top: 0.75rem;
      }
      .listen {
        margin-top: 0.75rem;
        border-top: 1px solid var(--border);
        padding-top: 0.75rem;
      }
      .listen .row {
        margin-top: 0.5rem;
      }
      .hint {
        font-size: 0.8rem;
      }
      audio {
        display: block;
        width: 100%;
        margin-top: 0.5rem;
      }
      .ok {
        color: var(--good);
      }
    `,
  ];
}
