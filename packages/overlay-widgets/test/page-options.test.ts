import { describe, expect, it } from 'vitest';
import { keyInQuery, pageAttributes } from '../src/page-options.ts';

describe('pageAttributes', () => {
  it('takes the overlay key from the fragment and options from the query', () => {
    const attrs = pageAttributes('?duration=8000&tiers=100:small,1000:big&currency=EUR&limit=8&server=http://10.0.0.2:3130', '#key=abcdefabcdefabcdef');
    expect(Object.fromEntries(attrs)).toEqual({
      duration: '8000',
      tiers: '100:small,1000:big',
      currency: 'EUR',
      limit: '8',
      server: 'http://10.0.0.2:3130',
      'overlay-key': 'abcdefabcdefabcdef',
    });
  });

  it('maps session to session-id, passes tier options and drops anything else', () => {
    const attrs = pageAttributes('?session=abc&tier-big-sound=https://x/y.mp3&tier-big-animation=confetti&onclick=alert(1)&style=x&tier-BAD NAME-sound=1', '');
    expect(Object.fromEntries(attrs)).toEqual({
      'session-id': 'abc',
      'tier-big-sound': 'https://x/y.mp3',
      'tier-big-animation': 'confetti',
    });
  });

  it('passes the tip menu options', () => {
    const attrs = pageAttributes('?font-size=36&columns=2&text-color=%23fff&background=rgba(0,0,0,0.5)&accent-color=gold&highlight-duration=6000&cents-per-token=5', '#key=k');
    expect(Object.fromEntries(attrs)).toEqual({
      'font-size': '36',
      columns: '2',
      'text-color': '#fff',
      background: 'rgba(0,0,0,0.5)',
      'accent-color': 'gold',
      'highlight-duration': '6000',
      'cents-per-token': '5',
      'overlay-key': 'k',
    });
  });

  it('takes the key from the fragment only: a key in the query (logged by servers and proxies) is ignored', () => {
    expect(pageAttributes('?key=from-query', '').has('overlay-key')).toBe(false);
    expect(pageAttributes('?overlay-key=from-query&KEY=again', '').has('overlay-key')).toBe(false);
    expect(pageAttributes('?key=from-query', '#key=from-fragment').get('overlay-key')).toBe('from-fragment');
    expect(pageAttributes('', '#overlay-key=k2').get('overlay-key')).toBe('k2');
    expect(pageAttributes('', '#session=s1').get('session-id')).toBe('s1');
    expect(keyInQuery('?duration=5000&key=k')).toBe(true);
    expect(keyInQuery('?Overlay-Key=k')).toBe(true);
    expect(keyInQuery('?duration=5000')).toBe(false);
  });

  it('is empty for a bare URL', () => {
    expect(pageAttributes('', '').size).toBe(0);
  });
});
