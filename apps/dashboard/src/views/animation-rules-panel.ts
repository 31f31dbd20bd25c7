import { css, html, nothing } from 'lit';
import { ANIMATION_TYPES, type AnimationRuleDto } from '@streaming-companion/client';
import { RULE_LABELS, readRuleForm } from '../animation-form.ts';
import { noErrors } from '../errors.ts';
import { checkboxField, field, formError, formValues, selectField } from '../fields.ts';
import { amountInputValue, amountUnitName, formatCents } from '../format.ts';
import { ANIMATION_NAMES, INTENSITY_OPTIONS } from '../menu-form.ts';
import { shared } from '../styles.ts';
import { DashboardView } from '../view-element.ts';

const TYPE_OPTIONS = ANIMATION_TYPES.map((t) => ({ value: t, label: ANIMATION_NAMES[t] }));

/** The rules that play an animation on every tip of at least an amount (the highest one a tip reaches): add, edit, delete. */
export class AnimationRulesPanel extends DashboardView {
  static override properties = {
    rules: { state: true },
    editing: { state: true },
    typeChoice: { state: true },
  };

  /** undefined while loading; lowest threshold first. */
  declare rules: AnimationRuleDto[] | undefined;
  /** The rule whose edit form is open. */
  declare editing: string | undefined;
  /** The animation picked in the open form: a custom one asks for its URL. */
  declare typeChoice: string;

  constructor() {
    super();
    this.typeChoice = 'confetti';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  async #load(): Promise<void> {
    try {
      this.rules = await this.client.animations.rules.list();
    } catch (error) {
      this.failed(error);
    }
  }

  async #change(action: () => Promise<unknown>): Promise<boolean> {
    if (!(await this.attempt(RULE_LABELS, action))) return false;
    await this.#load();
    return true;
  }

  async #create(event: SubmitEvent): Promise<void> {
    const form = event.target as HTMLFormElement;
    const read = readRuleForm(formValues(event));
    if (!read.ok) {
      this.errors = { fields: read.fields };
      return;
    }
    if (await this.#change(() => this.client.animations.rules.create(read.value))) {
      form.reset();
      this.typeChoice = 'confetti';
    }
  }

  async #save(event: SubmitEvent, rule: AnimationRuleDto): Promise<void> {
    const read = readRuleForm(formValues(event));
    if (!read.ok) {
      this.errors = { fields: read.fields };
      return;
    }
    if (await this.#change(() => this.client.animations.rules.update(rule.id, read.value))) this.#close();
  }

  #edit(rule: AnimationRuleDto): void {
    this.editing = rule.id;
    this.typeChoice = rule.type;
    this.errors = noErrors;
  }

  #close(): void {
    this.editing = undefined;
    this.typeChoice = 'confetti';
    this.errors = noErrors;
  }

  override render() {
    return html`<section class="panel" aria-labelledby="rules-title">
      <h2 id="rules-title">Rules by tip amount</h2>
      <p class="muted">Every tip of at least a rule's amount plays its animation; a tip that reaches several plays the highest one's.</p>
      ${this.#list()} ${this.editing ? nothing : this.#form()}
    </section>`;
  }

  #list() {
    // A failed load says so in the form below.
    if (!this.rules) return this.errors.form ? nothing : html`<p class="muted" role="status">Loading…</p>`;
    if (!this.rules.length) return html`<p class="empty">No rules yet: tips play no animation by themselves.</p>`;
    return html`<ul class="plain" aria-label="Animation rules">
      ${this.rules.map((rule) => {
        if (this.editing === rule.id) return html`<li class="rule">${this.#form(rule)}</li>`;
        const name = `rule from ${formatCents(rule.minAmountCents)}`;
        return html`<li class="rule">
          <div class="line">
            <strong>From ${formatCents(rule.minAmountCents)}</strong>
            <span class="badge ${rule.active ? 'good' : ''}">${rule.active ? 'Active' : 'Off'}</span>
          </div>
          <p class="muted detail">${ANIMATION_NAMES[rule.type]}, intensity ${rule.intensity}${rule.url ? html` · <span class="url">${rule.url}</span>` : nothing}</p>
          <div class="row">
            <button class="small" aria-label="Edit ${name}" @click=${() => this.#edit(rule)}>Edit</button>
            <button class="small danger" aria-label="Delete ${name}" ?disabled=${this.busy}
              @click=${() => this.#change(() => this.client.animations.rules.remove(rule.id))}>Delete</button>
          </div>
        </li>`;
      })}
    </ul>`;
  }

  /** The add form, or with a rule the edit form in its place. */
  #form(rule?: AnimationRuleDto) {
    const e = this.errors.fields;
    return html`<form
      class=${rule ? 'edit' : 'create'}
      aria-label=${rule ? 'Edit rule' : 'Add a rule'}
      @submit=${(event: SubmitEvent) => (rule ? this.#save(event, rule) : this.#create(event))}
      novalidate
    >
      ${rule ? nothing : html`<h3>Add a rule</h3>`}
      ${field({
        id: 'amount',
        label: `Tips from (${amountUnitName()})`,
        value: rule ? amountInputValue(rule.minAmountCents) : '',
        inputmode: 'decimal',
        required: true,
        placeholder: amountInputValue(1000),
        error: e.amount,
      })}
      ${selectField({ id: 'type', label: 'Animation', options: TYPE_OPTIONS, value: this.typeChoice, error: e.type, onChange: (v) => (this.typeChoice = v) })}
      ${selectField({ id: 'intensity', label: 'Intensity (1–10)', options: INTENSITY_OPTIONS, value: String(rule?.intensity ?? 3), error: e.intensity })}
      ${this.typeChoice === 'custom'
        ? field({ id: 'url', label: 'Image or video URL', value: rule?.url ?? '', placeholder: 'https://…', hint: 'An https address, or a path on this server (/…).', error: e.url })
        : nothing}
      ${checkboxField({ id: 'active', label: 'Active', checked: rule?.active ?? true })}
      ${formError(this.errors.form)}
      <div class="actions row">
        <button class="primary" type="submit" ?disabled=${this.busy}>${rule ? 'Save rule' : 'Add rule'}</button>
        ${rule ? html`<button type="button" @click=${() => this.#close()}>Cancel</button>` : nothing}
      </div>
    </form>`;
  }

  static override styles = [
    shared,
    css`
      .rule {
        padding: 0.6rem 0;
        border-top: 1px solid var(--border);
      }
      .line {
        align-items: center;
      }
      .detail {
        margin: 0.25rem 0 0.4rem;
        font-size: 0.85rem;
        overflow-wrap: anywhere;
      }
      .create {
        margin-top: 1rem;
        border-top: 1px solid var(--border);
        padding-top: 1rem;
      }
    `,
  ];
}
