import { describe, expect, it } from 'vitest';
import { attachmentName } from '../src/download.ts';

describe('attachmentName', () => {
  it('reads the file name the server gives', () => {
    expect(attachmentName('attachment; filename="tips-2026-03-01-to-2026-03-08.csv"', 'tips.csv')).toBe('tips-2026-03-01-to-2026-03-08.csv');
    expect(attachmentName('attachment; filename=report.csv', 'tips.csv')).toBe('report.csv');
    expect(attachmentName('attachment; filename="a \\"quoted\\" name.csv"; size=10', 'tips.csv')).toBe('a "quoted" name.csv');
  });

  it('prefers the encoded name, as RFC 6266 says', () => {
    expect(attachmentName(`attachment; filename="tips.csv"; filename*=UTF-8''Tr%C3%BCbe%20tips.csv`, 'x.csv')).toBe('Trübe tips.csv');
    expect(attachmentName(`attachment; filename*=utf-8''%E0%A4%A.csv; filename="plain.csv"`, 'x.csv')).toBe('plain.csv');
  });

  it('keeps only a name, never a path, and falls back without one', () => {
    expect(attachmentName('attachment; filename="../../etc/passwd"', 'tips.csv')).toBe('passwd');
    expect(attachmentName('attachment; filename="C:\\\\temp\\\\x.csv"', 'tips.csv')).toBe('x.csv');
    expect(attachmentName('attachment', 'tips.csv')).toBe('tips.csv');
    expect(attachmentName('attachment; filename=""', 'tips.csv')).toBe('tips.csv');
    expect(attachmentName(null, 'tips.csv')).toBe('tips.csv');
  });
});
