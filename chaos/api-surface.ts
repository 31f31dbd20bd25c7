/**
 * What the fuzz and cross-creator chaos tests share: a kernel with every first-party plugin, the
 * API read from its own OpenAPI document, a snapshot of the database to prove nothing was
 * written, the problem+json checks, and a raw socket.io client that sends frames byte for byte
 * (NaN, 1e309, 10,000 levels of nesting: what socket.io-client would not encode).
 */
import { kernelEvents, type CommandRef } from '@streaming-companion/sdk';
import { startTestKernel, type TestKernel } from '@streaming-companion/testing';
import pino from 'pino';
// The server's own plugin list, so every route it serves is fuzzed and tried across creators.
import { firstPartyPlugins } from '../apps/server/src/plugins.ts';


export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** A kernel with every first-party plugin, and the error lines it logs (a 500 or a failed socket handler logs one). */
export async function startFullKernel(): Promise<{ t: TestKernel; errors: LogLine[] }> {
  const errors: LogLine[] = [];
  const logger = pino({ level: 'error' }, { write: (line: string) => void errors.push(JSON.parse(line) as LogLine) });
  // Webhook fixtures point at a closed port on this machine: one attempt each, so drain() never waits out a retry schedule.
  const t = await startTestKernel({ plugins: firstPartyPlugins, logger, pluginConfig: { webhooks: { allowPrivateNetworks: true, retryDelaysMs: [] } } });
  return { t, errors };
}

// ---------- the API, from its OpenAPI document ----------

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  maxItems?: number;
  $ref?: string;
  [key: string]: unknown;
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Operation {
  method: Method;
  /** The OpenAPI path, `/api/goals/{id}`. */
  path: string;
  /** Needs a creator's bearer token (`security` names bearerAuth). */
  auth: boolean;
  pathParams: string[];
  query: Array<{ name: string; required: boolean; schema: JsonSchema }>;
  body?: { schema: JsonSchema; required: boolean };
  /** The media types of a route that takes a file as its raw body (no JSON). */
  upload?: string[];
}

export const opName = (op: Operation) => `${op.method} ${op.path}`;

/** Every operation of `GET /api/docs/openapi.json`, `$ref`s resolved. */
export async function loadOperations(t: TestKernel): Promise<Operation[]> {
  const res = await t.http.get('/api/docs/openapi.json');
  if (res.status !== 200) throw new Error(`openapi.json answered ${res.status}`);
  const doc = res.body as { paths: Record<string, Record<string, any>>; components?: { schemas?: Record<string, JsonSchema> } };
  const resolve = (schema: JsonSchema | undefined, seen = 0): JsonSchema => {
    if (!schema) return {};
    if (seen > 20) return schema;
    if (schema.$ref) {
      const name = schema.$ref.replace('#/components/schemas/', '');
      return resolve(doc.components?.schemas?.[name], seen + 1);
    }
    const out: JsonSchema = { ...schema };
    if (schema.properties) out.properties = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, resolve(v, seen + 1)]));
    if (schema.items) out.items = resolve(schema.items, seen + 1);
    if (schema.anyOf) out.anyOf = schema.anyOf.map((s) => resolve(s, seen + 1));
    if (schema.oneOf) out.oneOf = schema.oneOf.map((s) => resolve(s, seen + 1));
    return out;
  };
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const parameters = (op.parameters ?? []) as Array<{ in: string; name: string; required?: boolean; schema?: JsonSchema }>;
      const body = op.requestBody?.content?.['application/json']?.schema as JsonSchema | undefined;
      const mediaTypes = Object.keys(op.requestBody?.content ?? {});
      ops.push({
        method: method.toUpperCase() as Method,
        path,
        auth: Array.isArray(op.security) && op.security.some((s: object) => 'bearerAuth' in s),
        pathParams: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!),
        query: parameters.filter((p) => p.in === 'query').map((p) => ({ name: p.name, required: p.required === true, schema: resolve(p.schema) })),
        body: body ? { schema: resolve(body), required: op.requestBody.required === true } : undefined,
        upload: !body && mediaTypes.length ? mediaTypes : undefined,
      });
    }
  }
  return ops;
}

/** `/api/goals/{id}` with each parameter replaced by its (already encoded) value. */
export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '');
}

/** Which creator resource a path parameter names, from the segment before it (`/api/goals/{id}` → goals). */
export function resourceOf(path: string, param: string): string | undefined {
  const segments = path.split('/');
  const at = segments.indexOf(`{${param}}`);
  return at > 0 ? segments[at - 1] : undefined;
}

/** The `/streaming` client→server commands: the kernel's and every plugin's contract. */
export function streamingCommands(t: TestKernel): CommandRef[] {
  return [...Object.values(kernelEvents.commands), ...t.kernel.plugins.flatMap((p) => Object.values(p.events?.commands ?? {}))];
}

