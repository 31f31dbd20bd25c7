import { WidgetSettings, WidgetSettingsEvent } from '@streaming-companion/plugin-widgets/contract';
import { describe, expect, it } from 'vitest';
import { amountFormat, FONT_STACKS, mediaUrl, readDisplay, readWidgetSettings, themeProperties } from '../src/widget-settings.ts';

const CREATOR = '0b0b0b0b-0b0b-4b0b-8b0b-0b0b0b0b0b0b';
const SOUND = '11111111-1111-4111-8111-111111111111';

/** A `widget_settings` exactly as the server builds it (the contract's schemas fill every default). */
function event(settings: Record<string, unknown>, media: Record<string, string> = {}) {
  return WidgetSettingsEvent.parse({ creatorId: CREATOR, settings: WidgetSettings.parse(settings), media });
}

describe('readWidgetSettings', () => {
  it('takes what the server sends, every widget and the display unit', () => {
    const read = readWidgetSettings(
      event(
        {
          display: { kind: 'tokens', centsPerToken: 5, label: 'tokens' },
          alerts: { accentColor: '#00e0ff', soundId: SOUND, minAmountCents: 100, variations: [{ minAmountCents: 1000, template: 'Big {amount}!' }] },
          goal: { showReached: false, position: 'bottom' },
          recent: { limit: 8 },
          leaderboard: { title: 'Whales', limit: 3 },
          highlights: { show: 'biggest' },
        },
        { [SOUND]: `/api/widgets/media/${SOUND}` },
      ),
    )!;
    expect(read.creatorId).toBe(CREATOR);
    expect(read.display).toEqual({ kind: 'tokens', centsPerToken: 5, label: 'tokens' });
    expect(read.parts.alerts).toMatchObject({ accentColor: '#00e0ff', textColor: '#ffffff', soundId: SOUND, minAmountCents: 100, template: '{name} tipped {amount}!' });
    expect(read.parts.alerts.variations).toEqual([expect.objectContaining({ minAmountCents: 1000, template: 'Big {amount}!', durationMs: 5000 })]);
    expect(read.parts.goal).toMatchObject({ showReached: false, position: 'bottom', fontFamily: 'system' });
    expect(read.parts.recent.limit).toBe(8);
    expect(read.parts.leaderboard).toMatchObject({ title: 'Whales', limit: 3 });
    expect(read.parts.highlights.show).toBe('biggest');
    expect(read.media.get(SOUND)).toBe(`/api/widgets/media/${SOUND}`);
  });

  it('leaves out, one by one, the fields that do not parse (an older or newer server), keeping the rest', () => {
    const read = readWidgetSettings({
      creatorId: CREATOR,
      settings: {
        alerts: {
          textColor: 'red; background: url(https://evil.example/x)',
          accentColor: '#00e0ff',
          fontFamily: "Comic Sans'; } * { display: none",
          fontSizePx: 4000,
          position: 'top; left: 0',
          widthPx: 600.5,
          template: '{name} {constructor}',
          durationMs: '5000',
          animation: 'explode',
          soundId: 'javascript:alert(1)',
          volume: 80,
          minAmountCents: -1,
          variations: [{ template: 'no minimum' }, { minAmountCents: 500, textColor: 'blue', template: 'Big' }, { minAmountCents: 500, template: 'second with the same minimum' }],
        },
        goal: 'not an object',
        recent: { limit: 0 },
        leaderboard: { title: 'x'.repeat(61), limit: 11 },
        highlights: { show: 'all' },
        display: { kind: 'currency', currency: 'usd' },
      },
      media: { 'not-a-uuid': '/x', [SOUND]: 42 },
    })!;
    expect(read.parts.alerts).toEqual({ accentColor: '#00e0ff', volume: 80, variations: [{ minAmountCents: 500, template: 'Big' }] });
    expect(read.parts.goal).toEqual({});
    expect(read.parts.recent).toEqual({});
    expect(read.parts.leaderboard).toEqual({});
    expect(read.parts.highlights).toEqual({});
    expect(read.display).toBeUndefined();
    expect(read.media.size).toBe(0);
  });

  it('is undefined for something that is not a settings event at all', () => {
    expect(readWidgetSettings(null)).toBeUndefined();
    expect(readWidgetSettings({ settings: {} })).toBeUndefined();
    expect(readWidgetSettings({ creatorId: CREATOR })).toBeUndefined();
  });

  it('reads a display unit, with the default token label', () => {
    expect(readDisplay({ kind: 'currency', currency: 'EUR' })).toEqual({ kind: 'currency', currency: 'EUR' });
    expect(readDisplay({ kind: 'tokens', centsPerToken: 10 })).toEqual({ kind: 'tokens', centsPerToken: 10, label: 'tokens' });
    expect(readDisplay({ kind: 'tokens', centsPerToken: 0 })).toBeUndefined();
    expect(readDisplay({ kind: 'gold' })).toBeUndefined();
  });
});

