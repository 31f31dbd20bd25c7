import { css, html, type PropertyValues } from 'lit';
import type { LiveConnection, RecordedTip, TipDto } from '@streaming-companion/client';
import { fieldMessage, type FieldLabels } from '../errors.ts';
import { field, formError, formValues, resetUnlessEdited } from '../fields.ts';
import { amountExample, amountInputValue, amountUnitName, formatCents, formatTime, parseAmountIn, tipAmountOf } from '../format.ts';
import { shared } from '../styles.ts';
import { DashboardView } from '../view-element.ts';
import { voidedTipStyles, voidNote } from './tip-void-control.ts';

const FEED_SIZE = 50;

const LABELS: FieldLabels = {
  amountCents: { input: 'amount', label: 'Amount' },
  tokens: { input: 'amount', label: 'Amount' },
  tipperName: { input: 'tipperName', label: 'Tipper name' },
  message: { input: 'message', label: 'Message' },
};

/** The live tips feed, newest first, and the form for a tip taken outside any connector. */
export class TipsPanel extends DashboardView {
  static override properties = {
    connection: { attribute: false },
    sessionId: { attribute: false },
    reloads: { attribute: false },
    tips: { state: true },
  };

  declare connection: LiveConnection | undefined;
  declare sessionId: string;
  declare reloads: number;
  declare tips: TipDto[];

  #stop: (() => void) | undefined;
  /** The last tip sent and its idempotency key, until it is recorded. */
  #pending: { body: string; key: string } | undefined;

  constructor() {
    super();
    this.tips = [];
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stop?.();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('sessionId') || changed.has('reloads')) void this.#load();
    if (changed.has('connection')) {
      this.#stop?.();
      const stops = [
        this.connection?.on('tip_received', ({ sessionId, tip }) => {
          if (sessionId === this.sessionId) this.#add(tip);
        }),
        // Voided elsewhere (another device, the API): fetch the feed for the reason it was given.
        this.connection?.on('tip_voided', ({ sessionId, tipId }) => {
          if (sessionId === this.sessionId && this.tips.some((t) => t.id === tipId && !t.voidedAt)) void this.#load();
        }),
      ];
      this.#stop = () => stops.forEach((stop) => stop?.());
    }
  }

  async #load(): Promise<void> {
    try {
      const page = await this.client.tips.list({ sessionId: this.sessionId, pageSize: FEED_SIZE });
      this.tips = page.items;
    } catch (error) {
      this.failed(error);
    }
  }

  /** Voided from this feed: the answer has the tip as it now is (the totals follow through `session_updated`). */
  #voided(event: CustomEvent<RecordedTip>): void {
    const { sessionTotals: _, ...voided } = event.detail;
    this.tips = this.tips.map((t) => (t.id === voided.id ? voided : t));
  }

  /** The REST reply and the socket event both bring a tip: show it once. */
  #add(tip: TipDto): void {
    if (this.tips.some((t) => t.id === tip.id)) return;
    this.tips = [tip, ...this.tips].slice(0, FEED_SIZE);
  }

  async #record(event: SubmitEvent): Promise<void> {
    const form = event.target as HTMLFormElement;
    const values = formValues(event);
    // In the creator's display unit: typed in tokens, it is sent in tokens at their rate.
    const amount = parseAmountIn(values.amount ?? '');
    if (amount === null || amount.cents <= 0) {
      this.errors = { fields: { amount: fieldMessage('Amount', `must be an amount like ${amountExample()}`) } };
      return;
    }
    const input = { sessionId: this.sessionId, ...tipAmountOf(amount), tipperName: values.tipperName || undefined, message: values.message || undefined, source: 'manual' as const };
    // Sending the same tip again (after "can't reach the server", say) reuses its key, so it is recorded once.
    const body = JSON.stringify(input);
    if (this.#pending?.body !== body) this.#pending = { body, key: randomKey() };
    const idempotencyKey = this.#pending.key;
    const recorded = await this.attempt(LABELS, async () => this.#add(await this.client.tips.record(input, { idempotencyKey })));
    if (recorded) {
      this.#pending = undefined;
      resetUnlessEdited(form, values);
    }
  }

  override render() {
    const e = this.errors.fields;
    return html`<section class="panel" aria-labelledby="feed-title">
      <h2 id="feed-title">Tips</h2>
      <form class="tip-form" aria-label="Record a manual tip" @submit=${this.#record} novalidate>
        <div class="inputs">
          ${field({ id: 'amount', label: `Amount (${amountUnitName()})`, inputmode: 'decimal', required: true, placeholder: amountInputValue(500), error: e.amount })}
          ${field({ id: 'tipperName', label: 'Tipper name (optional)', maxlength: 64, error: e.tipperName })}
        </div>
        ${field({ id: 'message', label: 'Message (optional)', maxlength: 500, error: e.message })}
        ${formError(this.errors.form)}
        <div class="actions"><button class="primary" type="submit" ?disabled=${this.busy}>Record tip</button></div>
      </form>
      <h3>Latest tips</h3>
      ${this.tips.length
        ? html`<ol class="plain feed" aria-label="Tips feed" @tip-voided=${this.#voided}>
            ${this.tips.map(
              (tip) => html`<li class=${tip.voidedAt ? 'voided' : ''}>
                <div class="line">
                  <strong class="clip">${tip.isAnonymous || !tip.tipperName ? 'Anonymous' : tip.tipperName}</strong>
                  <span class="amount">${formatCents(tip.amountCents)}</span>
                </div>
                ${tip.message ? html`<p class="message">${tip.message}</p>` : ''}
                <span class="muted meta">${formatTime(tip.createdAt)}${tip.tokens ? ` · ${tip.tokens} tokens` : ''} · ${tip.source.replace('_', ' ')}</span>
                ${tip.voidedAt ? voidNote(tip) : html`<sc-tip-void .client=${this.client} .tip=${tip}></sc-tip-void>`}
              </li>`,
            )}
          </ol>`
        : html`<p class="empty">No tips yet. They appear here the moment they arrive.</p>`}
    </section>`;
  }

  static override styles = [
    shared,
    voidedTipStyles,
    css`
      .inputs {
        display: grid;
        grid-template-columns: minmax(0, 1fr) minmax(0, 2fr);
        gap: 0.75rem;
      }
      .inputs .field + .field {
        margin-top: 0;
      }
      .tip-form {
        margin-bottom: 1.25rem;
      }
      .feed li {
        padding: 0.6rem 0;
        border-top: 1px solid var(--border);
      }
      .amount {
        font-weight: 700;
        color: var(--good);
        font-variant-numeric: tabular-nums;
      }
      .message {
        margin: 0.2rem 0;
        overflow-wrap: anywhere;
      }
      .meta {
        font-size: 0.8rem;
      }
      sc-tip-void {
        margin-top: 0.35rem;
      }
      @media (max-width: 640px) {
        .inputs {
          grid-template-columns: minmax(0, 1fr);
        }
      }
    `,
  ];
}

/** 128 random bits; `crypto.randomUUID` exists only on https or localhost, and a LAN dashboard may be plain http. */
function randomKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}
