import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw body, as signed. */
  body: string;
}

/**
 * A webhook receiver on this machine (port 0): records every request with its raw body, and
 * answers the statuses scripted for it, in order, then 200. Tests wait on its requests, never on time.
 */
export class TestReceiver {
  readonly requests: ReceivedRequest[] = [];
  /** TCP connections accepted, HTTP or not: a refused delivery must make none. */
  connections = 0;
  /** Per path, the statuses its next requests get. */
  readonly #scripts = new Map<string, number[]>();
  readonly #server: Server;

  private constructor() {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        const status = this.#scripts.get(req.url ?? '')?.shift() ?? 200;
        res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : `receiver says no (${status})`);
      });
    });
    this.#server.on('connection', () => this.connections++);
  }

  static async start(): Promise<TestReceiver> {
    const receiver = new TestReceiver();
    receiver.#server.listen(0, '127.0.0.1');
    await once(receiver.#server, 'listening');
    return receiver;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  /** A URL on this receiver, with a path of its own so tests tell their requests apart. */
  url(path: string, host = '127.0.0.1'): string {
    return `http://${host}:${this.port}/${path}`;
  }

  /** The requests that came to a path. */
  to(path: string): ReceivedRequest[] {
    return this.requests.filter((request) => request.path === `/${path}`);
  }

  /** Answer the next requests to a path with these statuses (then 200 again). */
  answer(path: string, ...statuses: number[]): void {
    this.#scripts.set(`/${path}`, [...(this.#scripts.get(`/${path}`) ?? []), ...statuses]);
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    this.#server.close();
    await once(this.#server, 'close');
  }
}
