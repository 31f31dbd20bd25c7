import type { Clock } from '@streaming-companion/sdk';

/** A clock a test moves by hand: what plugins read from `coreServices.clock` while it runs. */
export interface ManualClock extends Clock {
  set(time: Date | string): void;
  advance(ms: number): void;
}

export function createManualClock(start: Date | string = new Date()): ManualClock {
  let now = new Date(start).getTime();
  return {
    now: () => new Date(now),
    set: (time) => {
      now = new Date(time).getTime();
    },
    advance: (ms) => {
      now += ms;
    },
  };
}
