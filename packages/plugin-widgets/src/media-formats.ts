import type { MediaKind } from './contract.ts';

/**
 * The file formats alerts may use, each known by its first bytes. The `Content-Type` an upload
 * says is only a claim (a renamed SVG, a script, says `image/png` as easily): the bytes must
 * agree. No SVG: an image that can carry script.
 */
export interface MediaFormat {
  kind: MediaKind;
  /** What it is stored and served as. */
  mediaType: string;
  /** The `Content-Type`s browsers and tools send for it. */
  aliases: readonly string[];
  label: string;
  matches(bytes: Uint8Array): boolean;
}

const ascii = (bytes: Uint8Array, at: number, text: string) => [...text].every((char, i) => bytes[at + i] === char.charCodeAt(0));
const startsWith = (bytes: Uint8Array, prefix: readonly number[]) => prefix.every((byte, i) => bytes[i] === byte);

/** An MPEG audio frame header: 11 sync bits, a version that exists, a layer that exists. */
function isMpegFrame(bytes: Uint8Array): boolean {
  const [first, second] = [bytes[0] ?? 0, bytes[1] ?? 0];
  return first === 0xff && (second & 0xe0) === 0xe0 && ((second >> 3) & 0b11) !== 0b01 && ((second >> 1) & 0b11) !== 0b00;
}

const EBML = [0x1a, 0x45, 0xdf, 0xa3];
/** An EBML file whose header names the `webm` doc type (a Matroska `.mkv` names `matroska`). */
function isWebm(bytes: Uint8Array): boolean {
  if (!startsWith(bytes, EBML)) return false;
  const header = bytes.subarray(0, 64);
  return header.some((_, i) => ascii(header, i, 'webm'));
}

export const MEDIA_FORMATS: readonly MediaFormat[] = [
  { kind: 'sound', mediaType: 'audio/mpeg', aliases: ['audio/mpeg', 'audio/mp3'], label: 'an MP3 file', matches: (b) => ascii(b, 0, 'ID3') || isMpegFrame(b) },
  { kind: 'sound', mediaType: 'audio/ogg', aliases: ['audio/ogg', 'application/ogg'], label: 'an Ogg file', matches: (b) => ascii(b, 0, 'OggS') },
  {
    kind: 'sound',
    mediaType: 'audio/wav',
    aliases: ['audio/wav', 'audio/x-wav', 'audio/wave', 'audio/vnd.wave'],
    label: 'a WAV file',
    matches: (b) => ascii(b, 0, 'RIFF') && ascii(b, 8, 'WAVE'),
  },
  // Firefox calls a `.webm` file video/webm whatever it holds.
  { kind: 'sound', mediaType: 'audio/webm', aliases: ['audio/webm', 'video/webm'], label: 'a WebM file', matches: isWebm },
  { kind: 'image', mediaType: 'image/png', aliases: ['image/png'], label: 'a PNG image', matches: (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { kind: 'image', mediaType: 'image/jpeg', aliases: ['image/jpeg', 'image/jpg', 'image/pjpeg'], label: 'a JPEG image', matches: (b) => startsWith(b, [0xff, 0xd8, 0xff]) },
  { kind: 'image', mediaType: 'image/gif', aliases: ['image/gif'], label: 'a GIF image', matches: (b) => ascii(b, 0, 'GIF87a') || ascii(b, 0, 'GIF89a') },
  { kind: 'image', mediaType: 'image/webp', aliases: ['image/webp'], label: 'a WebP image', matches: (b) => ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP') },
];

/** Every `Content-Type` an upload may have. */
export const UPLOAD_MEDIA_TYPES: readonly string[] = MEDIA_FORMATS.flatMap((format) => format.aliases);

/** The format a `Content-Type` (lowercased, no parameters) names, if any. */
export const formatOf = (mediaType: string): MediaFormat | undefined => MEDIA_FORMATS.find((format) => format.aliases.includes(mediaType));

/** The `Content-Type`s a kind takes, for messages. */
export const mediaTypesOf = (kind: MediaKind): string[] => MEDIA_FORMATS.filter((format) => format.kind === kind).flatMap((format) => format.aliases);
