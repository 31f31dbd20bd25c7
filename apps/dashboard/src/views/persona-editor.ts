import { css, html, nothing, type PropertyValues } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ChatbotTrigger, PersonaDto, TriggerType } from '@streaming-companion/client';
import {
  addTriggerRow,
  COOLDOWN_NAMES,
  EVENT_OPTIONS,
  keywordCounts,
  LEVEL_OPTIONS,
  NEW_PERSONA,
  personaLabels,
  readPersonaForm,
  removeTriggerRow,
  retypeTriggerRow,
  triggerInput,
  TRIGGER_OPTIONS,
  triggerRows,
  type TriggerRow,
} from '../chatbot-form.ts';
import { noErrors } from '../errors.ts';
import { checkboxField, field, formError, formValues, selectField } from '../fields.ts';
import { amountInputValue, amountUnitName } from '../format.ts';
import { shared } from '../styles.ts';
import { DashboardView } from '../view-element.ts';

const TRIGGER_LEVEL_OPTIONS = [{ value: '', label: 'Whoever the persona answers' }, ...LEVEL_OPTIONS];

/**
 * `<sc-persona-editor>`: a persona's form (a new one without `persona`). Its triggers are rows the
 * creator adds, changes the kind of and removes before saving; the language model's toggle and
 * prompt appear only when the server offers one. Fires `persona-saved` with the stored persona,
 * and `editor-closed` on Cancel.
 */
export class PersonaEditor extends DashboardView {
  static override properties = {
    persona: { attribute: false },
    llmOffered: { attribute: false },
    rows: { state: true },
    timerOn: { state: true },
  };

  declare persona: PersonaDto | undefined;
  declare llmOffered: boolean;
  declare rows: TriggerRow[];
  declare timerOn: boolean;

  constructor() {
    super();
    this.llmOffered = false;
    this.rows = [];
    this.timerOn = false;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // The persona as stored changed (saved here, with its new triggers' ids, or switched on or off): the form starts from it.
    if (changed.has('persona') && (!this.hasUpdated || changed.get('persona')?.updatedAt !== this.persona?.updatedAt)) {
      const persona = this.persona ?? NEW_PERSONA;
      this.rows = triggerRows(persona.triggers);
      this.timerOn = persona.timer !== null;
      this.errors = noErrors;
    }
  }

