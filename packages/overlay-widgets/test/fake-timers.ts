import type { Timers } from '../src/timers.ts';

/** A manual clock: `advance(ms)` runs due callbacks in time order. */
export class FakeTimers implements Timers {
  now = 0;
  #next = 1;
  #tasks = new Map<number, { at: number; callback: () => void }>();

  setTimeout(callback: () => void, ms: number): number {
    const id = this.#next++;
    this.#tasks.set(id, { at: this.now + Math.max(0, ms), callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#tasks.delete(handle as number);
  }

  get pending(): number {
    return this.#tasks.size;
  }

  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      let due: [number, { at: number; callback: () => void }] | undefined;
      for (const entry of this.#tasks) if (entry[1].at <= until && (!due || entry[1].at < due[1].at || (entry[1].at === due[1].at && entry[0] < due[0]))) due = entry;
      if (!due) break;
      this.#tasks.delete(due[0]);
      this.now = due[1].at;
      due[1].callback();
    }
    this.now = until;
  }
}
