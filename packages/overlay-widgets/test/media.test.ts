import { describe, expect, it } from 'vitest';
import { audioDataUrl, httpUrl, mediaKind } from '../src/media.ts';

describe('httpUrl', () => {
  it('accepts http(s) only', () => {
    expect(httpUrl('https://cdn.example.com/a.gif')).toBe('https://cdn.example.com/a.gif');
    expect(httpUrl('http://x.test/a.webm')).toBe('http://x.test/a.webm');
    expect(httpUrl('javascript:alert(1)')).toBeUndefined();
    expect(httpUrl('data:text/html,<script>alert(1)</script>')).toBeUndefined();
    expect(httpUrl('file:///etc/passwd')).toBeUndefined();
    expect(httpUrl('/relative.png')).toBeUndefined();
    expect(httpUrl('/relative.png', 'http://localhost:3130/overlay/all')).toBe('http://localhost:3130/relative.png');
    expect(httpUrl(42)).toBeUndefined();
    expect(httpUrl('  ')).toBeUndefined();
  });
});

describe('mediaKind', () => {
  it('tells videos from images by extension unless declared', () => {
    expect(mediaKind('https://x/a.mp4')).toBe('video');
    expect(mediaKind('https://x/a.WEBM?x=1')).toBe('video');
    expect(mediaKind('https://x/a.gif')).toBe('image');
    expect(mediaKind('https://x/clip', 'video')).toBe('video');
    expect(mediaKind('https://x/a.mp4', 'image')).toBe('image');
  });
});

describe('audioDataUrl', () => {
  it('builds a data URL for known audio formats and plausible base64', () => {
    expect(audioDataUrl('mp3', 'SUQz')).toBe('data:audio/mpeg;base64,SUQz');
    expect(audioDataUrl('audio/wav', 'UklG\nRg==')).toBe('data:audio/wav;base64,UklGRg==');
    expect(audioDataUrl('ogg', 'T2dnUw==')).toBe('data:audio/ogg;base64,T2dnUw==');
  });
  it('refuses anything else', () => {
    expect(audioDataUrl('text/html', 'PGI+')).toBeUndefined();
    expect(audioDataUrl('exe', 'AAAA')).toBeUndefined();
    expect(audioDataUrl('mp3', 'not base64!')).toBeUndefined();
    expect(audioDataUrl('mp3', '')).toBeUndefined();
    expect(audioDataUrl(undefined, 'AAAA')).toBeUndefined();
  });
});
