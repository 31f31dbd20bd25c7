import { describe, expect, it } from 'vitest';
import { fillPercent, GoalDisplay, isReached, type GoalView } from '../src/goal-display.ts';
import type { GoalProgress } from '../src/overlay-events.ts';
import { FakeTimers } from './fake-timers.ts';

const S = 'session-1';
const progress = (goalId: string, currentCents: number, targetCents: number, title = goalId): GoalProgress => ({
  sessionId: S,
  goalId,
  title,
  currentCents,
  targetCents,
  percentage: Math.min(100, (currentCents / targetCents) * 100),
});
const completed = (goalId: string, targetCents: number, title = goalId) => ({ sessionId: S, goalId, title, targetCents });

function setup() {
  const timers = new FakeTimers();
  const views: GoalView[] = [];
  const display = new GoalDisplay((v) => views.push(v), { timers, celebrationMs: 4000 });
  const shown = () => {
    const { goal, celebrating } = display.view;
    return goal ? `${goal.goalId} ${goal.percentage}%${celebrating ? ' celebrating' : ''}` : 'nothing';
  };
  return { timers, display, views, shown };
}

describe('GoalDisplay', () => {
  it('shows nothing until there is a goal, then follows its progress', () => {
    const { display, shown } = setup();
    expect(shown()).toBe('nothing');
    display.session({ sessionId: S, status: 'active' });
    expect(shown()).toBe('nothing');
    display.progress(progress('a', 0, 1000));
    expect(shown()).toBe('a 0%');
    display.progress(progress('a', 400, 1000));
    expect(shown()).toBe('a 40%');
  });

  it('celebrates a completion for a while, then shows the next goal', () => {
    const { display, shown, timers } = setup();
    display.progress(progress('a', 400, 1000));
    // What the server sends for a completing tip: progress 100 %, completed, the next goal.
    display.progress(progress('a', 1000, 1000));
    display.completed(completed('a', 1000));
    display.progress(progress('b', 0, 2000));
    expect(shown()).toBe('a 100% celebrating');
    timers.advance(3999);
    expect(shown()).toBe('a 100% celebrating');
    timers.advance(1);
    expect(shown()).toBe('b 0%');
  });

  it('celebrates several completions of one burst in turn', () => {
    const { display, shown, timers } = setup();
    display.progress(progress('a', 1000, 1000));
    display.completed(completed('a', 1000));
    display.progress(progress('b', 2000, 2000));
    display.completed(completed('b', 2000));
    display.progress(progress('c', 300, 3000));
    expect(shown()).toBe('a 100% celebrating');
    timers.advance(4000);
    expect(shown()).toBe('b 100% celebrating');
    timers.advance(4000);
    expect(shown()).toBe('c 10%');
  });

  it('keeps the last goal, reached, once it is celebrated and no next goal comes, and never celebrates it again', () => {
    const { display, shown, timers } = setup();
    display.completed(completed('a', 1000, 'Outfit'));
    expect(display.view.goal).toMatchObject({ title: 'Outfit', currentCents: 1000, targetCents: 1000, percentage: 100 });
    display.progress(progress('a', 1200, 1000)); // overshoot on the completed goal
    timers.advance(4000);
    expect(shown()).toBe('a 100%');
    display.progress(progress('a', 1500, 1000));
    display.completed(completed('a', 1000));
    expect(shown()).toBe('a 100%');
    // The next goal replaces it.
    display.progress(progress('b', 0, 500));
    expect(shown()).toBe('b 0%');
  });

  it('with showReached off, hides after the last goal is celebrated', () => {
    const { display, shown, timers } = setup();
    display.showReached = false;
    display.progress(progress('a', 1000, 1000));
    display.completed(completed('a', 1000));
    expect(shown()).toBe('a 100% celebrating');
    timers.advance(4000);
    expect(shown()).toBe('nothing');
    // Turned on again (the creator's settings, live): the reached goal is back; off, it goes.
    display.showReached = true;
    expect(shown()).toBe('a 100%');
    display.showReached = false;
    expect(shown()).toBe('nothing');
  });

  it('shows the last goal reached that a joining overlay gets (progress at 100 %), unless showReached is off', () => {
    const joinedWithReached = setup();
    joinedWithReached.display.progress(progress('a', 1000, 1000));
    expect(joinedWithReached.shown()).toBe('a 100%');
    expect(isReached(joinedWithReached.display.view.goal!)).toBe(true);

    const hiding = setup();
    hiding.display.showReached = false;
    hiding.display.progress(progress('a', 1000, 1000));
    expect(hiding.shown()).toBe('nothing');
    hiding.display.showReached = true;
    expect(hiding.shown()).toBe('a 100%');
  });

  it('with showReached off, still fills the shown goal to 100 % before its celebration', () => {
    const { display, shown } = setup();
    display.showReached = false;
    display.progress(progress('a', 900, 1000));
    display.progress(progress('a', 1000, 1000));
    expect(shown()).toBe('a 100%');
    display.completed(completed('a', 1000));
    expect(shown()).toBe('a 100% celebrating');
  });

  it('shows the latest progress that arrived during a celebration', () => {
    const { display, shown, timers } = setup();
    display.completed(completed('a', 1000));
    display.progress(progress('b', 100, 1000));
    display.progress(progress('b', 500, 1000));
    timers.advance(4000);
    expect(shown()).toBe('b 50%');
  });

  it('clears when the session ends or another session starts', () => {
    const { display, shown, timers } = setup();
    display.session({ sessionId: S, status: 'active' });
    display.progress(progress('a', 100, 1000));
    display.session({ sessionId: S, status: 'active' });
    expect(shown()).toBe('a 10%');
    display.session({ sessionId: S, status: 'ended' });
    expect(shown()).toBe('nothing');

    display.progress(progress('a', 100, 1000));
    display.completed(completed('a', 1000));
    display.session({ sessionId: 'session-2', status: 'active' });
    expect(shown()).toBe('nothing');
    timers.advance(10_000);
    expect(shown()).toBe('nothing');
    display.progress({ ...progress('x', 50, 100), sessionId: 'session-2' });
    expect(shown()).toBe('x 50%');
  });

  it('ignores malformed payloads', () => {
    const { display, shown } = setup();
    display.progress({ goalId: 'a' } as never);
    display.progress(null as never);
    display.completed(null as never);
    display.session(null as never);
    expect(shown()).toBe('nothing');
  });
});

describe('fillPercent', () => {
  it('clamps to 0–100 and falls back to the amounts', () => {
    expect(fillPercent({ percentage: 42.5, currentCents: 0, targetCents: 1 })).toBe(42.5);
    expect(fillPercent({ percentage: 140, currentCents: 0, targetCents: 1 })).toBe(100);
    expect(fillPercent({ percentage: -3, currentCents: 0, targetCents: 1 })).toBe(0);
    expect(fillPercent({ percentage: Number.NaN, currentCents: 250, targetCents: 1000 })).toBe(25);
  });
});
