import { css, html, nothing, type PropertyValues } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { repeat } from 'lit/directives/repeat.js';
import { ApiError, type AlertSettings, type WidgetKind, type WidgetMedia, type WidgetSettings } from '@streaming-companion/client';
import { copyText } from '../clipboard.ts';
import { displayUnit } from '../display-unit.ts';
import { noErrors, type FormErrors } from '../errors.ts';
import { checkboxField, field, formError, formValues, selectField } from '../fields.ts';
import { amountInputValue, amountUnitName } from '../format.ts';
import { shared } from '../styles.ts';
import { DashboardView } from '../view-element.ts';
import {
  addVariationRow,
  ALERT_ANIMATION_OPTIONS,
  FONT_OPTIONS,
  HIGHLIGHT_OPTIONS,
  MAX_VARIATIONS,
  mediaInUseMessage,
  mediaOptions,
  POSITION_OPTIONS,
  readTestAlertForm,
  readWidgetForm,
  removeVariationRow,
  secondsValue,
  setOwnColours,
  splitColour,
  TEMPLATE_HINT,
  TEST_ALERT_LABELS,
  variationAmountValue,
  variationInput,
  variationRows,
  WIDGET_TABS,
  widgetLabels,
  type VariationRow,
  type WidgetPart,
} from '../widget-form.ts';

const ACCEPT: Record<WidgetMedia['kind'], string> = { sound: 'audio/*', image: 'image/*' };

/**
 * One widget's panel: its settings form (for the alert box, its variations by amount too), a live
 * preview of its real overlay page, a test alert, and its OBS URL. A save is announced with
 * `settings-saved` (every widget's settings), an upload with `media-uploaded`, a deleted upload
 * with `media-removed` (its id).
 */
export class WidgetPanel extends DashboardView {
  static override properties = {
    kind: { attribute: false },
    settings: { attribute: false },
    media: { attribute: false },
    pageUrl: { attribute: false },
    rows: { state: true },
    saved: { state: true },
    mediaErrors: { state: true },
    confirmingRemove: { state: true },
    testErrors: { state: true },
    tested: { state: true },
    copied: { state: true },
  };

  declare kind: WidgetKind;
  /** This widget's saved settings. */
  declare settings: WidgetPart;
  /** The creator's uploads, newest first. */
  declare media: WidgetMedia[];
  /** The widget's OBS browser-source URL (with the overlay key). */
  declare pageUrl: string;
  /** The alert variations as the form shows them. */
  declare rows: VariationRow[];
  declare saved: boolean;
  /** An upload's or a delete's refusal, by its file input or delete button. */
  declare mediaErrors: Record<string, string>;
  /** The upload a picker (its select's id) asks before deleting. */
  declare confirmingRemove: { picker: string; media: WidgetMedia } | undefined;
  declare testErrors: FormErrors;
  declare tested: boolean;
  declare copied: boolean;