// ---------- answers ----------

export interface Answer {
  status: number;
  contentType: string;
  text: string;
  /** Set when no HTTP answer came back at all (the connection was reset). */
  networkError?: string;
}

export async function send(
  t: TestKernel,
  method: string,
  path: string,
  options: { token?: string; body?: string | Uint8Array; contentType?: string | null; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.contentType) headers['content-type'] = options.contentType;
  // No content type at all: a Blob without a type sends none (a string body would say text/plain).
  const body = options.body === undefined ? undefined : options.contentType === null ? new Blob([options.body as BlobPart]) : (options.body as BodyInit);
  try {
    const res = await fetch(t.url + path, { method, headers, body });
    return { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text() };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { status: 0, contentType: '', text: '', networkError: `${(error as Error).message}: ${cause?.code ?? cause?.message ?? ''}` };
  }
}

/** A 1×1 PNG, and the header of an empty WAV: real files for the upload route (`POST /api/widgets/media`). */
export const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
export const WAV_HEADER = Buffer.from('UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YQAAAAA=', 'base64');

/** Upload a widget sound or image (raw body, its media type the Content-Type); the stored upload. */
export async function upload(t: TestKernel, token: string, kind: 'sound' | 'image', bytes: Uint8Array, contentType: string): Promise<{ id: string }> {
  const answer = await send(t, 'POST', `/api/widgets/media?kind=${kind}&name=fixture`, { token, body: bytes, contentType });
  if (answer.status >= 300) throw new Error(`upload ${kind}: ${answer.status} ${answer.text}`);
  return JSON.parse(answer.text) as { id: string };
}

export interface ProblemJson {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  errors?: Array<{ field?: unknown; rule?: unknown; message?: unknown }>;
  [key: string]: unknown;
}

/** What is wrong with a 4xx/5xx answer as a problem (empty when it is a proper one); the parsed body. */
export function problemFaults(answer: Answer): { faults: string[]; problem?: ProblemJson } {
  const faults: string[] = [];
  if (!answer.contentType.startsWith('application/problem+json')) faults.push(`content-type is "${answer.contentType}", not application/problem+json`);
  let problem: ProblemJson | undefined;
  try {
    problem = JSON.parse(answer.text) as ProblemJson;
  } catch {
    faults.push(`body is not JSON: ${answer.text.slice(0, 120)}`);
    return { faults };
  }
  if (problem.status !== answer.status) faults.push(`status member ${problem.status} ≠ ${answer.status}`);
  if (typeof problem.code !== 'string' || !problem.code) faults.push('no code');
  if (problem.code === 'validation_failed') {
    const errors = problem.errors;
    if (!Array.isArray(errors) || errors.length === 0) faults.push('validation_failed without errors');
    else {
      for (const e of errors) {
        // Schema failures name `body.…`, `query.…`, `params.…`; a handler's own names its field bare (`ids`, `Idempotency-Key`).
        if (typeof e.field !== 'string' || !e.field) faults.push(`error names no field: ${JSON.stringify(e)}`);
        if (typeof e.rule !== 'string' || typeof e.message !== 'string') faults.push(`error without rule or message: ${JSON.stringify(e)}`);
      }
    }
  }
  if (/\bat .+\.(ts|js):\d+/.test(answer.text)) faults.push('a stack trace in the answer');
  return { faults, problem };
}

// ---------- the database ----------

/** Columns that change on their own after a commit (outbox delivery bookkeeping). */
const VOLATILE_COLUMNS = new Set(['claimed_until', 'dispatched_at']);

/**
 * Every row of every table, as sorted JSON lines per table; `keep` filters rows (by their JSON).
 * Call after `t.drain()`, so subscribers have done what they will.
 */
export async function databaseSnapshot(t: TestKernel, keep: (rowJson: string) => boolean = () => true): Promise<Record<string, string[]>> {
  const conn = t.kernel.forkEm().getConnection();
  const tables = await conn.execute<Array<{ table_name: string }>>(
    `select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`,
  );
  const snapshot: Record<string, string[]> = {};
  for (const { table_name: table } of tables) {
    const rows = await conn.execute<Array<Record<string, unknown>>>(`select * from "${table}"`);
    snapshot[table] = rows
      .map((row) => JSON.stringify(Object.fromEntries(Object.entries(row).filter(([column]) => !VOLATILE_COLUMNS.has(column))), jsonSafe))
      .filter(keep)
      .sort();
  }
  return snapshot;
}

const jsonSafe = (_key: string, value: unknown) => (typeof value === 'bigint' ? value.toString() : value);

