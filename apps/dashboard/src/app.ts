import { css, html, LitElement, nothing } from 'lit';
import { ApiError, createClient, type ConnectionStatus, type CreatorDto, type LiveConnection } from '@streaming-companion/client';
import { displayUnit } from './display-unit.ts';
import { describeError } from './errors.ts';
import { NAV, parseRoute, type Route } from './routes.ts';
import { storedToken, storeToken, takeHandedOverToken } from './session-token.ts';
import { shared } from './styles.ts';

/**
 * `<sc-dashboard>`: signs the creator in, keeps one `/streaming` connection for every view,
 * and shows the view the URL names.
 */
export class Dashboard extends LitElement {
  static override properties = {
    creator: { state: true },
    route: { state: true },
    mode: { state: true },
    status: { state: true },
    bootError: { state: true },
  };

  declare creator: CreatorDto | null | undefined;
  declare route: Route;
  declare mode: 'local' | 'sso';
  declare status: ConnectionStatus;
  declare bootError: string | undefined;

  readonly client = createClient({ baseUrl: '', token: storedToken() });
  connection: LiveConnection | undefined;
  #stopStatus: (() => void) | undefined;
  #stopUnit: (() => void) | undefined;
  readonly #onHashChange = () => (this.route = parseRoute(location.hash));
  /** A token from the URL fragment, until the server's sign-in mode is known. */
  #handedOver: string | undefined;

  constructor() {
    super();
    this.creator = undefined;
    this.route = parseRoute(location.hash);
    this.mode = 'local';
    this.status = 'connecting';
    this.bootError = undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    addEventListener('hashchange', this.#onHashChange);
    void this.#boot();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener('hashchange', this.#onHashChange);
    this.#closeConnection();
  }

  async #boot(): Promise<void> {
    // Off the address bar at once, whatever the mode; kept here until the mode says whether to use it.
    const taken = takeHandedOverToken(location, history);
    if (taken) {
      this.#handedOver = taken;
      this.route = parseRoute(location.hash);
    }
    try {
      this.mode = await this.client.auth.mode();
      // Only an SSO platform hands a token over. With local accounts a `#token=` link is someone
      // else's token (a link crafted to sign the visitor in as another creator): ignored.
      if (this.#handedOver && this.mode === 'sso') {
        storeToken(this.#handedOver);
        this.client.setToken(this.#handedOver);
      }
      this.#handedOver = undefined;
      this.creator = this.client.token ? await this.client.auth.me() : null;
      this.bootError = undefined;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        this.#signedOut();
        return;
      }
      this.bootError = describeError(error);
      return;
    }
    if (this.creator) this.#openConnection();
  }

  #signedIn = (event: CustomEvent<{ token: string; creator: CreatorDto }>) => {
    storeToken(event.detail.token);
    this.client.setToken(event.detail.token);
    this.creator = event.detail.creator;
    this.#openConnection();
    location.hash = '#/live';
  };

