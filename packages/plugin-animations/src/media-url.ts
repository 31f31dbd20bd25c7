/**
 * Where a custom animation's image or video may come from: an https URL, or a path on this
 * server. Anything else (`javascript:`, `data:`, plain http, a protocol-relative `//host`) is refused.
 */
export function isSafeMediaUrl(value: string): boolean {
  if (value.startsWith('/')) return !value.startsWith('//') && !value.includes('\\');
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}