/** Tables whose rows differ, with what was added and removed (for a readable failure). */
export function snapshotDiff(before: Record<string, string[]>, after: Record<string, string[]>): Record<string, { added: string[]; removed: string[] }> {
  const diff: Record<string, { added: string[]; removed: string[] }> = {};
  for (const table of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = new Set(before[table] ?? []);
    const b = new Set(after[table] ?? []);
    const added = [...b].filter((r) => !a.has(r)).map((r) => r.slice(0, 400));
    const removed = [...a].filter((r) => !b.has(r)).map((r) => r.slice(0, 400));
    if (added.length || removed.length) diff[table] = { added, removed };
  }
  return diff;
}

// ---------- a raw socket.io client ----------

export interface Ack {
  ok: boolean;
  data?: unknown;
  error?: { code: string; message: string; errors?: Array<{ field: string; rule: string; message: string }> };
}

/**
 * socket.io (engine.io 4) over a bare WebSocket, one namespace: sends each event's payload as
 * the exact text given, so it can carry what JSON.stringify would not write.
 */
export class RawSocketIo {
  readonly events: Array<{ name: string; args: unknown[] }> = [];
  readonly #ws: WebSocket;
  readonly #namespace: string;
  readonly #acks = new Map<number, (args: unknown[]) => void>();
  #nextAck = 1;
  #closed: { code: number; reason: string } | undefined;
  #closeWaiters: Array<() => void> = [];

  private constructor(ws: WebSocket, namespace: string) {
    this.#ws = ws;
    this.#namespace = namespace;
  }

  /** Connected to `namespace` (with `auth`), or rejects with the server's refusal. */
  static connect(baseUrl: string, namespace: string, auth?: Record<string, unknown>): Promise<RawSocketIo> {
    const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`);
    const socket = new RawSocketIo(ws, namespace);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no connect on ${namespace} within 10 s`)), 10_000);
      ws.addEventListener('message', (event) => {
        const frame = String(event.data);
        if (frame.startsWith('0')) ws.send(`40${namespace},${auth ? JSON.stringify(auth) : ''}`);
        else if (frame.startsWith(`40${namespace},`)) {
          clearTimeout(timer);
          resolve(socket);
        } else if (frame.startsWith(`44${namespace},`)) {
          clearTimeout(timer);
          reject(new Error(frame.slice(`44${namespace},`.length)));
        }
        socket.#onFrame(frame);
      });
      ws.addEventListener('close', (event) => {
        clearTimeout(timer);
        socket.#closed = { code: event.code, reason: event.reason };
        for (const waiter of socket.#closeWaiters.splice(0)) waiter();
        reject(new Error(`closed before connecting (${event.code})`));
      });
      ws.addEventListener('error', () => {});
    });
  }

  get connected(): boolean {
    return !this.#closed && this.#ws.readyState === WebSocket.OPEN;
  }

  get closed(): { code: number; reason: string } | undefined {
    return this.#closed;
  }

  /** Resolves once the connection has closed (within `timeoutMs`), with whether it did. */
  waitForClose(timeoutMs: number): Promise<boolean> {
    if (this.#closed) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.#closeWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /** Emit `event` with `payloadJson` (raw text; undefined sends no payload), wait for its ack. */
  emitWithAck(event: string, payloadJson: string | undefined, timeoutMs = 10_000): Promise<Ack> {
    const id = this.#nextAck++;
    const args = payloadJson === undefined ? JSON.stringify(event) : `${JSON.stringify(event)},${payloadJson}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#acks.delete(id);
        reject(new Error(`no ack for "${event}" within ${timeoutMs} ms${this.#closed ? ` (closed ${this.#closed.code})` : ''}`));
      }, timeoutMs);
      this.#acks.set(id, (ackArgs) => {
        clearTimeout(timer);
        resolve(ackArgs[0] as Ack);
      });
      this.sendFrame(`42${this.#namespace},${id}[${args}]`);
    });
  }

  /** A frame exactly as given (engine.io packet type included). */
  sendFrame(frame: string): void {
    if (this.#ws.readyState === WebSocket.OPEN) this.#ws.send(frame);
  }

  close(): void {
    this.#ws.close();
  }

  #onFrame(frame: string): void {
    if (frame === '2') return this.sendFrame('3');
    const prefix = (type: string) => `${type}${this.#namespace},`;
    if (frame.startsWith(prefix('42'))) {
      const [name, ...args] = JSON.parse(frame.slice(prefix('42').length)) as [string, ...unknown[]];
      this.events.push({ name, args });
    } else if (frame.startsWith(prefix('43'))) {
      const rest = frame.slice(prefix('43').length);
      const at = rest.indexOf('[');
      this.#acks.get(Number(rest.slice(0, at)))?.(JSON.parse(rest.slice(at)) as unknown[]);
      this.#acks.delete(Number(rest.slice(0, at)));
    }
  }
}
