import { css, html, nothing, type PropertyValues } from 'lit';
import type { DisplayUnit, WidgetSettings } from '@streaming-companion/client';
import { displayUnit } from '../display-unit.ts';
import { field, formError, formValues, selectField } from '../fields.ts';
import { formatCents } from '../format.ts';
import { shared } from '../styles.ts';
import { DashboardView } from '../view-element.ts';
import { CURRENCIES, DISPLAY_LABELS, readDisplayForm } from '../widget-form.ts';

const KIND_OPTIONS = [
  { value: 'currency', label: 'Money' },
  { value: 'tokens', label: 'Tokens' },
];

/**
 * What amounts are counted in, here and on the overlays: money in a currency, or a platform's
 * tokens at so many cents each. Saved as the widget settings' `display` part; the whole
 * dashboard follows it at once.
 */
export class DisplayUnitPanel extends DashboardView {
  static override properties = {
    unit: { attribute: false },
    kind: { state: true },
    saved: { state: true },
  };

  /** The saved unit. */
  declare unit: DisplayUnit;
  /** The kind chosen in the form, saved or not: it decides which inputs show. */
  declare kind: DisplayUnit['kind'];
  declare saved: boolean;

  constructor() {
    super();
    this.saved = false;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('unit')) this.kind = this.unit.kind;
  }

  async #save(event: SubmitEvent): Promise<void> {
    this.saved = false;
    const read = readDisplayForm(formValues(event));
    if (!read.ok) {
      this.errors = { fields: read.fields };
      return;
    }
    this.saved = await this.attempt(DISPLAY_LABELS, async () => {
      const settings = await this.client.widgets.save('display', read.value);
      displayUnit.set(settings.display);
      this.dispatchEvent(new CustomEvent<WidgetSettings>('settings-saved', { detail: settings, bubbles: true, composed: true }));
    });
  }

  override render() {
    const e = this.errors.fields;
    const unit = this.unit;
    const currencies = unit.kind === 'currency' && !(CURRENCIES as readonly string[]).includes(unit.currency) ? [unit.currency, ...CURRENCIES] : CURRENCIES;
    return html`<section class="panel" aria-labelledby="display-title">
      <h2 id="display-title">Amounts</h2>
      <p class="muted">What amounts are counted in, in this dashboard (what you type too) and on your overlays. Tips are kept in cents
        whatever you pick, so you can change it at any time: a tip of 1,250 cents shows as ${formatCents(1250)}.</p>
      <form aria-label="Display unit" @submit=${this.#save} novalidate>
        ${selectField({
          id: 'unitKind',
          label: 'Show amounts in',
          options: KIND_OPTIONS,
          value: this.kind,
          error: e.unitKind,
          onChange: (kind) => (this.kind = kind as DisplayUnit['kind']),
        })}
        ${this.kind === 'tokens'
          ? html`<div class="pair">
              ${field({
                id: 'centsPerToken',
                label: 'Cents per token',
                value: unit.kind === 'tokens' ? String(unit.centsPerToken) : '5',
                inputmode: 'numeric',
                hint: 'What one token is worth to you: 5 on Chaturbate.',
                error: e.centsPerToken,
              })}
              ${field({
                id: 'tokenLabel',
                label: 'Token name',
                value: unit.kind === 'tokens' ? unit.label : 'tokens',
                maxlength: 20,
                hint: 'As in “250 tokens”.',
                error: e.tokenLabel,
              })}
            </div>`
          : selectField({
              id: 'currency',
              label: 'Currency',
              options: currencies.map((code) => ({ value: code, label: code })),
              value: unit.kind === 'currency' ? unit.currency : 'USD',
              error: e.currency,
            })}
        ${formError(this.errors.form)} ${this.saved ? html`<p class="ok" role="status">Saved.</p>` : nothing}
        <div class="actions"><button class="primary" type="submit" ?disabled=${this.busy}>Save</button></div>
      </form>
    </section>`;
  }

  static override styles = [
    shared,
    css`
      :host {
        max-width: 40rem;
      }
      .pair .field + .field {
        margin-top: 0;
      }
      .ok {
        color: var(--good);
      }
    `,
  ];
}
