import { ApiError, errorFromResponse } from './api-error.ts';

export interface RestOptions {
  baseUrl: string;
  token: () => string | null;
  fetch: typeof fetch;
}

export interface CallOptions {
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  headers?: Record<string, string>;
  /** A raw body (a file to upload) sent as is with its media type, instead of a JSON `body`. */
  upload?: { bytes: Blob | Uint8Array; mediaType: string };
}

/** One JSON call: bearer auth, query string, problem+json → ApiError, 204 → undefined. */
export async function call<T>(rest: RestOptions, method: string, path: string, options: CallOptions = {}): Promise<T> {
  const response = await send(rest, method, path, { ...options, headers: { accept: 'application/json', ...options.headers } });
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** A call whose successful response is handed back unread (a CSV to stream); a failure still throws ApiError. */
export async function send(rest: RestOptions, method: string, path: string, options: CallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers };
  const token = rest.token();
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.upload) headers['content-type'] = options.upload.mediaType;
  let response: Response;
  try {
    response = await rest.fetch(`${rest.baseUrl}${path}${queryString(options.query)}`, {
      method,
      headers,
      body: options.upload ? (options.upload.bytes as BodyInit) : options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch (cause) {
    throw Object.assign(new ApiError({ status: 0, code: 'unreachable', detail: 'the server could not be reached' }), { cause });
  }
  if (!response.ok) throw errorFromResponse(response.status, await response.json().catch(() => undefined));
  return response;
}

function queryString(query: CallOptions['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}
