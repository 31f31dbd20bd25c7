import { css, html, nothing, type PropertyValues } from 'lit';
import { ANIMATION_TYPES, MENU_ITEM_CATEGORIES, type ConnectionStatus, type ItemSales, type LiveConnection, type MenuItemDto } from '@streaming-companion/client';
import { copyText } from '../clipboard.ts';
import { noErrors } from '../errors.ts';
import { field, formError, formValues, selectField } from '../fields.ts';
import { displayUnit } from '../display-unit.ts';
import { amountInputValue, amountUnitName, formatCents } from '../format.ts';
import { LiveSessionController } from '../live-session.ts';
import { actionsText, ANIMATION_NAMES, CATEGORY_NAMES, INTENSITY_OPTIONS, MENU_LABELS, moveId, priceText, publicMenuUrl, readMenuItemForm } from '../menu-form.ts';
import { shared } from '../styles.ts';
import { DashboardView } from '../view-element.ts';

const CATEGORY_OPTIONS = MENU_ITEM_CATEGORIES.map((c) => ({ value: c, label: CATEGORY_NAMES[c] }));
const ANIMATION_OPTIONS = [{ value: '', label: 'None' }, ...ANIMATION_TYPES.map((t) => ({ value: t, label: ANIMATION_NAMES[t] }))];

/**
 * The tip menu: the creator's items in order (add, edit in place, reorder, switch on and off,
 * delete after asking), the public menu's link, and what each item sold in the live session.
 * Kept current over `/streaming`: `menu_updated` (a change from anywhere) and
 * `menu_item_purchased` (a tip bought an item).
 */
export class MenuView extends DashboardView {
  static override properties = {
    connection: { attribute: false },
    connectionStatus: { attribute: false },
    creatorId: { attribute: false },
    items: { state: true },
    sales: { state: true },
    editing: { state: true },
    confirmingDelete: { state: true },
    animationChoice: { state: true },
    copied: { state: true },
  };

  declare connection: LiveConnection | undefined;
  declare connectionStatus: ConnectionStatus;
  declare creatorId: string;
  /** undefined while loading. */
  declare items: MenuItemDto[] | undefined;
  /** What each item sold in the live session (empty when none is live). */
  declare sales: ItemSales[];
  /** The item whose edit form is open. */
  declare editing: string | undefined;
  /** The item whose delete waits for a yes. */
  declare confirmingDelete: string | undefined;
  /** The animation picked in the open form, which decides whether its intensity and URL are asked for. */
  declare animationChoice: string;
  declare copied: boolean;

  readonly #live = new LiveSessionController(this, (error) => this.failed(error));
  #stop: Array<() => void> = [];
  #itemLoads = 0;
  #salesLoads = 0;
  /** The session the sales shown are of. */
  #salesOf: string | undefined;

  constructor() {
    super();
    this.sales = [];
    this.animationChoice = '';
    this.copied = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#loadItems();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stop.forEach((stop) => stop());
    this.#stop = [];
  }

  protected override willUpdate(): void {
    // Another session went live (or none is): show its sales, not the last one's.
    const sessionId = this.#live.session?.id;
    if (sessionId !== this.#salesOf) {
      this.#salesOf = sessionId;
      this.sales = [];
      if (sessionId) void this.#loadSales();
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('connection')) this.#listen();
    if (changed.has('connectionStatus') && changed.get('connectionStatus') === 'reconnecting' && this.connectionStatus === 'connected') {
      // Whatever changed while the connection was down was not heard: fetch it all.
      void this.#loadItems();
      void this.#live.reload();
      void this.#loadSales();
    }
  }

