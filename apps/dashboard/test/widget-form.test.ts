import { ApiError, type DisplayUnit, type WidgetMedia } from '@streaming-companion/client';
import { describe, expect, it } from 'vitest';
import { formErrors } from '../src/errors.ts';
import {
  addVariationRow,
  joinColour,
  mediaInUseMessage,
  mediaOptions,
  readDisplayForm,
  readTestAlertForm,
  readWidgetForm,
  removeVariationRow,
  setOwnColours,
  splitColour,
  variationAmountValue,
  variationInput,
  variationRows,
  widgetLabels,
  widgetTabOf,
} from '../src/widget-form.ts';

const USD: DisplayUnit = { kind: 'currency', currency: 'USD' };
const TOKENS: DisplayUnit = { kind: 'tokens', centsPerToken: 5, label: 'tokens' };

const theme = {
  textColor: '#FFFFFF',
  accentColor: '#ff4f8b',
  backgroundColor: '#14141a',
  backgroundOpacity: '80',
  fontFamily: 'rounded',
  fontSize: '32',
  position: 'bottom-right',
  width: '640',
};
const themeValue = {
  textColor: '#ffffff',
  accentColor: '#ff4f8b',
  backgroundColor: '#14141acc',
  fontFamily: 'rounded',
  fontSizePx: 32,
  position: 'bottom-right',
  widthPx: 640,
};
const look = { template: '{name} tipped {amount}!', duration: '2.5', animation: 'slide', soundId: '', volume: '60', imageId: '' };
const SOUND = '0b8e3a4e-4f4a-4b0e-9a51-0d5b1a1f2e3c';

describe('colours', () => {
  it('splits a colour with alpha into a colour input and an opacity, and joins them back', () => {
    expect(splitColour('#14141ACC')).toEqual({ rgb: '#14141a', opacity: 80 });
    expect(splitColour('#ff4f8b')).toEqual({ rgb: '#ff4f8b', opacity: 100 });
    expect(joinColour('#14141A', 80)).toBe('#14141acc');
    expect(joinColour('#14141a', 100)).toBe('#14141a');
    expect(joinColour('#000000', 0)).toBe('#00000000');
  });
});

