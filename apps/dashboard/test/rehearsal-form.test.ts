import type { StreamSessionDto } from '@streaming-companion/client';
import { describe, expect, it } from 'vitest';
import { readRehearsalForm, rehearsalProgress, replayableSessions } from '../src/rehearsal-form.ts';

describe('readRehearsalForm', () => {
  it('reads a replay of a past session, at the chosen speed', () => {
    expect(readRehearsalForm({ source: 'session', fromSessionId: 'a1', speed: '5', tipCount: 'ignored' })).toEqual({ ok: true, value: { fromSessionId: 'a1', speed: 5 } });
    expect(readRehearsalForm({ source: 'session', fromSessionId: '' })).toEqual({ ok: false, fields: { fromSessionId: 'Choose one of your past sessions to replay.' } });
  });

  it('reads simulated tips, the token range optional', () => {
    expect(readRehearsalForm({ source: 'simulate', tipCount: '20', durationSeconds: ' 60 ', minTokens: '', maxTokens: '', speed: '1' })).toEqual({
      ok: true,
      value: { simulate: { tipCount: 20, durationSeconds: 60, minTokens: undefined, maxTokens: undefined }, speed: 1 },
    });
    expect(readRehearsalForm({ source: 'simulate', tipCount: '3', durationSeconds: '5', minTokens: '10', maxTokens: '10', speed: '5' })).toEqual({
      ok: true,
      value: { simulate: { tipCount: 3, durationSeconds: 5, minTokens: 10, maxTokens: 10 }, speed: 5 },
    });
  });

  it("names each input outside the server's ranges, and a range the wrong way round", () => {
    expect(readRehearsalForm({ source: 'simulate', tipCount: '501', durationSeconds: '4', minTokens: '0', maxTokens: 'lots' })).toEqual({
      ok: false,
      fields: {
        tipCount: 'Number of tips must be a whole number from 1 to 500.',
        durationSeconds: 'Duration must be a whole number of seconds from 5 to 3600.',
        minTokens: 'Smallest tip must be a whole number of tokens, 1 or more.',
        maxTokens: 'Biggest tip must be a whole number of tokens, 1 or more.',
      },
    });
    expect(readRehearsalForm({ source: 'simulate', tipCount: '5', durationSeconds: '30', minTokens: '50', maxTokens: '10' })).toEqual({
      ok: false,
      fields: { maxTokens: 'Biggest tip must be at least the smallest tip.' },
    });
  });
});

const session = (patch: Partial<StreamSessionDto>): StreamSessionDto => ({
  id: 's',
  creatorId: 'c',
  platform: 'chaturbate',
  title: 'Friday',
  notes: null,
  metadata: {},
  status: 'ended',
  startedAt: '2026-03-01T20:00:00Z',
  endedAt: '2026-03-01T22:00:00Z',
  durationSeconds: 7200,
  viewerCount: 0,
  peakViewers: 0,
  totalTipsCents: 1000,
  tipCount: 3,
  tipperCount: 2,
  biggestTipCents: 500,
  rehearsal: false,
  ...patch,
});

describe('replayableSessions', () => {
  it('offers ended, real sessions with tips, each with its tip count', () => {
    const options = replayableSessions([
      session({ id: 'real' }),
      session({ id: 'live', status: 'active' }),
      session({ id: 'rehearsal', rehearsal: true }),
      session({ id: 'quiet', tipCount: 0 }),
      session({ id: 'untitled', title: null, tipCount: 1 }),
    ]);
    expect(options.map((o) => o.value)).toEqual(['real', 'untitled']);
    expect(options[0]!.label).toMatch(/^Friday · .+ · 3 tips$/);
    expect(options[1]!.label).toMatch(/^Untitled session · .+ · 1 tip$/);
  });
});

describe('rehearsalProgress', () => {
  it('says how many tips have played, and the share', () => {
    expect(rehearsalProgress({ played: 3, tipCount: 12 })).toEqual({ text: '3 of 12 tips played', percent: 25 });
    expect(rehearsalProgress({ played: 1, tipCount: 1 })).toEqual({ text: '1 of 1 tip played', percent: 100 });
    expect(rehearsalProgress({ played: 9, tipCount: 4 })).toEqual({ text: '4 of 4 tips played', percent: 100 });
  });
});
