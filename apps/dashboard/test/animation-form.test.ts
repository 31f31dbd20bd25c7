import { describe, expect, it } from 'vitest';
import { formatSeconds, parseSeconds, readRuleForm, readSettingsForm } from '../src/animation-form.ts';
import { amountInputValue } from '../src/format.ts';

describe('readRuleForm', () => {
  it('reads a rule: the amount in cents, the active box, no URL for a built-in animation', () => {
    expect(readRuleForm({ amount: '10', type: 'confetti', intensity: '4', url: 'https://left.over/x.gif', active: 'on' })).toEqual({
      ok: true,
      value: { minAmountCents: 1000, type: 'confetti', intensity: 4, url: null, active: true },
    });
    // An unticked box is absent from the form's values.
    expect(readRuleForm({ amount: '2.50', type: 'hearts', intensity: '3' })).toMatchObject({ ok: true, value: { minAmountCents: 250, active: false } });
  });

  it('needs a URL for a custom animation, and an amount', () => {
    expect(readRuleForm({ amount: '20', type: 'custom', intensity: '9', url: ' /media/party.webm ', active: 'on' })).toMatchObject({
      ok: true,
      value: { type: 'custom', url: '/media/party.webm' },
    });
    expect(readRuleForm({ amount: '', type: 'custom', intensity: '3', url: '' })).toEqual({
      ok: false,
      fields: {
        amount: 'Tips from must be an amount like 5 or 12.50.',
        url: 'Image or video URL must be given for a custom animation (https://… or /path).',
      },
    });
    expect(readRuleForm({ amount: '0', type: 'rain', intensity: '3' })).toMatchObject({ ok: false, fields: { amount: expect.any(String) } });
  });

  it('reads the amount in the display unit: whole tokens at their rate, or any currency', () => {
    const tokens = { kind: 'tokens', centsPerToken: 8, label: 'tokens' } as const;
    expect(readRuleForm({ amount: '100', type: 'hearts', intensity: '3' }, tokens)).toMatchObject({ ok: true, value: { minAmountCents: 800 } });
    expect(readRuleForm({ amount: '12.5', type: 'hearts', intensity: '3' }, tokens)).toEqual({ ok: false, fields: { amount: 'Tips from must be an amount like 50.' } });
    expect(readRuleForm({ amount: '£3.20', type: 'rain', intensity: '3' }, { kind: 'currency', currency: 'GBP' })).toMatchObject({ ok: true, value: { minAmountCents: 320 } });
    // The saved amount, shown for editing in the unit, saves back unchanged.
    expect(readRuleForm({ amount: amountInputValue(2400, tokens), type: 'rain', intensity: '3' }, tokens)).toMatchObject({ value: { minAmountCents: 2400 } });
  });
});

describe('parseSeconds and formatSeconds', () => {
  it('reads seconds as milliseconds, and writes them back', () => {
    expect(parseSeconds('2')).toBe(2000);
    expect(parseSeconds(' 1.5 ')).toBe(1500);
    expect(parseSeconds('0,25')).toBe(250);
    expect(parseSeconds('0')).toBe(0);
    expect(formatSeconds(1500)).toBe('1.5');
    expect(formatSeconds(2000)).toBe('2');
    expect(formatSeconds(250)).toBe('0.25');
  });

  it('refuses what is not a number of seconds', () => {
    for (const text of ['', 'soon', '-1', '1.2345', '1e3', '.5']) expect(parseSeconds(text), text).toBeNull();
  });
});

describe('readSettingsForm', () => {
  it('reads the settings, times in seconds', () => {
    expect(readSettingsForm({ cooldown: '1.5', maxConcurrent: '3', effect: '4' })).toEqual({ ok: true, value: { cooldownMs: 1500, maxConcurrent: 3, effectMs: 4000 } });
  });

  it('names each setting out of range, in its unit', () => {
    expect(readSettingsForm({ cooldown: '61', maxConcurrent: '0', effect: '0.2' })).toEqual({
      ok: false,
      fields: {
        cooldown: 'Cooldown must be between 0 and 60 seconds.',
        maxConcurrent: 'Most playing at once must be between 1 and 10.',
        effect: 'Effect length must be between 0.5 and 60 seconds.',
      },
    });
  });
});