  #listen(): void {
    this.#stop.forEach((stop) => stop());
    this.#live.follow(this.connection);
    const connection = this.connection;
    this.#stop = connection
      ? [
          // The menu changed (here, on another device, or through the API): fetch it, inactive items included.
          connection.on('menu_updated', (update) => update.creatorId === this.creatorId && void this.#loadItems()),
          connection.on('menu_item_purchased', (purchase) => purchase.sessionId === this.#live.session?.id && void this.#loadSales()),
          connection.onGap((sessionId) => sessionId === this.#live.session?.id && void this.#loadSales()),
        ]
      : [];
  }

  async #loadItems(): Promise<void> {
    const load = ++this.#itemLoads;
    try {
      const items = await this.client.menu.list();
      if (load === this.#itemLoads) this.items = items;
    } catch (error) {
      this.failed(error);
    }
  }

  async #loadSales(): Promise<void> {
    const sessionId = this.#live.session?.id;
    if (!sessionId) return;
    const load = ++this.#salesLoads;
    try {
      const sales = await this.client.menu.sales(sessionId);
      if (load === this.#salesLoads && sessionId === this.#live.session?.id) this.sales = sales;
    } catch (error) {
      this.failed(error);
    }
  }

  /**
   * Runs a change, then shows the menu as the server has it. Busy lasts until the list is
   * fresh: the move buttons send the whole order, and on a stale list it would be wrong.
   */
  async #change(action: () => Promise<unknown>): Promise<boolean> {
    if (!(await this.attempt(MENU_LABELS, action))) return false;
    this.busy = true;
    await this.#loadItems();
    this.busy = false;
    return true;
  }

  async #create(event: SubmitEvent): Promise<void> {
    const form = event.target as HTMLFormElement;
    const read = readMenuItemForm(formValues(event));
    if (!read.ok) {
      this.errors = { fields: read.fields };
      return;
    }
    if (await this.#change(() => this.client.menu.create(read.value))) {
      form.reset();
      this.animationChoice = '';
    }
  }

  async #save(event: SubmitEvent, item: MenuItemDto): Promise<void> {
    const read = readMenuItemForm(formValues(event));
    if (!read.ok) {
      this.errors = { fields: read.fields };
      return;
    }
    if (await this.#change(() => this.client.menu.update(item.id, read.value))) this.#closeForms();
  }

  async #delete(item: MenuItemDto): Promise<void> {
    if (await this.#change(() => this.client.menu.remove(item.id))) this.confirmingDelete = undefined;
  }

