import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Chaturbate Events API, answering exactly as the real one documents:
 * `GET /events/<username>/<token>/?i=<last id>&timeout=<seconds>` holds the request until there
 * are events after `i` (or `timeout` passes), then answers `{ events, nextUrl }`; 401 for a
 * token it does not know. Tests push events, script failures (5xx/429 bursts, a "waited too
 * long" 400, connection resets), take it off the network, and read every request it got.
 */

export interface FakeEvent {
  method: string;
  id: string;
  object: Record<string, unknown>;
}

export type EventInput = Omit<FakeEvent, 'id'> & { id?: string };

export interface RecordedRequest {
  username: string;
  /** The `i` the request resumed after (null: from the start). */
  after: string | null;
  timeout: number | null;
  status: number;
  /** The ids of the events answered. */
  eventIds: string[];
  startedAt: number;
  endedAt: number;
}

/** A scripted answer for a coming request: an HTTP status, a "waited too long" 400 resuming after `resumeAfter`, or a dropped connection. */
export type ScriptedAnswer = number | { waitedTooLong: { resumeAfter: string | null } } | 'reset';

interface Room {
  token: string;
  revoked: boolean;
  log: FakeEvent[];
  /** Already delivered events to send again at the head of the next answer. */
  redeliver: FakeEvent[];
  script: ScriptedAnswer[];
  waiters: Set<() => void>;
  inFlight: number;
  maxInFlight: number;
}

export class FakeEventsApi {
  readonly #rooms = new Map<string, Room>();
  readonly #requests: RecordedRequest[] = [];
  #server: Server;
  #port = 0;
  #nextId = 1;

  private constructor() {
    this.#server = this.#newServer();
  }

  static async start(): Promise<FakeEventsApi> {
    const api = new FakeEventsApi();
    await api.#listen(0);
    return api;
  }

  /** What the plugin's `baseUrl` should be. */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.#port}/events/`;
  }

  eventsUrl(username: string, token: string): string {
    return `${this.baseUrl}${username}/${token}/`;
  }

  /** Open a room whose Events URL takes this token. */
  room(username: string, token: string): string {
    this.#rooms.set(username, { token, revoked: false, log: [], redeliver: [], script: [], waiters: new Set(), inFlight: 0, maxInFlight: 0 });
    return this.eventsUrl(username, token);
  }

  /** Queue events in the room (ids given or made up); waiting polls answer at once. Answers the ids. */
  push(username: string, ...events: EventInput[]): string[] {
    const room = this.#room(username);
    const added = events.map((e) => ({ ...e, id: e.id ?? `${Date.now()}-${this.#nextId++}` }));
    room.log.push(...added);
    this.#wake(room);
    return added.map((e) => e.id);
  }

  /** The next answer with events starts with these (already delivered) events again, as a platform redelivering would. */
  redeliver(username: string, ...ids: string[]): void {
    const room = this.#room(username);
    room.redeliver.push(...ids.map((id) => room.log.find((e) => e.id === id)!));
    this.#wake(room);
  }

  /** The room's next requests get these answers, in order, before it answers normally again. */
  script(username: string, ...answers: ScriptedAnswer[]): void {
    this.#room(username).script.push(...answers);
  }

  /** The token stops working: every request after this is a 401. */
  revoke(username: string): void {
    this.#room(username).revoked = true;
  }

  requests(username: string): RecordedRequest[] {
    return this.#requests.filter((r) => r.username === username);
  }

  /** Whether a poll of the room resuming after `after` (null: from the start) is being held open right now. */
  isHolding(username: string, after: string | null): boolean {
    return this.requests(username).some((r) => r.status === 0 && r.after === after);
  }

  /** The most polls of this room that were open at one time. */
  maxInFlight(username: string): number {
    return this.#room(username).maxInFlight;
  }

  /** Off the network: the port refuses connections (open polls are cut) until `online()`. */
  async offline(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** Back on the same port. */
  async online(): Promise<void> {
    this.#server = this.#newServer();
    await this.#listen(this.#port);
  }

  async close(): Promise<void> {
    for (const room of this.#rooms.values()) this.#wake(room);
    if (this.#server.listening) await this.offline();
  }

  #newServer(): Server {
    return createServer((req, res) => void this.#handle(req, res));
  }

  async #listen(port: number): Promise<void> {
    this.#server.listen(port, '127.0.0.1');
    await once(this.#server, 'listening');
    this.#port = (this.#server.address() as AddressInfo).port;
  }

  #room(username: string): Room {
    const room = this.#rooms.get(username);
    if (!room) throw new Error(`no fake room ${username}`);
    return room;
  }

  #wake(room: Room): void {
    for (const wake of room.waiters) wake();
    room.waiters.clear();
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const match = /^\/events\/([^/]+)\/([^/]+)\/$/.exec(url.pathname);
    const room = match ? this.#rooms.get(match[1]!) : undefined;
    const after = url.searchParams.get('i');
    const timeout = url.searchParams.has('timeout') ? Number(url.searchParams.get('timeout')) : null;
    const record: RecordedRequest = { username: match?.[1] ?? '', after, timeout, status: 0, eventIds: [], startedAt: Date.now(), endedAt: 0 };
    this.#requests.push(record);
    const answer = (status: number, body: object) => {
      record.status = status;
      record.endedAt = Date.now();
      if (!res.destroyed) res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (req.method !== 'GET' || !match || !room) return answer(404, { status: 'not found' });
    if (room.revoked || match[2] !== room.token) return answer(401, { status: 'Unauthorized' });
    room.inFlight++;
    room.maxInFlight = Math.max(room.maxInFlight, room.inFlight);
    try {
      const scripted = room.script.shift();
      if (scripted === 'reset') {
        record.status = -1;
        record.endedAt = Date.now();
        res.socket?.destroy();
        return;
      }
      if (typeof scripted === 'number') return answer(scripted, { status: `scripted ${scripted}` });
      if (scripted) {
        return answer(400, {
          status: 'waited too long or too many events in queue, please use the following url to resume',
          nextUrl: this.#nextUrl(match[1]!, room.token, scripted.waitedTooLong.resumeAfter),
        });
      }
      let events = this.#pending(room, after);
      if (!events.length && (timeout ?? 10) > 0) {
        // Long poll: held until events come (or the client goes), at most `timeout` seconds.
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, (timeout ?? 10) * 1_000);
          function done() {
            clearTimeout(timer);
            room!.waiters.delete(done);
            resolve();
          }
          room.waiters.add(done);
          res.once('close', done);
        });
        events = this.#pending(room, after);
      }
      record.eventIds = events.map((e) => e.id);
      answer(200, { events, nextUrl: this.#nextUrl(match[1]!, room.token, events.at(-1)?.id ?? after) });
    } finally {
      room.inFlight--;
    }
  }

  /** Redeliveries first, then what the log holds after `after`. */
  #pending(room: Room, after: string | null): FakeEvent[] {
    const start = after === null ? 0 : room.log.findIndex((e) => e.id === after) + 1;
    const fresh = room.log.slice(start);
    if (!fresh.length && !room.redeliver.length) return [];
    return [...room.redeliver.splice(0), ...fresh];
  }

  #nextUrl(username: string, token: string, after: string | null): string {
    const next = new URL(this.eventsUrl(username, token));
    if (after !== null) next.searchParams.set('i', after);
    next.searchParams.set('timeout', '10');
    return next.toString();
  }
}

