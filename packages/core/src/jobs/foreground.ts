/**
 * Requests in flight, so background work can step aside for them. A tip's request shares one
 * Node thread (and, on the embedded default, one PGlite connection taken in turn) with the jobs
 * its earlier tips started; queued behind them, it reaches its overlays late. Jobs wait here
 * before each handler instead, so a request competes with at most the handlers already under way.
 * The wait is bounded (`JOBS_YIELD_MS`): under requests that never pause, background work still moves.
 */
export class Foreground {
  #inFlight = 0;
  readonly #waiters = new Set<() => void>();
  readonly #maxWaitMs: number;

  constructor(maxWaitMs: number) {
    this.#maxWaitMs = maxWaitMs;
  }

  /** Jobs waiting for the requests in flight to finish. */
  get waiting(): number {
    return this.#waiters.size;
  }

  /** Wrap a request: counted in flight until it settles. */
  async serve<T>(request: () => Promise<T>): Promise<T> {
    this.#inFlight++;
    try {
      return await request();
    } finally {
      if (--this.#inFlight === 0) this.#wake();
    }
  }

  /**
   * Resolves once no request is in flight, or after the bound (at once with a bound of 0). It
   * first lets the event loop read what has arrived: on the embedded default a job's queries
   * resolve without I/O, so a job could otherwise run handler after handler while requests wait
   * unread, counted nowhere.
   */
  async idle(): Promise<void> {
    if (this.#maxWaitMs === 0) return;
    await new Promise((resolve) => setImmediate(resolve));
    if (this.#inFlight === 0) return;
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, this.#maxWaitMs);
      this.#waiters.add(done);
    });
  }

  #wake(): void {
    for (const done of [...this.#waiters]) done();
  }
}
