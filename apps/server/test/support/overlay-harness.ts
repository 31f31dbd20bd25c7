import { randomBytes } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { inflateSync } from 'node:zlib';
import { chromium, type Browser, type Page, type Request, type WebSocket } from 'playwright-core';

/**
 * What the real-browser overlay tests share: the real server as a child process (the way
 * `server.test.ts` starts it), a small typed API client, Debian's chromium through
 * playwright-core, a watcher for the page's socket.io traffic, and a PNG reader.
 * Every wait ends on a log line, an exit, a frame or a DOM state, never on a timer.
 */

export { repoRoot, ServerProcess } from './server-process.ts';
import { ServerProcess } from './server-process.ts';


/** A port nobody is listening on right now (ask the OS for one, then let it go), so a restart can reuse it. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      if (!address || typeof address === 'string') return reject(new Error('no port'));
      probe.close(() => resolve(address.port));
    });
  });
}


/**
 * The server on a given port and data dir, embedded mode (plus `env`); resolves with its origin once it logs `listening`.
 * A browser suite signs up a creator per test from one address: more than a real address's signup limit.
 */
export async function startServer(port: number, dataDir: string, env: Record<string, string> = {}): Promise<{ server: ServerProcess; base: string }> {
  const server = new ServerProcess([], { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', SIGNUP_MAX_PER_ADDRESS: '10000', ...env });
  const line = await server.waitFor((l) => l.msg === 'listening', 'the "listening" line');
  return { server, base: new URL(String(line.url)).origin };
}

/**
 * A TCP proxy in front of the server, so a test can cut a page's connection for a moment
 * (a network blip) while the server keeps running: `cut()` destroys every connection and
 * refuses new ones, `mend()` lets them through again.
 */
export class TcpProxy {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  #refusing = false;
  port = 0;

  constructor(targetPort: number) {
    this.#server = createServer((incoming) => {
      if (this.#refusing) return void incoming.destroy();
      const outgoing = connect(targetPort, '127.0.0.1');
      for (const [a, b] of [[incoming, outgoing], [outgoing, incoming]] as const) {
        this.#sockets.add(a);
        a.on('error', () => b.destroy());
        a.on('close', () => {
          this.#sockets.delete(a);
          b.destroy();
        });
        a.pipe(b);
      }
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.port = (this.#server.address() as { port: number }).port;
    return `http://127.0.0.1:${this.port}`;
  }

  cut(): void {
    this.#refusing = true;
    for (const socket of this.#sockets) socket.destroy();
  }

  mend(): void {
    this.#refusing = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

export interface TipResponse {
  id: string;
  amountCents: number;
  tokens: number | null;
  tipperName: string | null;
  message: string | null;
}

/** One creator on the server, driving the REST API with fetch. `base` is read on every call so a restarted server is reached. */
export class CreatorClient {
  readonly #base: () => string;
  readonly token: string;

  private constructor(base: () => string, token: string) {
    this.#base = base;
    this.token = token;
  }

  static async signup(base: () => string, displayName = 'Overlay Test'): Promise<CreatorClient> {
    const email = `overlay-${randomBytes(5).toString('hex')}@example.test`;
    const body = await request<{ token: string }>(base(), 'POST', '/api/auth/signup', undefined, {
      email,
      password: 'correct horse battery staple',
      displayName,
    });
    return new CreatorClient(base, body.token);
  }

  call<T>(method: string, path: string, body?: unknown): Promise<T> {
    return request<T>(this.#base(), method, path, this.token, body);
  }

  async overlayKey(): Promise<string> {
    return (await this.call<{ overlayKey: string }>('GET', '/api/overlay-key')).overlayKey;
  }

  async startSession(): Promise<string> {
    return (await this.call<{ id: string }>('POST', '/api/sessions', { platform: 'chaturbate' })).id;
  }

  tip(sessionId: string, tip: { amountCents?: number; tokens?: number; tipperName?: string; message?: string }): Promise<TipResponse> {
    return this.call<TipResponse>('POST', '/api/tips', { sessionId, ...tip });
  }

  async goal(sessionId: string, title: string, targetCents: number): Promise<string> {
    return (await this.call<{ id: string }>('POST', '/api/goals', { sessionId, title, targetCents })).id;
  }
}

async function request<T>(base: string, method: string, path: string, token: string | undefined, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--autoplay-policy=no-user-gesture-required',
];

/** Debian's chromium; never a downloaded one. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** Runs in every page before its scripts: records the widgets' CustomEvents in `window.__scEvents`. */
export const RECORD_EVENTS_SCRIPT = `
  window.__scEvents = [];
  for (const type of ['sc-alert-start', 'sc-alert-end', 'sc-animation-start']) {
    window.addEventListener(type, (event) => {
      window.__scEvents.push({ type, detail: JSON.parse(JSON.stringify(event.detail ?? null)), at: performance.timeOrigin + performance.now() });
    }, true);
  }
`;

export interface ScEvent {
  type: 'sc-alert-start' | 'sc-alert-end' | 'sc-animation-start';
  detail: { tipId?: string; tipperName?: string | null; amountCents?: number; type?: string } | null;
  /** Epoch milliseconds (same clock as Date.now() in the test process). */
  at: number;
}

export function scEvents(page: Page): Promise<ScEvent[]> {
  return page.evaluate(() => (window as unknown as { __scEvents: ScEvent[] }).__scEvents);
}

/** One socket.io packet on the overlay namespace, as the page sent or received it. */
export interface OverlayPacket {
  direction: 'sent' | 'received';
  /** 2 event, 3 ack, 0 connect, 1 disconnect, 4 connect error. */
  type: number;
  /** The event name for events, undefined otherwise. */
  event?: string;
  args: unknown[];
  /** Epoch milliseconds when the test process saw it. */
  at: number;
}

/**
 * Watches a page's socket.io traffic on both transports (websocket frames, long-polling
 * requests): the packets on the overlay namespace (so a test knows when the server has
 * answered the page's `join_overlay` and which `tip_received` it got, in order), how many
 * connections the page has opened, and how many have failed or closed. Collects uncaught
 * page errors too.
 */
export class SocketWatch {
  readonly packets: OverlayPacket[] = [];
  attempts = 0;
  drops = 0;
  readonly pageErrors: Error[] = [];

  constructor(page: Page) {
    page.on('pageerror', (error) => this.pageErrors.push(error));
    page.on('websocket', (ws) => this.#watchWebSocket(ws));
    page.on('request', (req) => {
      if (!isSocketIo(req.url())) return;
      if (req.method() === 'GET' && new URL(req.url()).searchParams.get('sid') === null) this.attempts++;
      if (req.method() === 'POST') this.#take('sent', req.postData() ?? '');
    });
    page.on('requestfailed', (req) => {
      if (isSocketIo(req.url())) this.drops++;
    });
    page.on('requestfinished', (req) => void this.#pollResponse(req));
  }

  /** Packets sent to the server with this event name. */
  sent(event: string): OverlayPacket[] {
    return this.packets.filter((p) => p.direction === 'sent' && p.event === event);
  }

  /** Events received from the server with this name. */
  received(event: string): OverlayPacket[] {
    return this.packets.filter((p) => p.direction === 'received' && p.event === event);
  }

  /** Acks the server sent on the overlay namespace (the answers to `join_overlay` when the page asks for one). */
  acks(): OverlayPacket[] {
    return this.packets.filter((p) => p.direction === 'received' && p.type === 3);
  }

  /** The overlay traffic, for failure messages. */
  describe(): string {
    return this.packets.map((p) => `${p.direction === 'sent' ? '→' : '←'} ${p.type} ${p.event ?? ''} ${JSON.stringify(p.args).slice(0, 200)}`).join('\n');
  }

  #watchWebSocket(ws: WebSocket): void {
    if (!isSocketIo(ws.url())) return;
    this.attempts++;
    ws.on('framesent', ({ payload }) => this.#take('sent', String(payload)));
    ws.on('framereceived', ({ payload }) => this.#take('received', String(payload)));
    ws.on('socketerror', () => this.drops++);
    ws.on('close', () => this.drops++);
  }

  async #pollResponse(req: Request): Promise<void> {
    if (!isSocketIo(req.url()) || req.method() !== 'GET') return;
    try {
      const response = await req.response();
      if (response) this.#take('received', await response.text());
    } catch {
      // The page went away.
    }
  }

  #take(direction: OverlayPacket['direction'], payload: string): void {
    const at = Date.now();
    // Long-polling batches engine.io packets with a record separator; "4" is an engine.io message.
    for (const packet of payload.split('\x1e')) {
      const match = /^4(\d)\/streaming\/overlay,(\d*)(.*)$/s.exec(packet);
      if (!match) continue;
      const type = Number(match[1]);
      let args: unknown[] = [];
      try {
        const data: unknown = match[3] ? JSON.parse(match[3]) : [];
        args = Array.isArray(data) ? data : [data];
      } catch {
        args = [match[3]];
      }
      const event = type === 2 && typeof args[0] === 'string' ? (args.shift() as string) : undefined;
      this.packets.push({ direction, type, event, args, at });
    }
  }
}

const isSocketIo = (url: string) => url.includes('/socket.io/');

export interface Png {
  width: number;
  height: number;
  colorType: number;
  bitDepth: number;
  /** [r, g, b, a] of one pixel (a is 255 in an RGB image). */
  pixel(x: number, y: number): [number, number, number, number];
}

/**
 * A minimal PNG reader: 8-bit RGBA (color type 6) or RGB (2), non-interlaced, which is what
 * chromium writes (RGBA with omitBackground where anything is transparent).
 */
export function decodePng(data: Buffer): Png {
  if (!data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) throw new Error('not a PNG');
  let offset = 8;
  let width = 0;
  let height = 0;
  let bitDepth = 0;
  let colorType = 0;
  let interlace = 0;
  const idat: Buffer[] = [];
  while (offset < data.length) {
    const length = data.readUInt32BE(offset);
    const type = data.toString('latin1', offset + 4, offset + 8);
    const body = data.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      bitDepth = body[8];
      colorType = body[9];
      interlace = body[12];
    } else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    offset += 12 + length;
  }
  const png = { width, height, colorType, bitDepth };
  if (bitDepth !== 8 || (colorType !== 6 && colorType !== 2) || interlace !== 0) {
    return { ...png, pixel: () => { throw new Error(`unsupported PNG: bit depth ${bitDepth}, color type ${colorType}, interlace ${interlace}`); } };
  }
  const raw = inflateSync(Buffer.concat(idat));
  const bpp = colorType === 6 ? 4 : 3;
  const stride = width * bpp;
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = y * stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? pixels[out + x - bpp] : 0;
      const b = y > 0 ? pixels[out - stride + x] : 0;
      const c = x >= bpp && y > 0 ? pixels[out - stride + x - bpp] : 0;
      let predictor: number;
      switch (filter) {
        case 0: predictor = 0; break;
        case 1: predictor = a; break;
        case 2: predictor = b; break;
        case 3: predictor = (a + b) >> 1; break;
        case 4: {
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
          break;
        }
        default: throw new Error(`bad PNG filter ${filter} on row ${y}`);
      }
      pixels[out + x] = (line[x] + predictor) & 0xff;
    }
  }
  return {
    ...png,
    pixel(x, y) {
      const at = y * stride + x * bpp;
      return [pixels[at], pixels[at + 1], pixels[at + 2], bpp === 4 ? pixels[at + 3] : 255];
    },
  };
}
