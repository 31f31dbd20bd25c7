/** The pino-compatible subset of a logger that plugins get. */
export interface Logger {
  /** Detail for troubleshooting, logged only at `LOG_LEVEL=debug` (or `trace`). */
  debug(obj: object | string, msg?: string): void;
  /** What happened, with its fields first: `log.info({ tipId }, 'tip recorded')`. */
  info(obj: object | string, msg?: string): void;
  /** Something went wrong and was handled (a retry, a refused input). */
  warn(obj: object | string, msg?: string): void;
  /** Something failed; pass the error as `{ err }` so its stack is logged. */
  error(obj: object | string, msg?: string): void;
  /** A logger whose every line also carries `bindings`, e.g. `{ sessionId }`. */
  child(bindings: Record<string, unknown>): Logger;
}

/** The creator a request, socket or job acts for. */
export interface CreatorIdentity {
  id: string;
  email: string | null;
  displayName: string;
}