/** Event objects as the Events API sends them. */
const user = (username: string, extra: Record<string, unknown> = {}) => ({
  username,
  inFanclub: false,
  hasTokens: true,
  isMod: false,
  gender: 'm',
  recentTips: 'none',
  ...extra,
});

export const cb = {
  tip: (username: string, tokens: number, options: { isAnon?: boolean; message?: string; id?: string; user?: Record<string, unknown> } = {}): EventInput => ({
    method: 'tip',
    id: options.id,
    object: { tip: { tokens, isAnon: options.isAnon ?? false, message: options.message ?? '' }, user: user(username, options.user), broadcaster: 'creator' },
  }),
  chat: (username: string, message: string, userExtra: Record<string, unknown> = {}): EventInput => ({
    method: 'chatMessage',
    object: { message: { message, color: '#494949', font: 'default', bgColor: null }, user: user(username, userExtra), broadcaster: 'creator' },
  }),
  enter: (username: string): EventInput => ({ method: 'userEnter', object: { user: user(username), broadcaster: 'creator' } }),
  leave: (username: string): EventInput => ({ method: 'userLeave', object: { user: user(username), broadcaster: 'creator' } }),
  broadcastStart: (): EventInput => ({ method: 'broadcastStart', object: { user: user('creator'), broadcaster: 'creator' } }),
  broadcastStop: (): EventInput => ({ method: 'broadcastStop', object: { user: user('creator'), broadcaster: 'creator' } }),
  other: (method: string): EventInput => ({ method, object: { user: user('someone'), broadcaster: 'creator' } }),
};
