import { describe, expect, it } from 'vitest';
import { AlertQueue, type AlertQueueHooks, type AlertState } from '../src/alert-queue.ts';
import { FakeTimers } from './fake-timers.ts';

interface Log {
  events: string[];
  /** [id, start, end] per alert, in ms. */
  spans: Array<[string, number, number]>;
}

function setup(timings = {}, withAudio = true) {
  const timers = new FakeTimers();
  const log: Log = { events: [], spans: [] };
  const started = new Map<string, number>();
  const audio: Array<{ id: string; clip: string; done: () => void; stopped: boolean }> = [];
  const hooks: AlertQueueHooks<string, string> = {
    state: (alert, state: AlertState) => {
      log.events.push(`${alert.id}:${state}`);
      if (state === 'entering') started.set(alert.id, timers.now);
    },
    end: (alert) => {
      log.events.push(`${alert.id}:end`);
      log.spans.push([alert.id, started.get(alert.id)!, timers.now]);
    },
  };
  if (withAudio) {
    hooks.playAudio = (alert, clip, done) => {
      const playing = { id: alert.id, clip, done, stopped: false };
      audio.push(playing);
      return () => {
        playing.stopped = true;
      };
    };
  }
  const queue = new AlertQueue<string, string>(hooks, { timers, timings: { enterMs: 500, leaveMs: 500, gapMs: 200, ...timings } });
  return { timers, log, queue, audio };
}

