/**
 * RIFF/WAVE files as engines produce them: where the samples are, how long they last, and the
 * same file cut short. Durations come from the header (bytes of samples ÷ bytes per second),
 * never from the engine's word for it.
 */

export interface WavLayout {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** Bytes of sound per second. */
  byteRate: number;
  /** Bytes of one sample across every channel; a cut never splits one. */
  blockAlign: number;
  /** 1 is integer PCM. */
  formatTag: number;
  /** Where the `data` chunk's samples start. */
  dataOffset: number;
  /** How many bytes of samples there are (what the file holds, whatever its header claims). */
  dataLength: number;
}

export class InvalidWavError extends Error {
  constructor(reason: string) {
    super(`not a usable WAV file: ${reason}`);
    this.name = 'InvalidWavError';
  }
}

const PCM = 1;
const RIFF_HEADER_BYTES = 12;
const CHUNK_HEADER_BYTES = 8;
/** Long enough that a cut does not click, short enough not to be heard as a fade. */
const FADE_OUT_MS = 30;

export function readWav(bytes: Uint8Array): WavLayout {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ascii = (offset: number) => String.fromCharCode(...bytes.subarray(offset, offset + 4));
  if (bytes.byteLength < RIFF_HEADER_BYTES || ascii(0) !== 'RIFF' || ascii(8) !== 'WAVE') throw new InvalidWavError('no RIFF/WAVE header');
  let format: Omit<WavLayout, 'dataOffset' | 'dataLength'> | undefined;
  for (let offset = RIFF_HEADER_BYTES; offset + CHUNK_HEADER_BYTES <= bytes.byteLength; ) {
    const id = ascii(offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + CHUNK_HEADER_BYTES;
    if (id === 'fmt ') {
      if (size < 16) throw new InvalidWavError('fmt chunk too short');
      format = {
        formatTag: view.getUint16(body, true),
        channels: view.getUint16(body + 2, true),
        sampleRate: view.getUint32(body + 4, true),
        byteRate: view.getUint32(body + 8, true),
        blockAlign: view.getUint16(body + 12, true),
        bitsPerSample: view.getUint16(body + 14, true),
      };
    } else if (id === 'data') {
      if (!format) throw new InvalidWavError('data before fmt');
      if (!format.byteRate || !format.blockAlign || !format.channels) throw new InvalidWavError('a zero byte rate, block size or channel count');
      // Engines that stream write a placeholder size; the bytes present are what counts.
      const available = bytes.byteLength - body;
      const dataLength = Math.min(size, available);
      return { ...format, dataOffset: body, dataLength: dataLength - (dataLength % format.blockAlign) };
    }
    offset = body + size + (size % 2);
  }
  throw new InvalidWavError('no data chunk');
}

export function wavDurationMs(layout: WavLayout): number {
  return Math.round((layout.dataLength / layout.byteRate) * 1000);
}

/**
 * The file with its sound cut to at most `maxMs` (a new header with the new sizes, chunks
 * after the sound dropped), and a short fade at the cut so it does not click. Answers the
 * file unchanged when it is short enough.
 */
export function capWav(bytes: Uint8Array, maxMs: number): { audio: Uint8Array; durationMs: number } {
  const layout = readWav(bytes);
  const maxBytes = Math.floor((maxMs * layout.byteRate) / 1000 / layout.blockAlign) * layout.blockAlign;
  const end = layout.dataOffset + layout.dataLength;
  if (layout.dataLength <= maxBytes && end === bytes.byteLength) return { audio: bytes, durationMs: wavDurationMs(layout) };
  const dataLength = Math.min(layout.dataLength, maxBytes);
  const audio = bytes.slice(0, layout.dataOffset + dataLength);
  const view = new DataView(audio.buffer);
  view.setUint32(4, audio.byteLength - 8, true);
  view.setUint32(layout.dataOffset - 4, dataLength, true);
  if (dataLength < layout.dataLength) fadeOut(audio, { ...layout, dataLength });
  return { audio, durationMs: wavDurationMs({ ...layout, dataLength }) };
}

function fadeOut(audio: Uint8Array, layout: WavLayout): void {
  if (layout.formatTag !== PCM || layout.bitsPerSample !== 16) return;
  const view = new DataView(audio.buffer);
  const frames = Math.min(layout.dataLength / layout.blockAlign, Math.round((layout.sampleRate * FADE_OUT_MS) / 1000));
  const firstFrame = layout.dataLength / layout.blockAlign - frames;
  for (let frame = 0; frame < frames; frame++) {
    const gain = 1 - (frame + 1) / frames;
    for (let channel = 0; channel < layout.channels; channel++) {
      const at = layout.dataOffset + (firstFrame + frame) * layout.blockAlign + channel * 2;
      view.setInt16(at, Math.round(view.getInt16(at, true) * gain), true);
    }
  }
}
