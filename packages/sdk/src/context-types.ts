/** The pino-compatible subset of a logger that plugins get. */
export interface Logger {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

/** The creator a request, socket or job acts for. */
export interface CreatorIdentity {
  id: string;
  email: string | null;
  displayName: string;
}
