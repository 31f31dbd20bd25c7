import { ApiError } from '@streaming-companion/client';
import { describe, expect, it } from 'vitest';
import { RULE_LABELS } from '../src/animation-form.ts';
import { formErrors } from '../src/errors.ts';
import { actionsText, MENU_LABELS, moveId, priceText, publicMenuUrl, readMenuItemForm } from '../src/menu-form.ts';

const filled = { title: ' Dance ', description: '', price: '5', priceTokens: '', category: 'performance', emoji: '', animation: '', goalBonus: '', tts: '' };

describe('readMenuItemForm', () => {
  it('reads a plain item: price in dollars as cents, blank optional text as null, no actions', () => {
    expect(readMenuItemForm(filled)).toEqual({
      ok: true,
      value: { title: 'Dance', description: null, priceCents: 500, priceTokens: null, category: 'performance', emoji: null, actions: {} },
    });
  });

  it('reads a token price and every action', () => {
    const read = readMenuItemForm({
      ...filled,
      description: 'a short one',
      price: '12.50',
      priceTokens: '125',
      category: 'request',
      emoji: '💃',
      animation: 'hearts',
      intensity: '8',
      animationUrl: 'https://ignored.example/x.webm',
      goalBonus: '2',
      tts: '{tipperName} bought {title}!',
    });
    expect(read).toEqual({
      ok: true,
      value: {
        title: 'Dance',
        description: 'a short one',
        priceCents: 1250,
        priceTokens: 125,
        category: 'request',
        emoji: '💃',
        actions: { animation: { type: 'hearts', intensity: 8 }, goalBonusCents: 200, ttsTemplate: '{tipperName} bought {title}!' },
      },
    });
  });

  it('keeps the URL of a custom animation, and asks for one when it is missing', () => {
    const custom = readMenuItemForm({ ...filled, animation: 'custom', intensity: '5', animationUrl: '/media/party.webm' });
    expect(custom.ok && custom.value.actions.animation).toEqual({ type: 'custom', intensity: 5, url: '/media/party.webm' });
    expect(readMenuItemForm({ ...filled, animation: 'custom', intensity: '5', animationUrl: ' ' })).toEqual({
      ok: false,
      fields: { animationUrl: 'Animation URL must be given for a custom animation (https://… or /path).' },
    });
  });

  it('names every input that is not right, in words', () => {
    expect(readMenuItemForm({ ...filled, title: '  ', price: 'five', priceTokens: '2.5', goalBonus: '0' })).toEqual({
      ok: false,
      fields: {
        title: 'Title must not be empty.',
        price: 'Price must be an amount like 5 or 12.50.',
        priceTokens: 'Price in tokens must be a whole number like 50.',
        goalBonus: 'Goal bonus must be an amount like 5 or 12.50.',
      },
    });
    expect(readMenuItemForm({ ...filled, price: '0' })).toMatchObject({ ok: false, fields: { price: expect.any(String) } });
    expect(readMenuItemForm({ ...filled, priceTokens: '0' })).toMatchObject({ ok: false, fields: { priceTokens: expect.any(String) } });
  });
});

describe('priceText and actionsText', () => {
  it('shows the price in dollars, and in tokens when there is a token price', () => {
    expect(priceText({ priceCents: 500, priceTokens: null })).toBe('$5.00');
    expect(priceText({ priceCents: 500, priceTokens: 50 })).toBe('$5.00 · 50 tokens');
    expect(priceText({ priceCents: 10, priceTokens: 1 })).toBe('$0.10 · 1 token');
  });

  it('counting in tokens, shows and reads the price in tokens (the token price, or the price converted)', () => {
    const tokens = { kind: 'tokens', centsPerToken: 5, label: 'tokens' } as const;
    expect(priceText({ priceCents: 500, priceTokens: 80 }, tokens)).toBe('80 tokens');
    expect(priceText({ priceCents: 500, priceTokens: null }, tokens)).toBe('100 tokens');
    expect(readMenuItemForm({ ...filled, price: '60', priceTokens: 'ignored', goalBonus: '10' }, tokens)).toMatchObject({
      ok: true,
      value: { priceCents: 300, priceTokens: 60, actions: { goalBonusCents: 50 } },
    });
    expect(readMenuItemForm({ ...filled, price: '2.5' }, tokens)).toEqual({ ok: false, fields: { price: 'Price must be an amount like 50.' } });
  });

  it('says what buying an item sets off', () => {
    expect(actionsText({})).toEqual([]);
    expect(actionsText({ animation: { type: 'rain', intensity: 3 }, goalBonusCents: 250, ttsTemplate: 'Thanks {tipperName}!' })).toEqual([
      'Plays rain (intensity 3)',
      'Adds $2.50 to the goal',
      'Says “Thanks {tipperName}!”',
    ]);
    expect(actionsText({ animation: { type: 'custom', intensity: 5, url: '/x.gif' } })).toEqual(['Plays a custom animation (intensity 5)']);
  });
});

describe('moveId', () => {
  it('moves one id up or down, leaving the rest in order', () => {
    expect(moveId(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moveId(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
  });

  it('changes nothing when the id cannot move that way', () => {
    const ids = ['a', 'b'];
    expect(moveId(ids, 0, -1)).toEqual(['a', 'b']);
    expect(moveId(ids, 1, 1)).toEqual(['a', 'b']);
    expect(moveId(ids, 5, -1)).toEqual(['a', 'b']);
    expect(moveId(ids, 0, 1)).not.toBe(ids);
  });
});

describe('publicMenuUrl', () => {
  it("is the public menu route on the dashboard's own server", () => {
    expect(publicMenuUrl('https://companion.example', '0b7f9c1e-5a1d-4a2b-9a59-2f6b8f4a7c10')).toBe(
      'https://companion.example/api/menu/public/0b7f9c1e-5a1d-4a2b-9a59-2f6b8f4a7c10',
    );
  });
});

describe('server errors on the menu and rule forms', () => {
  it('puts a nested action field next to its input', () => {
    const error = new ApiError({
      status: 400,
      code: 'validation_failed',
      detail: 'x',
      errors: [
        { field: 'body.actions.animation.url', rule: 'custom', message: 'must be an https URL or a path on this server (/…)' },
        { field: 'body.priceTokens', rule: 'too_big', message: 'Too big: expected number to be <=1000000' },
      ],
    });
    expect(formErrors(error, MENU_LABELS)).toEqual({
      fields: { animationUrl: 'Animation URL must be an https URL or a path on this server (/…).', priceTokens: 'Too big: expected number to be <=1000000.' },
      form: undefined,
    });
  });

  it('shows a threshold another rule has next to the amount', () => {
    const error = new ApiError({
      status: 409,
      code: 'threshold_taken',
      detail: 'minAmountCents: another rule already starts at 500',
      errors: [{ field: 'minAmountCents', rule: 'unique', message: 'another rule already starts at this amount' }],
    });
    expect(formErrors(error, RULE_LABELS)).toEqual({ fields: { amount: 'Another rule already starts at this amount.' }, form: undefined });
  });
});