  constructor() {
    super();
    this.rows = [];
    this.saved = false;
    this.mediaErrors = {};
    this.testErrors = noErrors;
    this.tested = false;
    this.copied = false;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('settings')) {
      this.rows = this.kind === 'alerts' ? variationRows((this.settings as AlertSettings).variations) : [];
      // A delete refused for what the saved settings used may go through now.
      this.mediaErrors = {};
    }
  }

  get #name(): string {
    return WIDGET_TABS.find((t) => t.tab === this.kind)!.label;
  }

  async #save(event: SubmitEvent): Promise<void> {
    this.saved = false;
    const rows = this.rows;
    const read = readWidgetForm(this.kind, formValues(event), rows, displayUnit.current);
    if (!read.ok) {
      this.errors = { fields: read.fields };
      return;
    }
    this.saved = await this.attempt(widgetLabels(this.kind, rows), async () => {
      const settings = await this.client.widgets.save(this.kind, read.value);
      this.dispatchEvent(new CustomEvent<WidgetSettings>('settings-saved', { detail: settings, bubbles: true, composed: true }));
    });
  }

  /** Uploads the file chosen in a picker's file input and picks it in the picker's select (`selectId`). */
  async #upload(event: Event, selectId: string, kind: WidgetMedia['kind']): Promise<void> {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    this.#clearMediaError(input.id);
    this.busy = true;
    try {
      const media = await this.client.widgets.media.upload(kind, file.name.slice(0, 100), file, file.type || 'application/octet-stream');
      this.media = [media, ...this.media];
      this.dispatchEvent(new CustomEvent<WidgetMedia>('media-uploaded', { detail: media, bubbles: true, composed: true }));
      await this.updateComplete;
      // The select has its new option now: pick it (a value binding would run before the option exists).
      this.renderRoot.querySelector<HTMLSelectElement>(`#${selectId}`)!.value = media.id;
    } catch (error) {
      this.mediaErrors = { ...this.mediaErrors, [input.id]: this.explain(error) };
    } finally {
      this.busy = false;
      input.value = '';
    }
  }

  #clearMediaError(control: string): void {
    const { [control]: _previous, ...others } = this.mediaErrors;
    this.mediaErrors = others;
  }

  /** Asks before deleting the upload chosen in a picker's select (`selectId`). */
  #askRemove(selectId: string, kind: WidgetMedia['kind']): void {
    const control = `${selectId}-delete`;
    this.#clearMediaError(control);
    const chosen = this.renderRoot.querySelector<HTMLSelectElement>(`#${selectId}`)!.value;
    const media = this.media.find((m) => m.id === chosen);
    if (media) this.confirmingRemove = { picker: selectId, media };
    else this.mediaErrors = { ...this.mediaErrors, [control]: `Choose the ${kind} to delete in the list first.` };
  }

  /** Deletes an upload (one already gone counts as deleted); the server keeps one its saved settings use, which the picker says. */
  async #remove(selectId: string, media: WidgetMedia): Promise<void> {
    this.busy = true;
    try {
      await this.client.widgets.media.remove(media.id).catch((error: unknown) => {
        if (!(error instanceof ApiError && error.status === 404)) throw error;
      });
      this.media = this.media.filter((m) => m.id !== media.id);
      this.dispatchEvent(new CustomEvent<string>('media-removed', { detail: media.id, bubbles: true, composed: true }));
    } catch (error) {
      const inUse = error instanceof ApiError && error.code === 'media_in_use';
      this.mediaErrors = { ...this.mediaErrors, [`${selectId}-delete`]: inUse ? mediaInUseMessage(error.errors.map((e) => e.field)) : this.explain(error) };
    } finally {
      this.busy = false;
      this.confirmingRemove = undefined;
    }
  }

  async #testAlert(event: SubmitEvent): Promise<void> {
    this.tested = false;
    const read = readTestAlertForm(formValues(event), displayUnit.current);
    if (!read.ok) {
      this.testErrors = { fields: read.fields };
      return;
    }
    try {
      await this.client.widgets.testAlert(read.value);
      this.testErrors = noErrors;
      this.tested = true;
    } catch (error) {
      this.testErrors = this.errorsFor(error, TEST_ALERT_LABELS);
    }
  }

  async #copy(): Promise<void> {
    this.copied = await copyText(this.pageUrl, this.renderRoot.querySelector<HTMLInputElement>('#obs-url'));
  }

  override render() {
    const name = this.#name;
    return html`<div class="layout">
      <section class="panel" aria-labelledby="settings-title">
        <h2 id="settings-title">${name}</h2>
        <form aria-label="${name} settings" @submit=${this.#save} novalidate>
          ${this.#widgetFields()} ${this.#themeFields()} ${formError(this.errors.form)}
          ${this.saved ? html`<p class="ok" role="status">Saved. Your overlays show the change now.</p>` : nothing}
          <div class="actions"><button class="primary" type="submit" ?disabled=${this.busy}>Save ${name.toLowerCase()}</button></div>
        </form>
      </section>
      <section class="panel preview" aria-labelledby="preview-title">
        <h2 id="preview-title">Preview</h2>
        <p class="muted">Your real overlay, as OBS shows it (saved settings), on a checkerboard where it is transparent.</p>
        <sc-overlay-preview .src=${this.pageUrl} label="${name} preview"></sc-overlay-preview>
        ${this.kind === 'alerts' ? this.#testForm() : nothing}
        <div class="field obs">
          <label for="obs-url">OBS browser source URL (1920 × 1080)</label>
          <div class="row nowrap">
            <input id="obs-url" readonly .value=${this.pageUrl} @focus=${(e: FocusEvent) => (e.target as HTMLInputElement).select()} />
            <button aria-label="Copy ${name} URL" @click=${this.#copy}>${this.copied ? 'Copied' : 'Copy'}</button>
          </div>
        </div>
      </section>
    </div>`;
  }

  #themeFields() {
    const s = this.settings;
    const e = this.errors.fields;
    const background = splitColour(s.backgroundColor);
    return html`<fieldset>
      <legend>Look</legend>
      <div class="pair">
        ${field({ id: 'textColor', label: 'Text colour', type: 'color', value: splitColour(s.textColor).rgb, error: e.textColor })}
        ${field({ id: 'accentColor', label: 'Accent colour', type: 'color', value: splitColour(s.accentColor).rgb, error: e.accentColor })}
      </div>
      <div class="pair">
        ${field({ id: 'backgroundColor', label: 'Background colour', type: 'color', value: background.rgb, error: e.backgroundColor })}
        ${field({ id: 'backgroundOpacity', label: 'Background opacity (%)', value: String(background.opacity), inputmode: 'numeric', hint: '0 is see-through.', error: e.backgroundOpacity })}
      </div>
      <div class="pair">
        ${selectField({ id: 'fontFamily', label: 'Font', options: FONT_OPTIONS, value: s.fontFamily, error: e.fontFamily })}
        ${field({ id: 'fontSize', label: 'Text size (px, 10–96)', value: String(s.fontSizePx), inputmode: 'numeric', error: e.fontSize })}
      </div>
      <div class="pair">
        ${selectField({ id: 'position', label: 'Position', options: POSITION_OPTIONS, value: s.position, error: e.position })}
        ${field({ id: 'width', label: 'Width (px, 120–1920)', value: String(s.widthPx), inputmode: 'numeric', error: e.width })}
      </div>
    </fieldset>`;
  }

  #widgetFields() {
    const e = this.errors.fields;
    switch (this.kind) {
      case 'alerts':
        return this.#alertFields(this.settings as AlertSettings);
      case 'goal': {
        const s = this.settings as WidgetSettings['goal'];
        return checkboxField({ id: 'showReached', label: 'Keep the last goal on screen, shown as reached, once no goal is active', checked: s.showReached });
      }
      case 'recent': {
        const s = this.settings as WidgetSettings['recent'];
        return field({ id: 'limit', label: 'Tips shown (1–20)', value: String(s.limit), inputmode: 'numeric', error: e.limit });
      }
      case 'leaderboard': {
        const s = this.settings as WidgetSettings['leaderboard'];
        return html`<div class="pair">
          ${field({ id: 'title', label: 'Title', value: s.title, maxlength: 60, error: e.title })}
          ${field({ id: 'limit', label: 'Tippers shown (1–10)', value: String(s.limit), inputmode: 'numeric', error: e.limit })}
        </div>`;
      }
      case 'highlights': {
        const s = this.settings as WidgetSettings['highlights'];
        return selectField({ id: 'show', label: 'Show', options: HIGHLIGHT_OPTIONS, value: s.show, error: e.show });
      }
    }
  }

  #alertFields(s: AlertSettings) {
    const e = this.errors.fields;
    const unit = displayUnit.current;
    const full = this.rows.length >= MAX_VARIATIONS;
    return html`<fieldset>
        <legend>Every alert</legend>
        ${field({
          id: 'minAmount',
          label: `Smallest tip alerted (${amountUnitName(unit)})`,
          value: amountInputValue(s.minAmountCents, unit),
          inputmode: 'decimal',
          hint: '0 alerts every tip.',
          error: e.minAmount,
        })}
        ${this.#lookFields((part) => part, s)}
      </fieldset>
      <fieldset>
        <legend>Variations by amount</legend>
        <p class="muted hint">A tip of at least a variation's amount shows it instead: its own text, sound, image, duration and colours. The
          highest one reached wins.</p>
        <ol class="plain" aria-label="Variations">
          ${repeat(
            this.rows,
            (row) => row.key,
            (row, i) => this.#variationRow(row, i),
          )}
        </ol>
        <button type="button" ?disabled=${full} @click=${() => (this.rows = addVariationRow(this.rows))}>Add a variation</button>
        ${full ? html`<span class="muted hint">At most ${MAX_VARIATIONS}.</span>` : nothing}
      </fieldset>`;
  }

  #variationRow(row: VariationRow, index: number) {
    const e = this.errors.fields;
    const input = (part: string) => variationInput(row.key, part);
    const unit = displayUnit.current;
    const title = `Variation ${index + 1}`;
    const saved = row.saved;
    const defaults = this.settings as AlertSettings;
    return html`<li>
      <fieldset class="variation" aria-label=${title}>
        <legend>${title}</legend>
        ${field({
          id: input('minAmount'),
          label: `From (${amountUnitName(unit)})`,
          value: variationAmountValue(row, unit),
          inputmode: 'decimal',
          error: e[input('minAmount')],
        })}
        ${this.#lookFields(input, saved ?? { ...defaults, soundId: null, imageId: null })}
        ${checkboxField({
          id: input('ownColours'),
          label: 'Its own colours',
          checked: row.ownColours,
          onChange: (on) => (this.rows = setOwnColours(this.rows, row.key, on)),
        })}
        ${row.ownColours
          ? html`<div class="pair">
              ${field({ id: input('textColor'), label: 'Text colour', type: 'color', value: splitColour(saved?.textColor ?? defaults.textColor).rgb, error: e[input('textColor')] })}
              ${field({ id: input('accentColor'), label: 'Accent colour', type: 'color', value: splitColour(saved?.accentColor ?? defaults.accentColor).rgb, error: e[input('accentColor')] })}
            </div>`
          : nothing}
        <div class="actions">
          <button type="button" class="small danger" aria-label="Remove ${title.toLowerCase()}" @click=${() => (this.rows = removeVariationRow(this.rows, row.key))}>
            Remove
          </button>
        </div>
      </fieldset>
    </li>`;
  }

  /** An alert's text, duration, animation, sound and image, in the inputs `input(part)` names. */
  #lookFields(input: (part: string) => string, look: Pick<AlertSettings, 'template' | 'durationMs' | 'animation' | 'soundId' | 'volume' | 'imageId'>) {
    const e = this.errors.fields;
    return html`${field({ id: input('template'), label: 'Alert text', value: look.template, maxlength: 200, hint: TEMPLATE_HINT, error: e[input('template')] })}
      <div class="pair">
        ${field({ id: input('duration'), label: 'Duration (seconds, 1–60)', value: secondsValue(look.durationMs), inputmode: 'decimal', error: e[input('duration')] })}
        ${selectField({ id: input('animation'), label: 'Animation', options: ALERT_ANIMATION_OPTIONS, value: look.animation, error: e[input('animation')] })}
      </div>
      <div class="pair">
        ${this.#mediaPicker(input('soundId'), 'Sound', 'sound', look.soundId)}
        ${field({ id: input('volume'), label: 'Volume (0–100)', value: String(look.volume), inputmode: 'numeric', error: e[input('volume')] })}
      </div>
      ${this.#mediaPicker(input('imageId'), 'Image or GIF', 'image', look.imageId)}`;
  }

  /** A select of the uploads of one kind, a button that deletes the one chosen (asking first), and a file input that uploads another and picks it. */
  #mediaPicker(id: string, label: string, kind: WidgetMedia['kind'], value: string | null) {
    const uploadId = `${id}-upload`;
    const deleteId = `${id}-delete`;
    const refused = this.mediaErrors[uploadId];
    const kept = this.mediaErrors[deleteId];
    const confirming = this.confirmingRemove?.picker === id ? this.confirmingRemove.media : undefined;
    return html`<div class="media">
      ${selectField({ id, label, options: mediaOptions(this.media, kind), value: value ?? '', error: this.errors.fields[id] })}
      <div class="row">
        <button type="button" class="small danger" id=${deleteId} ?disabled=${this.busy} aria-describedby=${ifDefined(kept ? `${deleteId}-error` : undefined)}
          @click=${() => this.#askRemove(id, kind)}>Delete the chosen ${kind}</button>
      </div>
      ${kept ? html`<p class="field-error" id="${deleteId}-error">${kept}</p>` : nothing}
      ${confirming
        ? html`<div class="warning" role="alert">
            <p>Delete “${confirming.name}” from your uploads? This cannot be undone.</p>
            <div class="row">
              <button type="button" class="danger" ?disabled=${this.busy} @click=${() => this.#remove(id, confirming)}>Yes, delete</button>
              <button type="button" @click=${() => (this.confirmingRemove = undefined)}>Keep it</button>
            </div>
          </div>`
        : nothing}
      <div class="field">
        <label for=${uploadId}>Upload ${kind === 'sound' ? 'a sound' : 'an image'}</label>
        <input
          id=${uploadId}
          type="file"
          accept=${ACCEPT[kind]}
          ?disabled=${this.busy}
          aria-invalid=${refused ? 'true' : 'false'}
          aria-describedby=${ifDefined(refused ? `${uploadId}-error` : undefined)}
          @change=${(event: Event) => this.#upload(event, id, kind)}
        />
        ${refused ? html`<p class="field-error" id="${uploadId}-error">${refused}</p>` : nothing}
      </div>
    </div>`;
  }

  #testForm() {
    const e = this.testErrors.fields;
    const unit = displayUnit.current;
    const sample = Math.max(500, (this.settings as AlertSettings).minAmountCents);
    return html`<form class="test" aria-label="Test alert" @submit=${this.#testAlert} novalidate>
      <div class="pair">
        ${field({ id: 'testAmount', label: `Test amount (${amountUnitName(unit)})`, value: amountInputValue(sample, unit), inputmode: 'decimal', error: e.testAmount })}
        ${field({ id: 'testName', label: 'Test tipper', value: 'Test fan', maxlength: 50, error: e.testName })}
      </div>
      ${formError(this.testErrors.form)}
      <div class="row">
        <button type="submit">Send test alert</button>
        <span class="muted hint">Plays here and in OBS; recorded nowhere, so no total changes.</span>
      </div>
      ${this.tested ? html`<p class="ok" role="status">Test alert sent to your overlays.</p>` : nothing}
    </form>`;
  }

  static override styles = [
    shared,
    css`
      .layout {
        --layout-columns: minmax(0, 1fr) minmax(0, 1fr);
      }
      .preview {
        position: sticky;
        top: 1rem;
      }
      .preview sc-overlay-preview {
        margin-bottom: 1rem;
      }
      input[type='color'] {
        height: 2.6rem;
        padding: 0.2rem;
        cursor: pointer;
      }
      input[type='file'] {
        padding: 0.4rem;
        font-size: 0.85rem;
      }
      fieldset > .field + .field,
      fieldset > .field.check,
      .media > * + * {
        margin-top: 0.75rem;
      }
      .pair .field + .field {
        margin-top: 0;
      }
      .variation {
        margin-bottom: 0.75rem;
      }
      .hint {
        font-size: 0.8rem;
      }
      .test {
        border-top: 1px solid var(--border);
        padding-top: 0.75rem;
      }
      .obs {
        margin-top: 1rem;
        border-top: 1px solid var(--border);
        padding-top: 0.75rem;
      }
      .nowrap {
        flex-wrap: nowrap;
      }
      .nowrap input {
        font-family: ui-monospace, monospace;
        font-size: 0.8rem;
      }
      .ok {
        color: var(--good);
      }
      @media (max-width: 900px) {
        .preview {
          position: static;
        }
      }
    `,
  ];
}
