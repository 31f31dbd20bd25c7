import { describe, expect, it } from 'vitest';
import { lastDay, presetRange, readCustomRange } from '../src/analytics-range.ts';
import { addDays, addMonths, localDate, weekStart } from '../src/calendar.ts';

describe('presetRange', () => {
  it('covers whole days up to and including today, ending the day after (half-open)', () => {
    expect(presetRange('7d', '2026-03-05')).toEqual({ from: '2026-02-27', to: '2026-03-06' });
    expect(presetRange('30d', '2026-03-05')).toEqual({ from: '2026-02-04', to: '2026-03-06' });
    expect(presetRange('month', '2026-03-05')).toEqual({ from: '2026-03-01', to: '2026-03-06' });
    expect(presetRange('month', '2026-12-31')).toEqual({ from: '2026-12-01', to: '2027-01-01' });
  });

  it('shows the last day covered in the To input', () => {
    expect(lastDay(presetRange('7d', '2026-03-05'))).toBe('2026-03-05');
  });
});

describe('readCustomRange', () => {
  it('reads both days as included: the range ends the day after To', () => {
    expect(readCustomRange({ from: '2026-02-01', to: '2026-02-28' })).toEqual({ ok: true, value: { from: '2026-02-01', to: '2026-03-01' } });
    expect(readCustomRange({ from: '2026-02-01', to: '2026-02-01' })).toEqual({ ok: true, value: { from: '2026-02-01', to: '2026-02-02' } });
  });

  it('puts a message next to the input at fault', () => {
    expect(readCustomRange({ from: '', to: '2026-02-01' })).toEqual({ ok: false, fields: { from: 'From must be a date.' } });
    expect(readCustomRange({ from: '2026-02-02' })).toEqual({ ok: false, fields: { to: 'To must be a date.' } });
    expect(readCustomRange({ from: '2026-02-02', to: '2026-02-01' })).toEqual({ ok: false, fields: { to: 'To must be on or after the From date.' } });
  });
});

describe('calendar', () => {
  it('reads the date an instant falls on where the creator lives', () => {
    expect(localDate('2026-03-01T03:00:00Z', 'UTC')).toBe('2026-03-01');
    expect(localDate('2026-03-01T03:00:00Z', 'America/New_York')).toBe('2026-02-28');
    expect(localDate('2026-03-01T20:00:00Z', 'Asia/Tokyo')).toBe('2026-03-02');
  });

  it('counts calendar days and months, whatever the clocks do', () => {
    // The US springs forward on 2026-03-08: still one day.
    expect(addDays('2026-03-07', 1)).toBe('2026-03-08');
    expect(addDays('2026-03-08', 1)).toBe('2026-03-09');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(addMonths('2026-12-01', 1)).toBe('2027-01-01');
  });

  it('starts weeks on Monday, as the server does', () => {
    expect(weekStart('2026-03-04')).toBe('2026-03-02'); // a Wednesday
    expect(weekStart('2026-03-02')).toBe('2026-03-02'); // a Monday
    expect(weekStart('2026-03-08')).toBe('2026-03-02'); // a Sunday
  });
});
