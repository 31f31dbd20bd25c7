/** URLs the widgets load media from: only http(s), only as media elements, never as HTML. */

/** `value` as an absolute http(s) URL (relative ones resolved against `baseUrl`), else undefined. */
export function httpUrl(value: unknown, baseUrl?: string): string | undefined {
  if (typeof value !== 'string' || !value.trim()) return undefined;
  try {
    const url = new URL(value.trim(), baseUrl);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

const VIDEO_EXTENSIONS = /\.(mp4|webm|ogv|mov|m4v)$/i;

/** Whether a custom animation URL is a video or an image: `metadata.mediaType` if given, else by extension. */
export function mediaKind(url: string, declared?: unknown): 'video' | 'image' {
  if (declared === 'video' || declared === 'image') return declared;
  try {
    return VIDEO_EXTENSIONS.test(new URL(url).pathname) ? 'video' : 'image';
  } catch {
    return 'image';
  }
}

const AUDIO_TYPES: Record<string, string> = {
  mp3: 'audio/mpeg',
  mpeg: 'audio/mpeg',
  wav: 'audio/wav',
  wave: 'audio/wav',
  ogg: 'audio/ogg',
  opus: 'audio/ogg',
  webm: 'audio/webm',
  aac: 'audio/aac',
  m4a: 'audio/mp4',
  mp4: 'audio/mp4',
  flac: 'audio/flac',
};

/**
 * A `data:` URL for TTS audio from `chat_participant_audio` (`format` like "mp3" or
 * "audio/mpeg"), or undefined when the format or the base64 is not plausible.
 */
export function audioDataUrl(format: unknown, audioBase64: unknown): string | undefined {
  if (typeof format !== 'string' || typeof audioBase64 !== 'string' || !audioBase64) return undefined;
  const f = format.trim().toLowerCase();
  const type = /^audio\/[a-z0-9.+-]{1,40}$/.test(f) ? f : AUDIO_TYPES[f];
  if (!type) return undefined;
  const base64 = audioBase64.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return undefined;
  return `data:${type};base64,${base64}`;
}
