/**
 * An error a handler throws to answer with an RFC 9457 problem (HTTP) or the spec's
 * `error` event (sockets). Anything else thrown becomes a 500 with no details.
 */
export class Problem extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  /** Per-field rule violations, e.g. `[{ field: 'amountCents', rule: 'too_small', message }]`. */
  readonly errors: ProblemFieldError[];
  readonly extra: Record<string, unknown>;

  constructor(status: number, code: string, detail: string, options: { errors?: ProblemFieldError[]; extra?: Record<string, unknown> } = {}) {
    super(detail);
    this.name = 'Problem';
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.errors = options.errors ?? [];
    this.extra = options.extra ?? {};
  }
}

/** One field and the rule it breaks, as a problem's `errors` lists them. */
export interface ProblemFieldError {
  field: string;
  rule: string;
  message: string;
}

/** A 404 `not_found`: `notFound('goal')` answers "goal not found". */
export const notFound = (what: string) => new Problem(404, 'not_found', `${what} not found`);
/** A 409 whose `code` says what clashes with the current state, e.g. `session_already_active`. */
export const conflict = (code: string, detail: string, extra?: Record<string, unknown>) => new Problem(409, code, detail, { extra });
/** A 422 `validation_failed` naming one field, for a rule its schema cannot check (one that depends on stored state). */
export const unprocessable = (field: string, rule: string, message: string) =>
  new Problem(422, 'validation_failed', message, { errors: [{ field, rule, message }] });
/** A 403 `forbidden`: the caller is known, but may not do this. */
export const forbidden = (detail: string) => new Problem(403, 'forbidden', detail);
