import { AlertSettings } from '@streaming-companion/plugin-widgets/contract';
import { describe, expect, it } from 'vitest';
import { alertLook, DEFAULT_TEMPLATE, fillTemplate, reachesMinimum, templateParts, usesMessage, variationFor } from '../src/alert-look.ts';
import { readWidgetSettings } from '../src/widget-settings.ts';

const values = { name: 'Kai', amount: '$5.00', message: 'hi there' };

/** The alert settings as an overlay reads them from what the server sends (the contract's schema fills the defaults). */
function alerts(input: Record<string, unknown>) {
  const settings = readWidgetSettings({ creatorId: 'c', settings: { alerts: AlertSettings.parse(input) }, media: {} });
  return settings!.parts.alerts;
}

describe('alert templates', () => {
  it('cuts a template into text and variables', () => {
    expect(templateParts('{name} tipped {amount}!')).toEqual([
      { kind: 'variable', name: 'name', known: true },
      { kind: 'text', text: ' tipped ' },
      { kind: 'variable', name: 'amount', known: true },
      { kind: 'text', text: '!' },
    ]);
    expect(templateParts('Thanks { name } {oops} {')).toEqual([
      { kind: 'text', text: 'Thanks ' },
      { kind: 'variable', name: ' name ', known: false },
      { kind: 'text', text: ' ' },
      { kind: 'variable', name: 'oops', known: false },
      { kind: 'text', text: ' {' },
    ]);
    expect(templateParts('')).toEqual([]);
  });

  it('fills the variables as separate pieces, never splicing values into the text', () => {
    expect(fillTemplate('{name} tipped {amount}! {message}', values)).toEqual([
      { kind: 'name', text: 'Kai' },
      { kind: 'text', text: ' tipped ' },
      { kind: 'amount', text: '$5.00' },
      { kind: 'text', text: '! ' },
      { kind: 'message', text: 'hi there' },
    ]);
    // Markup in a value stays a value (the element renders it as a text node).
    const pieces = fillTemplate('{name}', { ...values, name: '<img src=x onerror=alert(1)>' });
    expect(pieces).toEqual([{ kind: 'name', text: '<img src=x onerror=alert(1)>' }]);
    // A variable a newer server knows and this overlay does not shows as written.
    expect(fillTemplate('{name} {emoji}', values)).toEqual([
      { kind: 'name', text: 'Kai' },
      { kind: 'text', text: ' ' },
      { kind: 'text', text: '{emoji}' },
    ]);
  });

  it('knows whether the template shows the message itself', () => {
    expect(usesMessage('{name}: {message}')).toBe(true);
    expect(usesMessage(DEFAULT_TEMPLATE)).toBe(false);
  });
});

describe('alert variations', () => {
  const settings = alerts({
    template: '{name} tipped {amount}',
    durationMs: 5000,
    animation: 'fade',
    soundId: '11111111-1111-4111-8111-111111111111',
    volume: 40,
    minAmountCents: 100,
    variations: [
      { minAmountCents: 5000, template: 'HUGE {amount} from {name}', animation: 'slide', durationMs: 12_000, textColor: '#ffe066', accentColor: '#00e0ff' },
      { minAmountCents: 1000, template: 'Big {amount}!', volume: 100 },
    ],
  });

  it('picks the highest minimum the amount reaches, whatever the order', () => {
    expect(variationFor(settings, 999)).toBeUndefined();
    expect(variationFor(settings, 1000)?.minAmountCents).toBe(1000);
    expect(variationFor(settings, 4999)?.minAmountCents).toBe(1000);
    expect(variationFor(settings, 5000)?.minAmountCents).toBe(5000);
    expect(variationFor(settings, 1_000_000)?.minAmountCents).toBe(5000);
  });

  it('below every variation the base look applies', () => {
    expect(alertLook(settings, 500)).toEqual({
      template: '{name} tipped {amount}',
      durationMs: 5000,
      animation: 'fade',
      soundId: '11111111-1111-4111-8111-111111111111',
      volume: 40,
      imageId: null,
      textColor: undefined,
      accentColor: undefined,
      variation: undefined,
    });
  });

  it("a variation replaces the base's template, duration, animation, sound, volume and image, and adds its colours", () => {
    const huge = alertLook(settings, 7500);
    expect(huge).toMatchObject({ template: 'HUGE {amount} from {name}', durationMs: 12_000, animation: 'slide', textColor: '#ffe066', accentColor: '#00e0ff', variation: 5000 });
    // Its own values, filled with the schema's defaults: no sound of its own means none.
    expect(huge).toMatchObject({ soundId: null, volume: 80, imageId: null });
    const big = alertLook(settings, 1000);
    expect(big).toMatchObject({ template: 'Big {amount}!', volume: 100, variation: 1000, textColor: undefined });
  });

  it('without settings an alert has the default look', () => {
    expect(alertLook({}, 100)).toMatchObject({ template: DEFAULT_TEMPLATE, animation: 'pop', volume: 80, soundId: null, durationMs: undefined });
  });

  it('tips under the minimum do not alert; without a minimum every tip does', () => {
    expect(reachesMinimum(settings, 99)).toBe(false);
    expect(reachesMinimum(settings, 100)).toBe(true);
    expect(reachesMinimum({}, 1)).toBe(true);
  });
});
