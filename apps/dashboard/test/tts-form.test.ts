import { ApiError, type DisplayUnit } from '@streaming-companion/client';
import { describe, expect, it } from 'vitest';
import { formErrors } from '../src/errors.ts';
import { amountInputValue } from '../src/format.ts';
import { filterWordsOf, PREVIEW_LABELS, readPreviewForm, readTtsForm, TTS_LABELS } from '../src/tts-form.ts';

const filled = {
  enabled: 'on',
  minAmount: '2.50',
  voice: 'en-us',
  speed: '170',
  pitch: '50',
  maxChars: '200',
  maxSeconds: '20',
  filterWords: '',
  filterMode: 'bleep',
  perTipperPerMinute: '3',
  readName: 'on',
  previewText: 'ignored by the settings',
};

describe('readTtsForm', () => {
  it('reads every setting, the smallest tip in dollars and the words one per line', () => {
    expect(readTtsForm({ ...filled, filterWords: ' pineapple \n\n big   deal\npineapple', filterMode: 'skip' })).toEqual({
      ok: true,
      value: {
        enabled: true,
        minAmountCents: 250,
        voice: 'en-us',
        speed: 170,
        pitch: 50,
        maxChars: 200,
        maxSeconds: 20,
        filterWords: ['pineapple', 'big deal'],
        filterMode: 'skip',
        perTipperPerMinute: 3,
        readName: true,
      },
    });
    // Unticked boxes are absent from the form's values; a blank smallest tip reads every tip.
    const { enabled: _enabled, readName: _readName, ...unticked } = filled;
    expect(readTtsForm({ ...unticked, minAmount: '' })).toMatchObject({ ok: true, value: { enabled: false, readName: false, minAmountCents: 0 } });
  });

  it('reads the smallest tip in the display unit: whole tokens at their rate, or any currency', () => {
    const tokens: DisplayUnit = { kind: 'tokens', centsPerToken: 5, label: 'tk' };
    expect(readTtsForm({ ...filled, minAmount: '50' }, tokens)).toMatchObject({ ok: true, value: { minAmountCents: 250 } });
    expect(readTtsForm({ ...filled, minAmount: '' }, tokens)).toMatchObject({ ok: true, value: { minAmountCents: 0 } });
    expect(readTtsForm({ ...filled, minAmount: '2.50' }, tokens)).toMatchObject({
      ok: false,
      fields: { minAmount: 'Smallest tip read must be an amount like 50 (0 reads every tip).' },
    });
    expect(readTtsForm({ ...filled, minAmount: '€7,25' }, { kind: 'currency', currency: 'EUR' })).toMatchObject({ ok: true, value: { minAmountCents: 725 } });
    // The saved amount, shown for editing in the unit, saves back unchanged.
    expect(readTtsForm({ ...filled, minAmount: amountInputValue(1500, tokens) }, tokens)).toMatchObject({ value: { minAmountCents: 1500 } });
  });

  it("names each input out of the server's range", () => {
    expect(
      readTtsForm({ ...filled, minAmount: 'lots', voice: '', speed: '79', pitch: '100', maxChars: '0', maxSeconds: '61', perTipperPerMinute: '1.5' }),
    ).toEqual({
      ok: false,
      fields: {
        minAmount: 'Smallest tip read must be an amount like 5 or 12.50 (0 reads every tip).',
        voice: 'Choose a voice.',
        speed: 'Speed must be a whole number from 80 to 450.',
        pitch: 'Pitch must be a whole number from 0 to 99.',
        maxChars: 'Longest text must be a whole number from 1 to 500.',
        maxSeconds: 'Longest clip must be a whole number from 1 to 60.',
        perTipperPerMinute: 'Tips read per tipper per minute must be a whole number from 1 to 60.',
      },
    });
    expect(readTtsForm({ ...filled, filterWords: `ok\n${'x'.repeat(51)}` })).toEqual({
      ok: false,
      fields: { filterWords: '“xxxxxxxxxxxxxxxxxxxx…” is too long: each word or phrase must be at most 50 characters.' },
    });
    expect(readTtsForm({ ...filled, filterWords: Array.from({ length: 201 }, (_, i) => `w${i}`).join('\n') })).toMatchObject({
      ok: false,
      fields: { filterWords: 'Words never read must be at most 200 words or phrases.' },
    });
  });

  it("puts the server's refusals next to their inputs", () => {
    const message = '"robot" is not a voice of this server (GET /api/tts/voices lists them)';
    const error = new ApiError({ status: 400, code: 'validation_failed', detail: message, errors: [{ field: 'body.voice', rule: 'unknown_voice', message }] });
    expect(formErrors(error, TTS_LABELS).fields).toEqual({ voice: `${message}.` });
  });
});

describe('readPreviewForm', () => {
  it('reads the line with the voice, speed and pitch the form shows, and puts a refused line at its input', () => {
    expect(readPreviewForm({ ...filled, previewText: ' Hello there ', speed: '300', pitch: '20' })).toEqual({
      ok: true,
      value: { text: 'Hello there', voice: 'en-us', speed: 300, pitch: 20 },
    });
    expect(readPreviewForm({ ...filled, previewText: '', speed: '9000' })).toEqual({
      ok: false,
      fields: { previewText: 'Type something to hear.', speed: 'Speed must be a whole number from 80 to 450.' },
    });
    const message = 'contains a filtered word, and your filter mode is skip: nothing would be read';
    const error = new ApiError({ status: 422, code: 'validation_failed', detail: message, errors: [{ field: 'body.text', rule: 'filtered', message }] });
    expect(formErrors(error, PREVIEW_LABELS).fields).toEqual({ previewText: 'Contains a filtered word, and your filter mode is skip: nothing would be read.' });
  });

  it('keeps each word once, spaces collapsed, blank lines dropped', () => {
    expect(filterWordsOf('a\n  b  c \n\na\n')).toEqual(['a', 'b c']);
    expect(filterWordsOf('')).toEqual([]);
  });
});