describe('readWidgetForm', () => {
  it('reads the theme and each widget’s own settings', () => {
    expect(readWidgetForm('goal', { ...theme, showReached: 'on' }, [], USD)).toEqual({ ok: true, value: { ...themeValue, showReached: true } });
    expect(readWidgetForm('goal', theme, [], USD)).toMatchObject({ ok: true, value: { showReached: false } });
    expect(readWidgetForm('recent', { ...theme, limit: '8' }, [], USD)).toEqual({ ok: true, value: { ...themeValue, limit: 8 } });
    expect(readWidgetForm('leaderboard', { ...theme, title: ' Kings ', limit: '3' }, [], USD)).toEqual({ ok: true, value: { ...themeValue, title: 'Kings', limit: 3 } });
    expect(readWidgetForm('highlights', { ...theme, show: 'biggest' }, [], USD)).toEqual({ ok: true, value: { ...themeValue, show: 'biggest' } });
  });

  it('reads an alert with its variations, amounts in the display unit and durations in seconds', () => {
    const rows = addVariationRow(addVariationRow([]));
    const [first, second] = rows.map((row) => (part: string) => variationInput(row.key, part));
    const values = {
      ...theme,
      ...look,
      minAmount: '20',
      soundId: SOUND,
      ...Object.fromEntries(Object.entries({ ...look, minAmount: '100', template: 'WOW {name}!', duration: '10' }).map(([part, v]) => [first!(part), v])),
      ...Object.fromEntries(Object.entries({ ...look, minAmount: '500', imageId: SOUND }).map(([part, v]) => [second!(part), v])),
      [second!('textColor')]: '#00FF00',
      [second!('accentColor')]: '#0000ff',
    };
    const read = readWidgetForm('alerts', values, setOwnColours(rows, rows[1]!.key, true), TOKENS);
    expect(read).toEqual({
      ok: true,
      value: {
        ...themeValue,
        template: '{name} tipped {amount}!',
        durationMs: 2500,
        animation: 'slide',
        soundId: SOUND,
        volume: 60,
        imageId: null,
        minAmountCents: 100,
        variations: [
          { minAmountCents: 500, template: 'WOW {name}!', durationMs: 10_000, animation: 'slide', soundId: null, volume: 60, imageId: null },
          { minAmountCents: 2500, template: '{name} tipped {amount}!', durationMs: 2500, animation: 'slide', soundId: null, volume: 60, imageId: SOUND, textColor: '#00ff00', accentColor: '#0000ff' },
        ],
      },
    });
    // In money, "20" is twenty dollars.
    expect(readWidgetForm('alerts', { ...theme, ...look, minAmount: '20' }, [], USD)).toMatchObject({ ok: true, value: { minAmountCents: 2000 } });
  });

  it('names each input out of range, in its row for a variation', () => {
    const rows = addVariationRow(addVariationRow([]));
    const input = (i: number, part: string) => variationInput(rows[i]!.key, part);
    const values = {
      ...theme,
      textColor: 'red',
      backgroundOpacity: '101',
      fontSize: '9',
      width: '2000',
      ...look,
      template: ' ',
      duration: '0.5',
      volume: '101',
      minAmount: '1.5',
      [input(0, 'minAmount')]: '5',
      [input(0, 'template')]: 'Hi',
      [input(0, 'duration')]: '5',
      [input(0, 'animation')]: 'spin',
      [input(0, 'volume')]: '50',
      [input(1, 'minAmount')]: '5',
      [input(1, 'template')]: 'Hi',
      [input(1, 'duration')]: '61',
      [input(1, 'animation')]: 'pop',
      [input(1, 'volume')]: '50',
    };
    expect(readWidgetForm('alerts', values, rows, TOKENS)).toEqual({
      ok: false,
      fields: {
        textColor: 'Text colour must be a colour like #ff4f8b.',
        backgroundOpacity: 'Background opacity must be a whole number from 0 to 100.',
        fontSize: 'Text size must be a whole number from 10 to 96.',
        width: 'Width must be a whole number from 120 to 1920.',
        template: 'Alert text must not be empty.',
        duration: 'Duration must be from 1 to 60 seconds, like 5 or 2.5.',
        volume: 'Volume must be a whole number from 0 to 100.',
        minAmount: 'Minimum amount must be an amount like 50 (0 for every tip).',
        [input(0, 'animation')]: 'Animation must be one of the choices.',
        [input(1, 'duration')]: 'Duration must be from 1 to 60 seconds, like 5 or 2.5.',
        [input(1, 'minAmount')]: 'Another variation starts at this amount: give each its own.',
      },
    });
    expect(readWidgetForm('recent', { ...theme, limit: '21' }, [], USD)).toEqual({ ok: false, fields: { limit: 'Tips shown must be a whole number from 1 to 20.' } });
    expect(readWidgetForm('leaderboard', { ...theme, title: 'x'.repeat(61), limit: '0' }, [], USD)).toEqual({
      ok: false,
      fields: { title: 'Title must be at most 60 characters.', limit: 'Tippers shown must be a whole number from 1 to 10.' },
    });
  });
});

