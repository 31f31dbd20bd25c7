import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { LiveConnection, StreamingCompanionClient, StreamSessionDto } from '@streaming-companion/client';

type Host = ReactiveControllerHost & { client: StreamingCompanionClient };

/**
 * The creator's live session, for a view other than the live view (the menu's sales, the
 * animations' play buttons): fetched when the view appears, followed as sessions start and end
 * anywhere (the server tells every connection of the creator), and joined on the connection so
 * the session's broadcasts reach the view. The host re-renders on every change.
 */
export class LiveSessionController implements ReactiveController {
  /** undefined while loading, null when no session is live. */
  session: StreamSessionDto | null | undefined = undefined;
  readonly #host: Host;
  readonly #onError: (error: unknown) => void;
  #connection: LiveConnection | undefined;
  #stop: (() => void) | undefined;
  /** Only the latest fetch may set the session: an older answer arriving late would be stale. */
  #loads = 0;

  constructor(host: Host, onError: (error: unknown) => void) {
    this.#host = host;
    this.#onError = onError;
    host.addController(this);
  }

  hostConnected(): void {
    void this.reload();
  }

  hostDisconnected(): void {
    this.#stop?.();
    this.#stop = undefined;
    this.#connection = undefined;
  }

  /** Listen on this connection from now on; call it whenever the host's connection changes. */
  follow(connection: LiveConnection | undefined): void {
    if (connection === this.#connection && this.#stop) return;
    this.#stop?.();
    this.#connection = connection;
    this.#stop = connection?.on('session_updated', (update) => {
      if (update.status === 'active' && update.sessionId !== this.session?.id) void this.reload();
      else if (update.status === 'ended' && update.sessionId === this.session?.id) this.#set(null);
    });
    this.#join();
  }

  async reload(): Promise<void> {
    const load = ++this.#loads;
    try {
      const session = await this.#host.client.sessions.active();
      if (load === this.#loads) this.#set(session);
    } catch (error) {
      this.#onError(error);
    }
  }

  #set(session: StreamSessionDto | null): void {
    const changed = session?.id !== this.session?.id;
    this.session = session;
    if (changed) this.#join();
    this.#host.requestUpdate();
  }

  #join(): void {
    if (this.#connection && this.session?.status === 'active') this.#connection.joinSession(this.session.id).catch((error: unknown) => this.#onError(error));
  }
}
