import type { ProblemFieldError } from '@streaming-companion/sdk/contracts';

/** What the server said went wrong: an RFC 9457 problem over HTTP, or a socket ack's error. */
export interface ApiErrorInit {
  /** The HTTP status; 0 when the server could not be reached or the error came from a socket ack. */
  status: number;
  code: string;
  detail: string;
  errors?: ProblemFieldError[];
  /** Extra members of the problem, e.g. `activeSessionId` on a 409 `session_already_active`. */
  extra?: Record<string, unknown>;
}

/** Every failed client call rejects with this. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  /** One entry per field that broke a rule; `field` is prefixed by where it came from (`body.amountCents`). */
  readonly errors: ProblemFieldError[];
  readonly extra: Record<string, unknown>;

  constructor(init: ApiErrorInit) {
    super(init.detail);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.detail = init.detail;
    this.errors = init.errors ?? [];
    this.extra = init.extra ?? {};
  }

  /** The message for one input field, found by its name with or without the `body.`/`query.`/`params.` prefix. */
  fieldError(name: string): string | undefined {
    return this.errors.find((e) => e.field === name || e.field.replace(/^(body|query|params)\./, '') === name)?.message;
  }

  /** True when the server was not reached at all (offline, DNS, refused). */
  get unreachable(): boolean {
    return this.code === 'unreachable';
  }
}

/** Builds an ApiError from a problem+json body (or whatever a proxy answered instead). */
export function errorFromResponse(status: number, body: unknown): ApiError {
  if (body && typeof body === 'object' && typeof (body as { code?: unknown }).code === 'string') {
    const { code, detail, title, errors, type: _type, status: _status, ...extra } = body as Record<string, unknown>;
    return new ApiError({
      status,
      code: code as string,
      detail: typeof detail === 'string' ? detail : typeof title === 'string' ? title : `request failed with status ${status}`,
      errors: Array.isArray(errors) ? (errors as ProblemFieldError[]) : [],
      extra,
    });
  }
  return new ApiError({ status, code: `http_${status}`, detail: `request failed with status ${status}` });
}