describe('themeProperties', () => {
  it('turns a theme into custom properties: hex colours, a font stack from the table, whole pixels', () => {
    const read = readWidgetSettings(event({ recent: { textColor: '#ffe066', accentColor: '#00e0ff', backgroundColor: '#00000080', fontFamily: 'serif', fontSizePx: 30, widthPx: 700 } }))!;
    expect(themeProperties(read.parts.recent)).toEqual({
      '--sc-text-color': '#ffe066',
      '--sc-accent': '#00e0ff',
      '--sc-amount-color': '#00e0ff',
      '--sc-background': '#00000080',
      '--sc-font-family': FONT_STACKS.serif,
      '--sc-font-size': '30px',
      '--sc-width': '700px',
    });
  });

  it('sets nothing for what is missing', () => {
    expect(themeProperties({})).toEqual({});
    expect(themeProperties({ fontSizePx: 12 })).toEqual({ '--sc-font-size': '12px' });
  });
});

describe('amountFormat', () => {
  const tokens = { kind: 'tokens', centsPerToken: 5, label: 'tks' } as const;

  it("follows the creator's display unit", () => {
    expect(amountFormat({}, tokens)).toEqual({ locale: undefined, centsPerToken: 5, tokenLabel: 'tks' });
    expect(amountFormat({ locale: 'de-DE' }, { kind: 'currency', currency: 'EUR' })).toEqual({ locale: 'de-DE', currency: 'EUR' });
    expect(amountFormat({}, undefined)).toEqual({ locale: undefined, currency: undefined });
  });

  it('an explicit cents-per-token or currency (a URL option) wins over it', () => {
    expect(amountFormat({ centsPerToken: 10 }, { kind: 'currency', currency: 'EUR' })).toEqual({ locale: undefined, centsPerToken: 10 });
    expect(amountFormat({ currency: 'GBP' }, tokens)).toEqual({ locale: undefined, currency: 'GBP' });
    expect(amountFormat({ centsPerToken: Number.NaN }, tokens)).toMatchObject({ centsPerToken: 5 });
  });
});

describe('mediaUrl', () => {
  const settings = { media: new Map([[SOUND, `/api/widgets/media/${SOUND}`], ['22222222-2222-4222-8222-222222222222', 'javascript:alert(1)']]) };

  it("resolves a media id to an http(s) URL on the overlay's server", () => {
    expect(mediaUrl(settings, SOUND, 'http://localhost:3130')).toBe(`http://localhost:3130/api/widgets/media/${SOUND}`);
    expect(mediaUrl(settings, null, 'http://localhost:3130')).toBeUndefined();
    expect(mediaUrl(settings, '33333333-3333-4333-8333-333333333333', 'http://localhost:3130')).toBeUndefined();
    expect(mediaUrl(undefined, SOUND, 'http://localhost:3130')).toBeUndefined();
  });

  it('refuses anything but http(s)', () => {
    expect(mediaUrl(settings, '22222222-2222-4222-8222-222222222222', 'http://localhost:3130')).toBeUndefined();
  });
});