describe('AlertQueue', () => {
  it('plays one alert through entering, showing and leaving for its duration', () => {
    const { timers, log, queue } = setup({ durationMs: 3000 });
    queue.push('a', 'Alice');
    expect(queue.current).toEqual({ alert: { id: 'a', data: 'Alice' }, state: 'entering' });
    timers.advance(500);
    expect(queue.current?.state).toBe('showing');
    timers.advance(2499);
    expect(queue.current?.state).toBe('showing');
    timers.advance(1);
    expect(queue.current?.state).toBe('leaving');
    timers.advance(500);
    expect(queue.current).toBeUndefined();
    expect(log.events).toEqual(['a:entering', 'a:showing', 'a:leaving', 'a:end']);
    expect(log.spans).toEqual([['a', 0, 3500]]);
  });

  it('plays a burst in arrival order, one at a time, none dropped and never overlapping', () => {
    const { timers, log, queue } = setup({ durationMs: 2000 });
    for (const id of ['t1', 't2', 't3', 't4', 't5']) queue.push(id, id);
    expect(queue.waiting).toBe(4);
    timers.advance(60_000);
    expect(log.spans.map((s) => s[0])).toEqual(['t1', 't2', 't3', 't4', 't5']);
    for (let i = 1; i < log.spans.length; i++) {
      // The next alert starts only after the previous one ended, with the gap between.
      expect(log.spans[i]![1]).toBe(log.spans[i - 1]![2] + 200);
    }
    for (const [, start, end] of log.spans) expect(end - start).toBe(2500);
    expect(log.events.filter((e) => e.endsWith(':entering'))).toHaveLength(5);
    expect(queue.current).toBeUndefined();
    expect(queue.waiting).toBe(0);
  });

  it('queues alerts that arrive while one is showing, and starts at once when idle', () => {
    const { timers, log, queue } = setup({ durationMs: 1000 });
    queue.push('a', 'A');
    timers.advance(700);
    queue.push('b', 'B');
    expect(queue.current?.alert.id).toBe('a');
    timers.advance(10_000);
    expect(log.spans).toEqual([
      ['a', 0, 1500],
      ['b', 1700, 3200],
    ]);
    queue.push('c', 'C');
    expect(queue.current?.alert.id).toBe('c');
  });

  it('ignores a tip id it has already queued (a redelivered event)', () => {
    const { timers, log, queue } = setup({ durationMs: 1000 });
    expect(queue.push('a', 'A')).toBe(true);
    expect(queue.push('a', 'A')).toBe(false);
    timers.advance(5000);
    expect(queue.push('a', 'A')).toBe(false);
    expect(log.spans).toHaveLength(1);
  });

  it('uses the duration in force when an alert starts, clamped to a sane range', () => {
    const { timers, log, queue } = setup({ durationMs: 1000 });
    queue.push('a', 'A');
    queue.setTimings({ durationMs: 4000 });
    queue.push('b', 'B');
    timers.advance(20_000);
    expect(log.spans.map(([id, s, e]) => [id, e - s])).toEqual([
      ['a', 1500],
      ['b', 4500],
    ]);
    queue.setTimings({ durationMs: 5 });
    expect(queue.timings.durationMs).toBe(500);
    queue.setTimings({ durationMs: Number.NaN });
    expect(queue.timings.durationMs).toBe(5000);
    queue.setTimings({ durationMs: 10_000_000 });
    expect(queue.timings.durationMs).toBe(60_000);
  });

  it("gives an alert its own duration when the hook has one (its variation's), asked as it enters", () => {
    const timers = new FakeTimers();
    const spans: Array<[string, number]> = [];
    const started = new Map<string, number>();
    const asked: string[] = [];
    const queue = new AlertQueue<number>(
      {
        state: (alert, state) => {
          if (state === 'entering') started.set(alert.id, timers.now);
        },
        end: (alert) => spans.push([alert.id, timers.now - started.get(alert.id)!]),
        durationMs: (alert) => {
          asked.push(alert.id);
          return alert.data >= 1000 ? 3000 : alert.data === 0 ? 1 : undefined;
        },
      },
      { timers, timings: { durationMs: 1000, enterMs: 500, leaveMs: 500, gapMs: 200 } },
    );
    queue.push('big', 1000);
    queue.push('small', 100);
    queue.push('tiny', 0);
    expect(asked).toEqual(['big']);
    timers.advance(30_000);
    // Its own 3000 (+ the 500 ms exit); the queue's 1000; a hook's 1 ms clamped to the 500 ms floor.
    expect(spans).toEqual([
      ['big', 3500],
      ['small', 1500],
      ['tiny', 1000],
    ]);
  });

  it('plays audio that arrives during the alert and does not leave before it finishes', () => {
    const { timers, log, queue, audio } = setup({ durationMs: 2000 });
    queue.push('a', 'A');
    queue.push('b', 'B');
    timers.advance(1000);
    queue.audio('a', 'clip-a');
    expect(audio.map((a) => [a.id, a.clip])).toEqual([['a', 'clip-a']]);
    timers.advance(5000);
    // Duration is over but the audio still plays: the alert stays, the next one waits.
    expect(queue.current).toEqual({ alert: { id: 'a', data: 'A' }, state: 'showing' });
    audio[0]!.done();
    expect(queue.current?.state).toBe('leaving');
    timers.advance(500);
    expect(log.spans[0]).toEqual(['a', 0, 6500]);
    timers.advance(200);
    expect(queue.current?.alert.id).toBe('b');
  });

  it('plays audio that arrived before its alert started, when the alert starts', () => {
    const { timers, log, queue, audio } = setup({ durationMs: 1000 });
    queue.push('a', 'A');
    queue.audio('b', 'clip-b');
    queue.audio('c', 'clip-c'); // its tip has not even arrived yet
    expect(audio).toHaveLength(0);
    queue.push('b', 'B');
    timers.advance(1700);
    expect(queue.current?.alert.id).toBe('b');
    expect(audio.map((a) => a.id)).toEqual(['b']);
    timers.advance(3000);
    expect(queue.current?.alert.id).toBe('b');
    audio[0]!.done();
    timers.advance(700);
    queue.push('c', 'C');
    expect(queue.current?.alert.id).toBe('c');
    expect(audio.map((a) => a.id)).toEqual(['b', 'c']);
    audio[1]!.done();
    timers.advance(2000);
    expect(log.spans.map((s) => s[0])).toEqual(['a', 'b', 'c']);
  });

  it('leaves at the usual time when short audio finished before the duration', () => {
    const { timers, log, queue, audio } = setup({ durationMs: 3000 });
    queue.push('a', 'A');
    queue.audio('a', 'clip');
    timers.advance(1000);
    audio[0]!.done();
    timers.advance(10_000);
    expect(log.spans).toEqual([['a', 0, 3500]]);
  });

  it('caps the wait for audio that never finishes, and stops it', () => {
    const { timers, log, queue, audio } = setup({ durationMs: 1000, maxAudioMs: 8000 });
    queue.push('a', 'A');
    queue.audio('a', 'endless');
    timers.advance(7999);
    expect(queue.current?.state).toBe('showing');
    timers.advance(1);
    expect(queue.current?.state).toBe('leaving');
    expect(audio[0]!.stopped).toBe(true);
    timers.advance(500);
    expect(log.spans).toEqual([['a', 0, 8500]]);
  });

  it('ignores audio for an alert that is over or leaving, and a second clip for the same alert', () => {
    const { timers, queue, audio } = setup({ durationMs: 1000 });
    queue.push('a', 'A');
    queue.audio('a', 'one');
    queue.audio('a', 'two');
    expect(audio).toHaveLength(1);
    audio[0]!.done();
    timers.advance(1000);
    expect(queue.current?.state).toBe('leaving');
    queue.audio('a', 'late');
    timers.advance(10_000);
    queue.audio('a', 'later');
    expect(audio).toHaveLength(1);
  });

  it('treats audio that cannot play as finished', () => {
    const timers = new FakeTimers();
    const ends: string[] = [];
    const queue = new AlertQueue<string, string>(
      {
        state: () => {},
        end: (a) => ends.push(a.id),
        playAudio: () => {
          throw new Error('no audio device');
        },
      },
      { timers, timings: { durationMs: 1000, enterMs: 0, leaveMs: 0, gapMs: 0 } },
    );
    queue.push('a', 'A');
    queue.audio('a', 'clip');
    timers.advance(1000);
    expect(ends).toEqual(['a']);
  });

  it('without an audio player, audio changes nothing', () => {
    const { timers, log, queue } = setup({ durationMs: 1000 }, false);
    queue.push('a', 'A');
    queue.audio('a', 'clip');
    timers.advance(5000);
    expect(log.spans).toEqual([['a', 0, 1500]]);
  });

  it('clear() drops the alert on screen and the queue', () => {
    const { timers, log, queue, audio } = setup({ durationMs: 1000 });
    queue.push('a', 'A');
    queue.push('b', 'B');
    queue.audio('a', 'clip');
    queue.clear();
    expect(audio[0]!.stopped).toBe(true);
    expect(queue.current).toBeUndefined();
    expect(queue.waiting).toBe(0);
    timers.advance(10_000);
    expect(log.events).toEqual(['a:entering']);
    expect(timers.pending).toBe(0);
  });

  it("plays an alert's clips one after the other in arrival order (a menu line, its message), and a key seen before not again", () => {
    const { timers, log, queue, audio } = setup({ durationMs: 1000 });
    queue.audio('a', 'menu-a', 'a:menu');
    queue.push('a', 'A');
    queue.audio('a', 'message-a', 'a:message');
    queue.audio('a', 'menu-again', 'a:menu');
    expect(audio.map((a) => a.clip)).toEqual(['menu-a']);
    timers.advance(2000);
    audio[0]!.done();
    expect(audio.map((a) => a.clip)).toEqual(['menu-a', 'message-a']);
    expect(queue.current?.state).toBe('showing');
    audio[1]!.done();
    expect(queue.current?.state).toBe('leaving');
    timers.advance(500);
    expect(log.spans).toEqual([['a', 0, 2500]]);
  });

  it('skip stops the clip playing at once and drops the rest of its alert’s clips; the alert carries on and the next plays its own', () => {
    const { timers, log, queue, audio } = setup({ durationMs: 3000 });
    queue.push('a', 'A');
    queue.push('b', 'B');
    queue.audio('a', 'message-a', 'message');
    queue.audio('a', 'menu-a', 'menu');
    queue.audio('b', 'message-b', 'message');
    timers.advance(1000);
    queue.skipAudio();
    expect(audio[0]!.stopped).toBe(true);
    expect(queue.current).toEqual({ alert: { id: 'a', data: 'A' }, state: 'showing' });
    queue.audio('a', 'late-a', 'late');
    timers.advance(2000);
    expect(queue.current?.state).toBe('leaving');
    timers.advance(700);
    expect(queue.current?.alert.id).toBe('b');
    expect(audio.map((a) => a.clip)).toEqual(['message-a', 'message-b']);
    expect(log.spans).toEqual([['a', 0, 3500]]);
  });

  it('skip after the alert’s time is up lets it leave at once', () => {
    const { timers, queue, audio } = setup({ durationMs: 1000 });
    queue.push('a', 'A');
    queue.audio('a', 'long');
    timers.advance(5000);
    expect(queue.current?.state).toBe('showing');
    queue.skipAudio();
    expect(audio[0]!.stopped).toBe(true);
    expect(queue.current?.state).toBe('leaving');
  });

  it('mute stops the clip playing, drops the clips kept and plays none until unmuted', () => {
    const { timers, queue, audio } = setup({ durationMs: 1000 });
    queue.push('a', 'A');
    queue.push('b', 'B');
    queue.push('c', 'C');
    queue.audio('a', 'clip-a');
    queue.audio('b', 'clip-b');
    queue.setMuted(true);
    expect(queue.muted).toBe(true);
    expect(audio[0]!.stopped).toBe(true);
    queue.audio('c', 'clip-c');
    timers.advance(1700);
    expect(queue.current?.alert.id).toBe('b');
    queue.audio('b', 'clip-b-again', 'again');
    expect(audio.map((a) => a.clip)).toEqual(['clip-a']);
    queue.setMuted(false);
    queue.audio('c', 'clip-c');
    timers.advance(1700);
    expect(queue.current?.alert.id).toBe('c');
    expect(audio.map((a) => a.clip)).toEqual(['clip-a', 'clip-c']);
  });
});