  #logOut = () => {
    this.#signedOut();
    location.hash = '#/login';
  };

  /** A call answered 401 (token revoked or expired): back to the sign-in screen. */
  #onUnauthorized = () => this.#signedOut();

  #signedOut(): void {
    this.#closeConnection();
    storeToken(null);
    this.client.setToken(null);
    this.creator = null;
    displayUnit.reset();
  }

  #openConnection(): void {
    this.#closeConnection();
    this.connection = this.client.connect();
    this.#stopStatus = this.connection.onStatus((status) => (this.status = status));
    this.#stopUnit = displayUnit.follow(this.client, this.connection);
  }

  #closeConnection(): void {
    this.#stopStatus?.();
    this.#stopUnit?.();
    this.connection?.close();
    this.connection = undefined;
  }

  override render() {
    if (this.bootError) {
      return html`<main class="center"><div class="panel" role="alert">
        <p>${this.bootError}</p>
        <button class="primary" @click=${() => void this.#boot()}>Try again</button>
      </div></main>`;
    }
    if (this.creator === undefined) return html`<main class="center"><p class="muted" role="status">Loading…</p></main>`;
    if (this.creator === null) {
      return html`<main class="center">
        <sc-auth-view .client=${this.client} .mode=${this.mode} .view=${this.route.view === 'signup' ? 'signup' : 'login'} @signed-in=${this.#signedIn}></sc-auth-view>
      </main>`;
    }
    return html`
      <header>
        <span class="brand">Streaming Companion</span>
        <nav aria-label="Main">
          ${NAV.map(
            (item) => html`<a href="#/${item.view}" aria-current=${this.route.view === item.view ? 'page' : 'false'}>${item.label}</a>`,
          )}
        </nav>
        <span class="account">
          <span class="clip muted">${this.creator.displayName}</span>
          <button class="small" @click=${this.#logOut}>Log out</button>
        </span>
      </header>
      ${this.status === 'reconnecting'
        ? html`<div class="banner" role="status">Connection lost. Reconnecting… live updates resume by themselves.</div>`
        : nothing}
      <main @unauthorized=${this.#onUnauthorized}>${this.#view()}</main>
    `;
  }

  #view() {
    const { client, connection } = this;
    switch (this.route.view) {
      case 'menu':
        return html`<sc-menu-view .client=${client} .connection=${connection} .connectionStatus=${this.status} .creatorId=${this.creator!.id}></sc-menu-view>`;
      case 'animations':
        return html`<sc-animations-view .client=${client} .connection=${connection} .connectionStatus=${this.status}></sc-animations-view>`;
      case 'widgets':
        return html`<sc-widgets-view .client=${client} .connection=${connection} .tab=${this.route.tab}></sc-widgets-view>`;
      case 'rehearsal':
        return html`<sc-rehearsal-view .client=${client} .connection=${connection} .connectionStatus=${this.status}></sc-rehearsal-view>`;
      case 'platforms':
        return html`<sc-platforms-view .client=${client} .connection=${connection} .connectionStatus=${this.status}></sc-platforms-view>`;
      case 'chatbot':
        return html`<sc-chatbot-view .client=${client}></sc-chatbot-view>`;
      case 'voice':
        return html`<sc-voice-view .client=${client}></sc-voice-view>`;
      case 'history':
        return this.route.sessionId
          ? html`<sc-session-detail .client=${client} .sessionId=${this.route.sessionId}></sc-session-detail>`
          : html`<sc-history-view .client=${client}></sc-history-view>`;
      case 'analytics':
        return html`<sc-analytics-view .client=${client}></sc-analytics-view>`;
      case 'webhooks':
        return html`<sc-webhooks-view .client=${client} .connection=${connection} .connectionStatus=${this.status}></sc-webhooks-view>`;
      case 'tokens':
        return html`<sc-tokens-view .client=${client}></sc-tokens-view>`;
      default:
        return html`<sc-live-view .client=${client} .connection=${connection} .connectionStatus=${this.status}></sc-live-view>`;
    }
  }

  static override styles = [
    shared,
    css`
      header {
        display: flex;
        align-items: center;
        gap: 1rem;
        padding: 0.75rem 1.25rem;
        border-bottom: 1px solid var(--border);
        background: var(--panel);
        flex-wrap: wrap;
      }
      .brand {
        font-weight: 700;
        letter-spacing: 0.02em;
      }
      nav {
        display: flex;
        gap: 0.25rem;
        flex: 1;
        flex-wrap: wrap;
      }
      nav a {
        color: var(--muted);
        text-decoration: none;
        padding: 0.4rem 0.7rem;
        border-radius: 8px;
      }
      nav a[aria-current='page'] {
        color: var(--text);
        background: var(--panel-2);
      }
      .account {
        display: flex;
        align-items: center;
        gap: 0.5rem;
        max-width: 100%;
      }
      main {
        padding: 1.25rem;
        max-width: 1200px;
        margin: 0 auto;
      }
      main.center {
        display: grid;
        place-items: center;
        min-height: 80vh;
      }
      .banner {
        background: #3b2f0b;
        color: var(--warn);
        padding: 0.5rem 1.25rem;
        text-align: center;
      }
      @media (max-width: 640px) {
        header {
          gap: 0.5rem;
        }
        nav {
          order: 3;
          flex-basis: 100%;
        }
        main {
          padding: 0.75rem;
        }
      }
    `,
  ];
}
