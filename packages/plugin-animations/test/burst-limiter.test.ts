import { describe, expect, it } from 'vitest';
import { allowedAt, arrive, playNow, playWaiting, type Limits, type Stage, type Trigger } from '../src/burst-limiter.ts';

const limits: Limits = { cooldownMs: 1_000, maxConcurrent: 2, effectMs: 5_000 };
const at = (ms: number) => new Date(Date.UTC(2026, 11, 1, 20, 0, 0) + ms);
const empty: Stage = { lastStartedAt: null, playingUntil: [], waiting: null };
const trigger = (type: Trigger['type'], intensity: number): Trigger => ({ type, intensity, source: 'rule' });

describe('the burst limiter', () => {
  it('plays the first trigger at once and counts it as playing for effectMs', () => {
    const { stage, play, dueAt } = arrive(empty, trigger('hearts', 3), at(0), limits);
    expect(play).toEqual({ type: 'hearts', intensity: 3, source: 'rule', merged: 1 });
    expect(dueAt).toBeNull();
    expect(stage).toEqual({ lastStartedAt: at(0), playingUntil: [at(5_000)], waiting: null });
  });

  it('holds back a trigger inside the cooldown and merges the next ones into one bigger burst, which plays when it ends', () => {
    let { stage } = arrive(empty, trigger('hearts', 3), at(0), limits);
    const second = arrive(stage, trigger('confetti', 4), at(200), limits);
    expect(second.play).toBeNull();
    expect(second.dueAt).toEqual(at(1_000));
    const third = arrive(second.stage, trigger('rain', 2), at(400), limits);
    expect(third.play).toBeNull();
    // Intensities add up; the strongest trigger (confetti, 4) gives the burst its type.
    expect(third.stage.waiting).toEqual({ type: 'confetti', intensity: 6, strongest: 4, merged: 2, source: 'rule' });

    expect(playWaiting(third.stage, at(999), limits)).toMatchObject({ play: null, dueAt: at(1_000) });
    ({ stage } = playWaiting(third.stage, at(1_000), limits));
    expect(stage.waiting).toBeNull();
    expect(playWaiting(third.stage, at(1_000), limits).play).toEqual({ type: 'confetti', intensity: 6, merged: 2, source: 'rule' });
  });

  it('caps the merged intensity at 10, and keeps the first type on a tie', () => {
    let stage = arrive(empty, trigger('hearts', 3), at(0), limits).stage;
    for (const t of [trigger('rain', 5), trigger('confetti', 5), trigger('hearts', 5)]) stage = arrive(stage, t, at(10), limits).stage;
    expect(stage.waiting).toMatchObject({ type: 'rain', intensity: 10, merged: 3 });
  });

  it('holds back what would exceed the cap on concurrent effects until one of them ends', () => {
    const wide = { ...limits, cooldownMs: 0 };
    let stage = arrive(empty, trigger('hearts', 1), at(0), wide).stage;
    stage = arrive(stage, trigger('hearts', 1), at(1_000), wide).stage;
    const third = arrive(stage, trigger('rain', 2), at(2_000), wide);
    expect(third.play).toBeNull();
    // Two are playing (until 5 s and 6 s): the first to end frees the slot.
    expect(third.dueAt).toEqual(at(5_000));
    expect(allowedAt(third.stage, at(5_000), wide)).toEqual(at(5_000));
    expect(playWaiting(third.stage, at(5_000), wide).play).toMatchObject({ type: 'rain', merged: 1 });
  });

  it('lets a trigger that arrives after the wait join the waiting burst rather than jump the line', () => {
    const first = arrive(empty, trigger('hearts', 1), at(0), limits);
    const held = arrive(first.stage, trigger('rain', 1), at(100), limits);
    const late = arrive(held.stage, trigger('confetti', 1), at(1_500), limits);
    expect(late.play).toBeNull();
    expect(late.stage.waiting).toMatchObject({ merged: 2 });
    expect(late.dueAt).toEqual(at(1_500));
  });

  it('plays a manual trigger at once whatever the limits; it counts toward them, so a waiting burst waits longer', () => {
    let stage = arrive(empty, trigger('hearts', 1), at(0), limits).stage;
    stage = arrive(stage, trigger('rain', 1), at(100), limits).stage;
    const manual = playNow(stage, { type: 'confetti', intensity: 8, source: 'manual' }, at(200), limits);
    expect(manual.play).toEqual({ type: 'confetti', intensity: 8, source: 'manual', merged: 1 });
    expect(manual.stage.waiting).toMatchObject({ type: 'rain' });
    // Two effects now play (until 5 s and 5.2 s) and the cap is two: the burst waits for the first to end.
    expect(manual.dueAt).toEqual(at(5_000));
  });
});
