import { describe, expect, it } from 'vitest';
import { SecretBox } from '../src/secret-box.ts';

const key = 'k'.repeat(48);

describe('SecretBox (how platform tokens are kept at rest)', () => {
  it('opens what it sealed, and the sealed form shows nothing of the secret', () => {
    const box = new SecretBox(key);
    const secret = 'https://eventsapi.chaturbate.com/events/alice/s3cr3t-t0ken/';
    const sealed = box.seal(secret);
    expect(sealed).not.toContain('s3cr3t');
    expect(sealed.startsWith('v1.')).toBe(true);
    expect(box.open(sealed)).toBe(secret);
  });

  it('seals the same text differently each time (a fresh nonce)', () => {
    const box = new SecretBox(key);
    expect(box.seal('same')).not.toBe(box.seal('same'));
  });

  it('refuses a sealed value that was altered, made under another key, or is not sealed at all', () => {
    const box = new SecretBox(key);
    const [version, iv, tag, body] = box.seal('token').split('.');
    const flipped = Buffer.from(body!, 'base64url');
    flipped[0]! ^= 1;
    expect(() => box.open([version, iv, tag, flipped.toString('base64url')].join('.'))).toThrow();
    expect(() => new SecretBox('o'.repeat(48)).open(box.seal('token'))).toThrow();
    expect(() => box.open('plain text')).toThrow('not a sealed secret');
  });
});
