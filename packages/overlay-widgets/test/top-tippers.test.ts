import { describe, expect, it } from 'vitest';
import { TopTippers } from '../src/top-tippers.ts';
import { snapshot, tip } from './tip-fixtures.ts';

const ranking = (board: TopTippers) => board.entries.map((e) => `${e.tipperName} ${e.totalCents}/${e.tipCount}`);

describe('TopTippers', () => {
  it("starts from the server's ranking and adds each named tip to its tipper, re-sorting", () => {
    const board = new TopTippers();
    board.snapshot(
      snapshot({
        topTippers: [
          { tipperName: 'Mia', totalCents: 5000, tipCount: 2 },
          { tipperName: 'Kai', totalCents: 3000, tipCount: 3 },
        ],
      }),
    );
    expect(ranking(board)).toEqual(['Mia 5000/2', 'Kai 3000/3']);
    expect(board.add(tip('t1', { tipperName: 'Kai', amountCents: 2500 }))).toBe(true);
    expect(ranking(board)).toEqual(['Kai 5500/4', 'Mia 5000/2']);
    board.add(tip('t2', { tipperName: 'Zoe', amountCents: 100 }));
    expect(ranking(board)).toEqual(['Kai 5500/4', 'Mia 5000/2', 'Zoe 100/1']);
    expect(board.top(2).map((e) => e.tipperName)).toEqual(['Kai', 'Mia']);
  });

  it('keeps the earlier tipper ahead on a tie', () => {
    const board = new TopTippers();
    board.add(tip('t1', { tipperName: 'Ann', amountCents: 500 }));
    board.add(tip('t2', { tipperName: 'Bob', amountCents: 500 }));
    expect(ranking(board)).toEqual(['Ann 500/1', 'Bob 500/1']);
  });

  it('does not rank anonymous or nameless tips, and counts a redelivered tip once', () => {
    const board = new TopTippers();
    expect(board.add(tip('t1', { isAnonymous: true, tipperName: 'Hidden' }))).toBe(false);
    expect(board.add(tip('t2', { tipperName: null }))).toBe(false);
    expect(board.add(tip('t3', { tipperName: '   ' }))).toBe(false);
    expect(board.add(tip('t4', { tipperName: 'Kai', amountCents: 300 }))).toBe(true);
    expect(board.add(tip('t4', { tipperName: 'Kai', amountCents: 300 }))).toBe(false);
    expect(ranking(board)).toEqual(['Kai 300/1']);
  });

  it('a new snapshot (sent after a void) replaces the ranking', () => {
    const board = new TopTippers();
    board.add(tip('t1', { tipperName: 'Kai', amountCents: 9000 }));
    board.add(tip('t2', { tipperName: 'Mia', amountCents: 100 }));
    board.snapshot(snapshot({ topTippers: [{ tipperName: 'Mia', totalCents: 100, tipCount: 1 }] }));
    expect(ranking(board)).toEqual(['Mia 100/1']);
    // The tips counted before the snapshot are in it: a later redelivery of one counts again only as a new tip would.
    expect(board.snapshot({ sessionId: 's1' } as never)).toBe(false);
  });

  it('empties when the session ends or a tip of another session comes', () => {
    const board = new TopTippers();
    board.add(tip('t1', { tipperName: 'Kai' }));
    expect(board.session({ sessionId: 's1', status: 'active' })).toBe(false);
    expect(board.session({ sessionId: 's1', status: 'ended' })).toBe(true);
    expect(board.entries).toEqual([]);
    board.add(tip('t2', { tipperName: 'Kai', sessionId: 's2' }));
    board.add(tip('t3', { tipperName: 'Mia', sessionId: 's3' }));
    expect(ranking(board)).toEqual(['Mia 100/1']);
  });
});
