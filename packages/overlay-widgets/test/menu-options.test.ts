import { describe, expect, it } from 'vitest';
import { columnsOption, fontSizeOption, menuStyleProperties, parseColumns, parseFontSize, safeColor } from '../src/menu-options.ts';

describe('font-size and columns', () => {
  it('parses px sizes, clamped to 12–96, default 28', () => {
    expect(parseFontSize('32')).toBe(32);
    expect(parseFontSize('32px')).toBe(32);
    expect(parseFontSize(' 40.5 PX ')).toBe(40.5);
    expect(parseFontSize('4')).toBe(12);
    expect(parseFontSize('500')).toBe(96);
    expect(parseFontSize(50)).toBe(50);
    for (const bad of [null, undefined, '', 'big', '2em', '-5', '10px; color: red', Number.NaN]) expect(parseFontSize(bad)).toBe(28);
    expect(fontSizeOption(null)).toBeUndefined();
  });

  it('parses columns as 1–4, default 1', () => {
    expect(parseColumns('2')).toBe(2);
    expect(parseColumns(3)).toBe(3);
    expect(parseColumns('0')).toBe(1);
    expect(parseColumns('9')).toBe(4);
    expect(parseColumns(2.7)).toBe(2);
    for (const bad of [null, '', 'two', '2.5', '1; x']) expect(parseColumns(bad)).toBe(1);
    expect(columnsOption(undefined)).toBeUndefined();
  });
});

describe('safeColor without a browser', () => {
  it('accepts hex, rgb()/rgba()/hsl()/hsla() and named colours', () => {
    for (const color of ['#fff', '#FFFA', '#ff4d8d', '#ff4d8d80', 'rgb(255, 0, 0)', 'rgba(20,10,40,0.8)', 'rgb(255 0 0 / 50%)', 'hsl(120deg 50% 50%)', 'hsla(120, 50%, 50%, .5)', 'red', 'RebeccaPurple', 'transparent']) {
      expect(safeColor(color, undefined)).toBe(color);
    }
    expect(safeColor('  #abc  ', undefined)).toBe('#abc');
  });

  it('refuses anything that is not just a colour', () => {
    for (const value of [
      '',
      '   ',
      '#ff',
      '#gggggg',
      'red; background: url(https://evil.example/x.png)',
      'red}:host{display:none',
      'url(https://evil.example/x.png)',
      'var(--other)',
      'rgb(1,2,3);x:y',
      'rgb(1,2,3) url(x)',
      'expression(alert(1))',
      '"red"',
      'red\\3b',
      '/* */red',
      'linear-gradient(red, blue)',
      'light blue',
      'x'.repeat(200),
    ]) {
      expect(safeColor(value, undefined), value).toBeUndefined();
    }
    expect(safeColor(null, undefined)).toBeUndefined();
    expect(safeColor(42, undefined)).toBeUndefined();
  });
});

describe('safeColor in a browser', () => {
  it('lets the browser decide (CSS.supports), after refusing what could reach beyond the value', () => {
    const supported = new Set(['oklch(70% 0.1 200)', 'color-mix(in srgb, red, blue)', 'var(--x)']);
    const check = (value: string) => supported.has(value);
    expect(safeColor('oklch(70% 0.1 200)', check)).toBe('oklch(70% 0.1 200)');
    expect(safeColor('color-mix(in srgb, red, blue)', check)).toBe('color-mix(in srgb, red, blue)');
    expect(safeColor('var(--x)', check)).toBeUndefined();
    expect(safeColor('#fff', check)).toBeUndefined();
    expect(
      safeColor('red', () => {
        throw new Error('no');
      }),
    ).toBeUndefined();
  });
});

describe('menuStyleProperties', () => {
  it('sets a custom property for each valid attribute and leaves out the rest', () => {
    expect(menuStyleProperties({ fontSize: '40', columns: '2', textColor: '#fff', background: 'rgba(0,0,0,0.5)', accentColor: 'gold' }, undefined)).toEqual({
      '--sc-menu-font-size': '40px',
      '--sc-menu-columns': '2',
      '--sc-menu-text-color': '#fff',
      '--sc-menu-background': 'rgba(0,0,0,0.5)',
      '--sc-menu-accent': 'gold',
    });
    expect(menuStyleProperties({}, undefined)).toEqual({});
    expect(menuStyleProperties({ fontSize: 'huge', columns: '12', textColor: 'red;x:y', background: 'url(x)', accentColor: null }, undefined)).toEqual({
      '--sc-menu-columns': '4',
    });
  });
});
