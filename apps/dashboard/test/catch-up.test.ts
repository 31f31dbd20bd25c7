import { describe, expect, it } from 'vitest';
import { caughtUp } from '../src/catch-up.ts';

const goal = { goalId: 'g', sessionId: 's', title: 'Outfit', targetCents: 2_000, completedAt: '2026-03-01T20:10:00.000Z', secondsIntoSession: 600 };
const item = { itemId: 'i', title: 'Dance', count: 2, revenueCents: 3_000 };

describe('caughtUp', () => {
  const facts = { tipCount: 3, goalsReached: 1, itemsSold: 2 };

  it('is caught up once the analytics count what the tips, goals and menu plugins know', () => {
    expect(caughtUp({ tipCount: 3, goals: [goal], menuItems: [item] }, facts)).toBe(true);
  });

  it('is not while any of them is still being counted', () => {
    expect(caughtUp({ tipCount: 2, goals: [goal], menuItems: [item] }, facts)).toBe(false);
    expect(caughtUp({ tipCount: 3, goals: [], menuItems: [item] }, facts)).toBe(false);
    expect(caughtUp({ tipCount: 3, goals: [goal], menuItems: [{ ...item, count: 1 }] }, facts)).toBe(false);
  });

  it('is not while a voided tip is still counted', () => {
    expect(caughtUp({ tipCount: 4, goals: [goal], menuItems: [item] }, facts)).toBe(false);
  });

  it('takes more than the plugins know as caught up (a goal reached, then deleted, stays counted)', () => {
    expect(caughtUp({ tipCount: 3, goals: [goal, { ...goal, goalId: 'h' }], menuItems: [item] }, facts)).toBe(true);
  });
});
