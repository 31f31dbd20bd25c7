import { css, html, nothing, type PropertyValues } from 'lit';
import type { ConnectionStatus, LiveConnection, Page, WebhookDelivery, WebhookDeliveryStatus } from '@streaming-companion/client';
import { noErrors } from '../errors.ts';
import { selectField } from '../fields.ts';
import { formatDateTime } from '../format.ts';
import { shared } from '../styles.ts';
import { DashboardView } from '../view-element.ts';
import { canRedeliver, DELIVERY_FILTERS, deliveryEventName, deliveryStatus, lastResponseText, mergeDelivery, nextAttemptText } from '../webhook-form.ts';

const PAGE_SIZE = 20;

/**
 * One endpoint's delivery log, newest first: each event's time, status, attempts, last answer
 * and next attempt, with "Redeliver" on those that failed. Follows `webhook_delivery` live, and
 * is fetched again on demand and after a reconnect.
 */
export class WebhookDeliveries extends DashboardView {
  static override properties = {
    connection: { attribute: false },
    connectionStatus: { attribute: false },
    endpointId: { attribute: false },
    endpointUrl: { attribute: false },
    now: { attribute: false },
    page: { state: true },
    status: { state: true },
  };

  declare connection: LiveConnection | undefined;
  declare connectionStatus: ConnectionStatus;
  declare endpointId: string;
  declare endpointUrl: string;
  /** The view's clock, so "next attempt" stays true while nothing happens. */
  declare now: number;
  /** undefined while loading. */
  declare page: Page<WebhookDelivery> | undefined;
  /** The status shown, or all. */
  declare status: WebhookDeliveryStatus | undefined;

  #stop: (() => void) | undefined;
  /** Only the latest fetch may set the page: an older answer arriving late would be stale. */
  #loads = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load(1);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stop?.();
    this.#stop = undefined;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('connection')) {
      this.#stop?.();
      this.#stop = this.connection?.on('webhook_delivery', (delivery) => {
        if (delivery.endpointId !== this.endpointId || !this.page) return;
        this.page = mergeDelivery(this.page, delivery, this.status);
      });
    }
    if (changed.has('connectionStatus') && changed.get('connectionStatus') === 'reconnecting' && this.connectionStatus === 'connected') {
      void this.load(this.page?.page ?? 1);
    }
  }

  /** Fetches a page of the log again (the view calls it after sending a test). */
  async load(page: number): Promise<void> {
    const load = ++this.#loads;
    try {
      const result = await this.client.webhooks.deliveries(this.endpointId, { page, pageSize: PAGE_SIZE, ...(this.status ? { status: this.status } : {}) });
      if (load === this.#loads) this.page = result;
      this.errors = noErrors;
    } catch (error) {
      if (load === this.#loads) this.failed(error);
    }
  }

  /** A delivery the view heard of from an answer (a test sent): shown at once, as the socket would. */
  show(delivery: WebhookDelivery): void {
    if (this.page) this.page = mergeDelivery(this.page, delivery, this.status);
  }

  async #redeliver(delivery: WebhookDelivery): Promise<void> {
    await this.attempt({}, async () => this.show(await this.client.webhooks.redeliver(this.endpointId, delivery.id)));
  }

  #filter(value: string): void {
    this.status = (value || undefined) as WebhookDeliveryStatus | undefined;
    this.page = undefined;
    void this.load(1);
  }

  override render() {
    const page = this.page;
    const pages = page ? Math.max(1, Math.ceil(page.total / page.pageSize)) : 1;
    return html`<section class="log" aria-label="Deliveries to ${this.endpointUrl}">
      <div class="row controls">
        <h3>Delivery log</h3>
        <div class="filter">
          ${selectField({
            id: 'delivery-status',
            label: 'Show',
            options: DELIVERY_FILTERS,
            value: this.status ?? '',
            onChange: (value) => this.#filter(value),
          })}
        </div>
        <button class="small" @click=${() => this.load(page?.page ?? 1)}>Refresh</button>
      </div>
      ${this.errors.form ? html`<p class="form-error" role="alert">${this.errors.form}</p>` : nothing}
      ${page ? this.#table(page) : this.errors.form ? nothing : html`<p class="muted" role="status">Loading…</p>`}
      ${page && pages > 1
        ? html`<div class="row pager">
            <button class="small" ?disabled=${page.page <= 1} @click=${() => this.load(page.page - 1)}>Newer</button>
            <span class="muted">Page ${page.page} of ${pages}</span>
            <button class="small" ?disabled=${page.page >= pages} @click=${() => this.load(page.page + 1)}>Older</button>
          </div>`
        : nothing}
    </section>`;
  }

  #table(page: Page<WebhookDelivery>) {
    if (!page.items.length) {
      return html`<p class="empty">${this.status ? 'No deliveries with this status.' : 'Nothing sent yet. “Send test” sends a ping.'}</p>`;
    }
    return html`<div class="scroll"><table>
      <caption class="visually-hidden">Deliveries to ${this.endpointUrl}, newest first</caption>
      <thead><tr><th scope="col">Event</th><th scope="col">Time</th><th scope="col">Status</th><th scope="col" class="num">Attempts</th>
        <th scope="col">Last response</th><th scope="col">Next attempt</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
      <tbody>
        ${page.items.map((delivery) => {
          const status = deliveryStatus(delivery);
          const event = deliveryEventName(delivery.eventType);
          const time = formatDateTime(delivery.createdAt);
          return html`<tr>
            <td>${event}</td>
            <td>${time}</td>
            <td class="status ${status.tone}">${status.label}</td>
            <td class="num">${delivery.attempts}</td>
            <td class="response clip" title=${lastResponseText(delivery)}>${lastResponseText(delivery)}</td>
            <td title=${delivery.nextAttemptAt && delivery.status === 'pending' ? formatDateTime(delivery.nextAttemptAt) : ''}>${nextAttemptText(delivery, this.now)}</td>
            <td>${canRedeliver(delivery)
              ? html`<button class="small" aria-label="Redeliver ${event} of ${time}" ?disabled=${this.busy} @click=${() => this.#redeliver(delivery)}>Redeliver</button>`
              : nothing}</td>
          </tr>`;
        })}
      </tbody>
    </table></div>`;
  }

  static override styles = [
    shared,
    css`
      .log {
        margin-top: 0.75rem;
        border-top: 1px solid var(--border);
        padding-top: 0.75rem;
      }
      .controls {
        align-items: end;
      }
      .controls h3 {
        flex: 1;
        margin: 0;
      }
      .filter {
        min-width: 11rem;
      }
      /* Its visually hidden header text is positioned: kept inside the scrolling box, not off the page's edge. */
      .scroll {
        position: relative;
      }
      .status.good {
        color: var(--good);
      }
      .status.warn {
        color: var(--warn);
      }
      .status.bad {
        color: var(--bad);
      }
      .response {
        max-width: 18rem;
      }
      .pager {
        justify-content: center;
        margin-top: 0.5rem;
      }
    `,
  ];
}