  #edit(item: MenuItemDto): void {
    this.editing = item.id;
    this.confirmingDelete = undefined;
    this.animationChoice = item.actions.animation?.type ?? '';
    this.errors = noErrors;
  }

  #closeForms(): void {
    this.editing = undefined;
    this.animationChoice = '';
    this.errors = noErrors;
  }

  async #copyLink(url: string): Promise<void> {
    this.copied = await copyText(url, this.renderRoot.querySelector<HTMLInputElement>('#public-link'));
  }

  override render() {
    const session = this.#live.session;
    return html`<div class="layout">
      <section class="panel" aria-labelledby="menu-title">
        <h1 id="menu-title">Tip menu</h1>
        <p class="muted">What viewers can tip for. A tip of an item's price, or with its title as the message, buys it and sets off
          what you choose below.</p>
        ${this.#list()} ${this.editing ? nothing : this.#form()}
      </section>
      <div class="stack">
        ${this.#publicLink()}
        <section class="panel" aria-labelledby="sales-title">
          <h2 id="sales-title">Sold this session</h2>
          ${session === undefined
            ? html`<p class="muted" role="status">Loading…</p>`
            : session
              ? this.#sales()
              : html`<p class="empty">No session is live. While one is, what each item sells shows here.</p>`}
        </section>
      </div>
    </div>`;
  }

  #list() {
    // A failed load says so in the form below.
    if (!this.items) return this.errors.form ? nothing : html`<p class="muted" role="status">Loading…</p>`;
    if (!this.items.length) return html`<p class="empty">No items yet. Add the first one below.</p>`;
    return html`<ol class="plain" aria-label="Menu items">
      ${this.items.map((item, index) => (this.editing === item.id ? html`<li class="item">${this.#form(item)}</li>` : this.#row(item, index)))}
    </ol>`;
  }

  #row(item: MenuItemDto, index: number) {
    const items = this.items!;
    const ids = items.map((i) => i.id);
    const actions = actionsText(item.actions);
    return html`<li class="item ${item.active ? '' : 'inactive'}">
      <div class="line">
        <span class="name clip">${item.emoji ? html`<span class="emoji">${item.emoji}</span> ` : nothing}<strong>${item.title}</strong></span>
        <span class="price">${priceText(item)}</span>
      </div>
      <div class="row tags">
        <span class="badge">${CATEGORY_NAMES[item.category]}</span>
        <span class="badge ${item.active ? 'good' : ''}">${item.active ? 'On the menu' : 'Off'}</span>
      </div>
      ${item.description ? html`<p class="muted description">${item.description}</p>` : nothing}
      ${actions.length ? html`<p class="muted description">${actions.join(' · ')}</p>` : nothing}
      <div class="row">
        <button class="small" aria-label="Move ${item.title} up" ?disabled=${index === 0 || this.busy}
          @click=${() => this.#change(() => this.client.menu.reorder(moveId(ids, index, -1)))}>↑</button>
        <button class="small" aria-label="Move ${item.title} down" ?disabled=${index === items.length - 1 || this.busy}
          @click=${() => this.#change(() => this.client.menu.reorder(moveId(ids, index, 1)))}>↓</button>
        <button class="small" aria-label="Edit ${item.title}" @click=${() => this.#edit(item)}>Edit</button>
        <button class="small" aria-label="${item.active ? 'Turn off' : 'Turn on'} ${item.title}" ?disabled=${this.busy}
          @click=${() => this.#change(() => this.client.menu.toggle(item.id))}>${item.active ? 'Turn off' : 'Turn on'}</button>
        <button class="small danger" aria-label="Delete ${item.title}" ?disabled=${this.busy}
          @click=${() => ((this.confirmingDelete = item.id), (this.errors = noErrors))}>Delete</button>
      </div>
      ${this.confirmingDelete === item.id
        ? html`<div class="warning" role="alert">
            <p>Delete “${item.title}”? Viewers stop seeing it and tips no longer buy it; its past sales stay counted.</p>
            <div class="row">
              <button class="danger" ?disabled=${this.busy} @click=${() => this.#delete(item)}>Yes, delete</button>
              <button @click=${() => (this.confirmingDelete = undefined)}>Keep it</button>
            </div>
          </div>`
        : nothing}
    </li>`;
  }

  /** The add form, or with an item the edit form in its place. */
  #form(item?: MenuItemDto) {
    const e = this.errors.fields;
    const animation = item?.actions.animation;
    const choice = this.animationChoice;
    // Counting in tokens, the price is typed in tokens and is the token price too.
    const tokens = displayUnit.current.kind === 'tokens';
    return html`<form
      class=${item ? 'edit' : 'create'}
      aria-label=${item ? 'Edit menu item' : 'Add a menu item'}
      @submit=${(event: SubmitEvent) => (item ? this.#save(event, item) : this.#create(event))}
      novalidate
    >
      ${item ? nothing : html`<h2>Add an item</h2>`}
      <div class="pair">
        ${field({ id: 'title', label: 'Title', value: item?.title, required: true, maxlength: 120, error: e.title })}
        ${field({ id: 'emoji', label: 'Emoji (optional)', value: item?.emoji ?? '', maxlength: 16, error: e.emoji })}
      </div>
      ${field({ id: 'description', label: 'Description (optional)', value: item?.description ?? '', maxlength: 500, multiline: true, error: e.description })}
      <div class="pair">
        ${field({
          id: 'price',
          label: `Price (${amountUnitName()})`,
          value: item ? (tokens && item.priceTokens ? String(item.priceTokens) : amountInputValue(item.priceCents)) : '',
          inputmode: 'decimal',
          required: true,
          placeholder: amountInputValue(500),
          error: e.price,
        })}
        ${tokens
          ? nothing
          : field({
              id: 'priceTokens',
              label: 'Price in tokens (optional)',
              value: item?.priceTokens ? String(item.priceTokens) : '',
              inputmode: 'numeric',
              placeholder: '50',
              hint: 'On token platforms, a tip of this many tokens buys it.',
              error: e.priceTokens,
            })}
      </div>
      ${selectField({ id: 'category', label: 'Category', options: CATEGORY_OPTIONS, value: item?.category ?? 'performance', error: e.category })}
      <fieldset>
        <legend>When someone buys it (optional)</legend>
        ${selectField({
          id: 'animation',
          label: 'Animation on your overlays',
          options: ANIMATION_OPTIONS,
          value: choice,
          error: e.animation,
          onChange: (value) => (this.animationChoice = value),
        })}
        ${choice
          ? selectField({ id: 'intensity', label: 'Intensity (1–10)', options: INTENSITY_OPTIONS, value: String(animation?.intensity ?? 5), error: e.intensity })
          : nothing}
        ${choice === 'custom'
          ? field({
              id: 'animationUrl',
              label: 'Image or video URL',
              value: animation?.url ?? '',
              placeholder: 'https://…',
              hint: 'An https address, or a path on this server (/…).',
              error: e.animationUrl,
            })
          : nothing}
        ${field({
          id: 'goalBonus',
          label: `Goal bonus (${amountUnitName()}, optional)`,
          value: item?.actions.goalBonusCents ? amountInputValue(item.actions.goalBonusCents) : '',
          inputmode: 'decimal',
          hint: "Added to the live session's active goal, on top of the tip.",
          error: e.goalBonus,
        })}
        ${field({
          id: 'tts',
          label: 'Text to speech (optional)',
          value: item?.actions.ttsTemplate ?? '',
          maxlength: 300,
          placeholder: '{tipperName} bought {title}!',
          error: e.tts,
        })}
      </fieldset>
      ${formError(this.errors.form)}
      <div class="actions row">
        <button class="primary" type="submit" ?disabled=${this.busy}>${item ? 'Save item' : 'Add item'}</button>
        ${item ? html`<button type="button" @click=${() => this.#closeForms()}>Cancel</button>` : nothing}
      </div>
    </form>`;
  }

  #publicLink() {
    if (!this.creatorId) return nothing;
    const url = publicMenuUrl(location.origin, this.creatorId);
    return html`<section class="panel" aria-labelledby="public-title">
      <h2 id="public-title">Public menu</h2>
      <p class="muted">Your active items, in order, for viewers, bots and your bio. Anyone with the link can read it.</p>
      <label for="public-link">Public menu link</label>
      <div class="row nowrap">
        <input id="public-link" readonly .value=${url} @focus=${(e: FocusEvent) => (e.target as HTMLInputElement).select()} />
        <button aria-label="Copy public menu link" @click=${() => this.#copyLink(url)}>${this.copied ? 'Copied' : 'Copy'}</button>
      </div>
    </section>`;
  }

  #sales() {
    if (!this.sales.length) return html`<p class="empty">Nothing from the menu sold yet this session.</p>`;
    const total = this.sales.reduce((sum, s) => sum + s.revenueCents, 0);
    return html`<ul class="plain" aria-label="Menu sales this session">
        ${this.sales.map(
          (s) => html`<li class="line sale">
            <span class="clip"><strong>${s.title}</strong> <span class="muted">× ${s.count}</span></span>
            <span class="price">${formatCents(s.revenueCents)}</span>
          </li>`,
        )}
      </ul>
      <p class="muted total">${formatCents(total)} from the menu this session</p>`;
  }

  static override styles = [
    shared,
    css`
      .layout {
        --layout-columns: minmax(0, 3fr) minmax(0, 2fr);
      }
      .item {
        padding: 0.75rem 0;
        border-top: 1px solid var(--border);
      }
      .item.inactive .name,
      .item.inactive .price {
        opacity: 0.6;
      }
      .price {
        font-weight: 700;
        color: var(--good);
        font-variant-numeric: tabular-nums;
        white-space: nowrap;
      }
      .tags {
        margin-top: 0.3rem;
      }
      .description {
        margin: 0.3rem 0;
        font-size: 0.85rem;
        overflow-wrap: anywhere;
      }
      .item > .row:last-of-type {
        margin-top: 0.4rem;
      }
      .create {
        margin-top: 1rem;
        border-top: 1px solid var(--border);
        padding-top: 1rem;
      }
      .pair {
        --pair-columns: minmax(0, 2fr) minmax(0, 1fr);
      }
      .pair .field + .field {
        margin-top: 0;
      }
      .pair + .field {
        margin-top: 0;
      }
      fieldset .field:first-of-type {
        margin-top: 0;
      }
      .nowrap {
        flex-wrap: nowrap;
      }
      .nowrap input {
        font-family: ui-monospace, monospace;
        font-size: 0.8rem;
      }
      .sale {
        padding: 0.5rem 0;
        border-top: 1px solid var(--border);
      }
      .total {
        margin: 0.5rem 0 0;
        font-size: 0.85rem;
      }
    `,
  ];
}
