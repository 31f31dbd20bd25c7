import { afterEach, describe, expect, it, vi } from 'vitest';
import { Foreground } from '../src/jobs/foreground.ts';

/** Lets every promise that can settle now settle. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('background work stepping aside for requests', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('goes on at once when no request is in flight', async () => {
    const foreground = new Foreground(100);
    await foreground.idle();
    expect(foreground.waiting).toBe(0);
  });

  it('lets a request that has arrived start first, then waits for it (on PGlite a job never yields to I/O by itself)', async () => {
    const foreground = new Foreground(100);
    const request = Promise.withResolvers<void>();
    let serving: Promise<void> | undefined;
    // Stands for a request whose bytes are waiting to be read while a job is about to go on.
    setImmediate(() => (serving = foreground.serve(() => request.promise)));
    let idle = false;
    const waiting = foreground.idle().then(() => (idle = true));
    await settle();
    expect(serving).toBeDefined();
    expect(idle).toBe(false);
    expect(foreground.waiting).toBe(1);

    request.resolve();
    await serving;
    await waiting;
  });

  it('waits while requests are in flight, and goes on as the last one settles, failed or not', async () => {
    const foreground = new Foreground(100);
    const first = Promise.withResolvers<void>();
    const second = Promise.withResolvers<void>();
    const serving = [foreground.serve(() => first.promise), foreground.serve(() => second.promise).catch(() => 'refused')];
    let idle = false;
    const waiting = foreground.idle().then(() => (idle = true));
    await settle();
    expect(foreground.waiting).toBe(1);

    first.resolve();
    await settle();
    expect(idle).toBe(false);

    second.reject(new Error('the request failed'));
    expect(await Promise.all(serving)).toEqual([undefined, 'refused']);
    await waiting;
    expect(foreground.waiting).toBe(0);
  });

  it('stops waiting after its bound, so requests that never pause cannot starve background work', async () => {
    vi.useFakeTimers();
    const foreground = new Foreground(100);
    const request = Promise.withResolvers<void>();
    const serving = foreground.serve(() => request.promise);
    let idle = false;
    void foreground.idle().then(() => (idle = true));

    await vi.advanceTimersByTimeAsync(99);
    expect(idle).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(idle).toBe(true);
    expect(foreground.waiting).toBe(0);

    request.resolve();
    await serving;
  });

  it('never waits with a bound of 0 (JOBS_YIELD_MS=0)', async () => {
    const foreground = new Foreground(0);
    const request = Promise.withResolvers<void>();
    const serving = foreground.serve(() => request.promise);
    await foreground.idle();
    expect(foreground.waiting).toBe(0);
    request.resolve();
    await serving;
  });
});