  async #save(event: SubmitEvent): Promise<void> {
    const read = readPersonaForm(formValues(event), this.rows, this.llmOffered);
    if (!read.ok) {
      this.errors = { fields: read.fields };
      return;
    }
    const labels = personaLabels(this.rows, keywordCounts(read.value.triggers));
    const persona = this.persona;
    let saved: PersonaDto | undefined;
    const done = await this.attempt(labels, async () => {
      saved = persona ? await this.client.chatbot.personas.update(persona.id, read.value) : await this.client.chatbot.personas.create(read.value);
    });
    if (done) this.dispatchEvent(new CustomEvent('persona-saved', { detail: saved, bubbles: true, composed: true }));
  }

  #addTrigger(): void {
    const type = (this.renderRoot.querySelector<HTMLSelectElement>('#addTrigger')?.value ?? 'command') as TriggerType;
    this.rows = addTriggerRow(this.rows, type);
  }

  override render() {
    const p = this.persona ?? NEW_PERSONA;
    const cooldowns = this.persona?.cooldowns;
    const e = this.errors.fields;
    return html`<form aria-label=${this.persona ? 'Edit persona' : 'New persona'} @submit=${this.#save} novalidate>
      <h2>${this.persona ? `Edit ${this.persona.name}` : 'New persona'}</h2>
      <div class="pair">
        ${field({ id: 'name', label: 'Name', value: this.persona?.name, required: true, maxlength: 50, error: e.name })}
        ${field({ id: 'priority', label: 'Priority', value: String(p.priority), inputmode: 'numeric', hint: 'Higher answers first.', error: e.priority })}
      </div>
      ${field({
        id: 'avatarUrl',
        label: 'Avatar URL (optional)',
        value: this.persona?.avatarUrl ?? '',
        placeholder: 'https://…',
        hint: 'Shown beside its replies on your overlays.',
        error: e.avatarUrl,
      })}
      <div class="pair">
        ${selectField({ id: 'minLevel', label: 'Answers', options: LEVEL_OPTIONS, value: p.minLevel, error: e.minLevel })}
        ${checkboxField({ id: 'enabled', label: 'On (answers chat)', checked: p.enabled })}
      </div>
      <fieldset>
        <legend>Triggers: what it answers</legend>
        ${this.rows.length ? nothing : html`<p class="empty">No triggers yet: it answers nothing until you add one.</p>`}
        ${repeat(
          this.rows,
          (row) => row.key,
          (row, i) => this.#trigger(row, i),
        )}
        ${e.addTrigger ? html`<p class="field-error" id="addTrigger-error">${e.addTrigger}</p>` : nothing}
        <div class="row add">
          <label class="visually-hidden" for="addTrigger">Kind of trigger to add</label>
          <select id="addTrigger" aria-invalid=${e.addTrigger ? 'true' : 'false'} aria-describedby=${ifDefined(e.addTrigger ? 'addTrigger-error' : undefined)}>
            ${TRIGGER_OPTIONS.map((o) => html`<option value=${o.value}>${o.label}</option>`)}
          </select>
          <button type="button" @click=${this.#addTrigger}>Add trigger</button>
        </div>
      </fieldset>
      <fieldset>
        <legend>Cooldowns (seconds, 0 for none)</legend>
        <div class="pair three">
          ${Object.entries(COOLDOWN_NAMES).map(([id, label]) =>
            field({ id, label, value: cooldowns ? String(cooldowns[id as keyof typeof COOLDOWN_NAMES]) : '', inputmode: 'numeric', placeholder: 'Default', error: e[id] }),
          )}
        </div>
      </fieldset>
      <fieldset>
        <legend>Timer</legend>
        ${checkboxField({ id: 'timerOn', label: 'Post a reply on a timer', checked: this.timerOn, onChange: (on) => (this.timerOn = on) })}
        ${this.timerOn
          ? html`${field({ id: 'everyMinutes', label: 'Every (minutes)', value: String(p.timer?.everyMinutes ?? 15), inputmode: 'numeric', error: e.everyMinutes })}
            ${checkboxField({ id: 'onlyWhenChatActive', label: 'Only while chat is active', checked: p.timer?.onlyWhenChatActive ?? true })}`
          : nothing}
      </fieldset>
      ${this.llmOffered
        ? html`<fieldset>
            <legend>Language model</legend>
            ${checkboxField({ id: 'llmOn', label: 'Write replies with the language model', checked: p.llm?.enabled ?? false })}
            ${field({
              id: 'systemPrompt',
              label: 'System prompt',
              value: p.llm?.systemPrompt ?? '',
              multiline: true,
              maxlength: 2000,
              placeholder: 'You are Mia’s cheeky assistant. Answer in one short sentence.',
              hint: 'Who the persona is and how it talks; kept while the model is off. Its replies go out when the model cannot answer.',
              error: e.systemPrompt,
            })}
          </fieldset>`
        : nothing}
      ${formError(this.errors.form)}
      <div class="actions row">
        <button class="primary" type="submit" ?disabled=${this.busy}>${this.persona ? 'Save persona' : 'Create persona'}</button>
        <button type="button" @click=${() => this.dispatchEvent(new CustomEvent('editor-closed', { bubbles: true, composed: true }))}>Cancel</button>
      </div>
    </form>`;
  }

  #trigger(row: TriggerRow, index: number) {
    const e = this.errors.fields;
    const id = (part: string) => triggerInput(row.key, part);
    const saved = row.saved;
    const name = `Trigger ${index + 1}`;
    return html`<div class="trigger" role="group" aria-label=${name}>
      <div class="pair">
        ${selectField({
          id: id('type'),
          label: 'Kind',
          options: TRIGGER_OPTIONS,
          value: row.type,
          error: e[id('type')],
          onChange: (type) => (this.rows = retypeTriggerRow(this.rows, row.key, type as TriggerType)),
        })}
        ${selectField({
          id: id('minLevel'),
          label: 'Only for',
          options: TRIGGER_LEVEL_OPTIONS,
          value: saved?.minLevel ?? '',
          error: e[id('minLevel')],
        })}
      </div>
      ${this.#triggerInputs(row.type, saved, id)}
      <button type="button" class="small danger" aria-label="Remove ${name}" @click=${() => (this.rows = removeTriggerRow(this.rows, row.key))}>Remove</button>
    </div>`;
  }

  #triggerInputs(type: TriggerType, saved: ChatbotTrigger | undefined, id: (part: string) => string) {
    const e = this.errors.fields;
    switch (type) {
      case 'command':
        return field({
          id: id('command'),
          label: 'Command',
          value: saved?.type === 'command' ? saved.command : '',
          placeholder: '!menu',
          maxlength: 50,
          hint: 'A chat line that starts with it.',
          error: e[id('command')],
        });
      case 'keyword':
        return field({
          id: id('keywords'),
          label: 'Keywords',
          value: saved?.type === 'keyword' ? saved.keywords.join(', ') : '',
          placeholder: 'hello, good evening',
          hint: 'Words or phrases, separated by commas; any one of them in a chat line.',
          error: e[id('keywords')],
        });
      case 'regex':
        return field({
          id: id('pattern'),
          label: 'Pattern',
          value: saved?.type === 'regex' ? saved.pattern : '',
          placeholder: '^(hi|hey)\\b',
          hint: 'A regular expression a chat line must match.',
          error: e[id('pattern')],
        });
      case 'tip':
        return html`<div class="pair">
          ${field({
            id: id('minAmount'),
            label: `From (${amountUnitName()})`,
            value: saved?.type === 'tip' ? amountInputValue(saved.minCents) : '',
            inputmode: 'decimal',
            placeholder: amountInputValue(500),
            error: e[id('minAmount')],
          })}
          ${field({
            id: id('maxAmount'),
            label: `Up to (${amountUnitName()}, optional)`,
            value: saved?.type === 'tip' && saved.maxCents !== null ? amountInputValue(saved.maxCents) : '',
            inputmode: 'decimal',
            error: e[id('maxAmount')],
          })}
        </div>`;
      case 'event':
        return selectField({ id: id('event'), label: 'Event', options: EVENT_OPTIONS, value: saved?.type === 'event' ? saved.event : 'tip', error: e[id('event')] });
    }
  }

  static override styles = [
    shared,
    css`
      .pair {
        align-items: end;
      }
      .pair.three {
        --pair-columns: repeat(3, minmax(0, 1fr));
        margin: 0;
      }
      .pair .field + .field {
        margin-top: 0;
      }
      .trigger {
        border-top: 1px solid var(--border);
        padding: 0.5rem 0 0.75rem;
      }
      .trigger .pair {
        margin-top: 0;
      }
      .trigger > button {
        margin-top: 0.5rem;
      }
      .add {
        flex-wrap: nowrap;
        margin-top: 0.5rem;
      }
      .add select {
        width: auto;
        flex: 1;
      }
    `,
  ];
}

