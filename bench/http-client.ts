import { Agent, request } from 'node:http';

export interface BenchResponse {
  status: number;
  body: unknown;
}

export interface BenchRequest {
  token?: string;
  headers?: Record<string, string>;
  body?: unknown;
}

/** A connection the server has not accepted in this long is given up, as `fetch` gives up on one; an accepted request waits for its answer. */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * The load the benchmarks send, as `node:http` requests on kept-alive connections. The
 * benchmarks share this two-core machine with the server they measure, so whatever the client
 * spends is taken from the server: in B2, whose client runs in the server's process, that
 * process spent 0.4–0.7 ms less CPU a tip with this than with `fetch` (undici), of 2.1–2.5 ms.
 */
export class BenchClient {
  readonly #base: string;
  readonly #agent = new Agent({ keepAlive: true });

  constructor(base: string) {
    this.#base = base;
  }

  get(path: string, options: BenchRequest = {}): Promise<BenchResponse> {
    return this.#request('GET', path, options);
  }

  post(path: string, options: BenchRequest = {}): Promise<BenchResponse> {
    return this.#request('POST', path, options);
  }

  close(): void {
    this.#agent.destroy();
  }

  #request(method: string, path: string, { token, headers, body }: BenchRequest): Promise<BenchResponse> {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const sent: Record<string, string | number> = { ...headers };
    if (token) sent.authorization = `Bearer ${token}`;
    if (data !== undefined) Object.assign(sent, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) });
    return new Promise((resolve, reject) => {
      const req = request(this.#base + path, { method, agent: this.#agent, headers: sent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode!, body: text && res.headers['content-type']?.includes('json') ? JSON.parse(text) : text });
        });
      });
      req.on('socket', (socket) => {
        if (!socket.connecting) return; // a kept-alive connection, accepted long ago
        socket.setTimeout(CONNECT_TIMEOUT_MS, () => req.destroy(new Error(`${method} ${path}: not accepted in ${CONNECT_TIMEOUT_MS} ms`)));
        socket.once('connect', () => socket.setTimeout(0));
      });
      req.on('error', reject);
      req.end(data);
    });
  }
}