describe('variation rows', () => {
  it('keeps each row’s key while rows come and go, and never passes ten', () => {
    const saved = variationRows([
      { minAmountCents: 1000, template: 'a', durationMs: 5000, animation: 'pop', soundId: null, volume: 80, imageId: null },
      { minAmountCents: 5000, template: 'b', durationMs: 5000, animation: 'pop', soundId: null, volume: 80, imageId: null, textColor: '#ffffff' },
    ]);
    expect(saved.map((row) => [row.key, row.ownColours])).toEqual([['v1', false], ['v2', true]]);
    expect(variationAmountValue(saved[1]!, USD)).toBe('50.00');
    expect(variationAmountValue(saved[1]!, TOKENS)).toBe('1000');
    const grown = addVariationRow(removeVariationRow(saved, 'v1'));
    expect(grown.map((row) => row.key)).toEqual(['v2', 'v3']);
    expect(variationAmountValue(grown[1]!, USD)).toBe('');
    let rows = grown;
    for (let i = 0; i < 20; i++) rows = addVariationRow(rows);
    expect(rows).toHaveLength(10);
  });

  it('puts the server’s errors at the row’s input, by its place in the list', () => {
    const rows = addVariationRow(addVariationRow([]));
    const error = new ApiError({
      status: 400,
      code: 'validation_failed',
      detail: 'invalid',
      errors: [
        { field: 'body.variations.1.template', rule: 'custom', message: 'use only the variables {name}, {amount}, {message}' },
        { field: 'body.fontSizePx', rule: 'too_big', message: 'must be at most 96' },
        { field: 'body.variations', rule: 'custom', message: 'two variations have the same minimum amount' },
      ],
    });
    expect(formErrors(error, widgetLabels('alerts', rows))).toEqual({
      fields: { [variationInput(rows[1]!.key, 'template')]: 'Use only the variables {name}, {amount}, {message}.', fontSize: 'Text size must be at most 96.' },
      form: 'Two variations have the same minimum amount.',
    });
  });
});

describe('readDisplayForm', () => {
  it('reads tokens with their rate and name, or a currency', () => {
    expect(readDisplayForm({ unitKind: 'tokens', centsPerToken: '5', tokenLabel: ' tk ' })).toEqual({ ok: true, value: { kind: 'tokens', centsPerToken: 5, label: 'tk' } });
    expect(readDisplayForm({ unitKind: 'tokens', centsPerToken: '8', tokenLabel: '' })).toEqual({ ok: true, value: { kind: 'tokens', centsPerToken: 8, label: 'tokens' } });
    expect(readDisplayForm({ unitKind: 'currency', currency: 'eur' })).toEqual({ ok: true, value: { kind: 'currency', currency: 'EUR' } });
  });

  it('names what is wrong', () => {
    expect(readDisplayForm({ unitKind: 'tokens', centsPerToken: '0', tokenLabel: 'x'.repeat(21) })).toEqual({
      ok: false,
      fields: { centsPerToken: 'Cents per token must be a whole number from 1 to 10000.', tokenLabel: 'Token name must be at most 20 characters.' },
    });
    expect(readDisplayForm({ unitKind: 'currency', currency: 'dollars' })).toEqual({ ok: false, fields: { currency: 'Currency must be a currency code like USD.' } });
  });
});

describe('readTestAlertForm', () => {
  it('reads the sample tip in the display unit', () => {
    expect(readTestAlertForm({ testAmount: '100', testName: ' Kai ' }, TOKENS)).toEqual({ ok: true, value: { amountCents: 500, tipperName: 'Kai' } });
    expect(readTestAlertForm({ testAmount: '7.50', testName: '' }, USD)).toEqual({ ok: true, value: { amountCents: 750 } });
    expect(readTestAlertForm({ testAmount: '0', testName: '' }, USD)).toEqual({ ok: false, fields: { testAmount: 'Test amount must be an amount like 5 or 12.50.' } });
  });
});

describe('tabs and pickers', () => {
  it('shows the first tab for a route that names none, or one that does not exist', () => {
    expect(widgetTabOf(undefined)).toBe('alerts');
    expect(widgetTabOf('nope')).toBe('alerts');
    expect(widgetTabOf('display')).toBe('display');
  });

  it('offers the uploads of one kind, after “None”', () => {
    const media = (id: string, kind: WidgetMedia['kind'], name: string) => ({ id, kind, name, mediaType: '', sizeBytes: 1, url: '', createdAt: '' });
    expect(mediaOptions([media('a', 'sound', 'ding.mp3'), media('b', 'image', 'heart.gif')], 'sound')).toEqual([
      { value: '', label: 'None' },
      { value: 'a', label: 'ding.mp3' },
    ]);
  });

  it('names the saved settings that keep an upload from being deleted, as the alerts form calls them', () => {
    expect(mediaInUseMessage(['alerts.soundId', 'alerts.variations.1.imageId'])).toBe(
      "Your saved tip alerts still use this file (every alert's sound, variation 2's image): pick another file there and save, then delete it.",
    );
  });
});
