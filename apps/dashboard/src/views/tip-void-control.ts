import { css, html, nothing } from 'lit';
import type { RecordedTip, TipDto } from '@streaming-companion/client';
import { noErrors, type FieldLabels } from '../errors.ts';
import { field, formError, formValues } from '../fields.ts';
import { formatCents } from '../format.ts';
import { shared } from '../styles.ts';
import { DashboardView } from '../view-element.ts';

const LABELS: FieldLabels = { reason: { input: 'void-reason', label: 'Reason' } };

/** What a view shows of a voided tip under its struck-through line. */
export const voidNote = (tip: TipDto) => (tip.voidedAt ? html`<p class="void-note">void: ${tip.voidReason}</p>` : nothing);

/** For the view listing tips: a voided tip's name and amount (`.line`, `.tipper`, `.amount` in an `li.voided`) struck through, its note muted. */
export const voidedTipStyles = css`
  li.voided .line,
  li.voided .tipper,
  li.voided .amount {
    text-decoration: line-through;
    opacity: 0.7;
  }
  .void-note {
    margin: 0.2rem 0;
    color: var(--muted);
    font-size: 0.85rem;
    overflow-wrap: anywhere;
  }
`;

/**
 * A tip's "Void" action: asks for a reason and a confirmation, then voids it. Once voided it
 * fires `tip-voided` (bubbling) with the voided tip and the session's corrected totals.
 */
export class TipVoidControl extends DashboardView {
  static override properties = {
    tip: { attribute: false },
    confirming: { state: true },
  };

  declare tip: TipDto;
  declare confirming: boolean;

  constructor() {
    super();
    this.confirming = false;
  }

  async #void(event: SubmitEvent): Promise<void> {
    const { 'void-reason': reason = '' } = formValues(event);
    let voided: RecordedTip | undefined;
    if (await this.attempt(LABELS, async () => (voided = await this.client.tips.void(this.tip.id, { reason })))) {
      this.confirming = false;
      this.dispatchEvent(new CustomEvent<RecordedTip>('tip-voided', { detail: voided, bubbles: true, composed: true }));
    }
  }

  #cancel(): void {
    this.confirming = false;
    this.errors = noErrors;
  }

  override render() {
    const who = this.tip.isAnonymous || !this.tip.tipperName ? 'Anonymous' : this.tip.tipperName;
    if (!this.confirming) {
      return html`<button class="small danger" aria-label="Void the ${formatCents(this.tip.amountCents)} tip from ${who}" @click=${() => (this.confirming = true)}>
        Void
      </button>`;
    }
    return html`<form class="warning" aria-label="Void the ${formatCents(this.tip.amountCents)} tip from ${who}" @submit=${this.#void} novalidate>
      <p>It stays in the history, marked void, and leaves the totals, goals and analytics.</p>
      ${field({ id: 'void-reason', label: 'Reason', maxlength: 200, required: true, placeholder: 'A test tip, a typo…', error: this.errors.fields['void-reason'] })}
      ${formError(this.errors.form)}
      <div class="row">
        <button class="danger" type="submit" ?disabled=${this.busy}>Void tip</button>
        <button type="button" @click=${this.#cancel}>Cancel</button>
      </div>
    </form>`;
  }

  static override styles = [
    shared,
    css`
      :host {
        display: block;
      }
      form p {
        margin: 0 0 0.5rem;
      }
    `,
  ];
}
