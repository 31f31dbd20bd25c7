import { describe, expect, it } from 'vitest';
import { capWav, InvalidWavError, readWav, wavDurationMs } from '../src/wav.ts';
import { toneWav } from './support/wav-fixture.ts';

/** `wav` with a LIST chunk before its data and a trailing chunk after it. */
function withExtraChunks(wav: Uint8Array): Uint8Array {
  const list = Buffer.concat([Buffer.from('LIST'), Buffer.from([3, 0, 0, 0]), Buffer.from('abc\0')]);
  const tail = Buffer.concat([Buffer.from('id3 '), Buffer.from([2, 0, 0, 0]), Buffer.from('zz')]);
  const out = Buffer.concat([wav.subarray(0, 36), list, wav.subarray(36), tail]);
  out.writeUInt32LE(out.length - 8, 4);
  return out;
}

describe('readWav', () => {
  it('finds the samples and their rate, past other chunks (odd sizes padded)', () => {
    const wav = withExtraChunks(toneWav(1.5));
    const layout = readWav(wav);
    expect(layout).toMatchObject({ sampleRate: 8_000, channels: 1, bitsPerSample: 16, byteRate: 16_000, blockAlign: 2, dataLength: 24_000, dataOffset: 56 });
    expect(wavDurationMs(layout)).toBe(1_500);
  });

  it('believes the bytes present over a placeholder size, and refuses what is not WAV', () => {
    const streamed = Buffer.from(toneWav(1));
    streamed.writeUInt32LE(0x7fffffff, 40);
    expect(wavDurationMs(readWav(streamed))).toBe(1_000);
    expect(() => readWav(Buffer.from('ID3 this is an mp3'))).toThrow(InvalidWavError);
    expect(() => readWav(toneWav(1).subarray(0, 36))).toThrow(/no data chunk/);
  });
});

describe('capWav', () => {
  it('cuts the samples to the cap, fixes both sizes in the header and fades out the cut', () => {
    const { audio, durationMs } = capWav(withExtraChunks(toneWav(3)), 1_250);
    expect(durationMs).toBe(1_250);
    const view = Buffer.from(audio);
    expect(view.readUInt32LE(4)).toBe(view.length - 8);
    const layout = readWav(view);
    expect(layout.dataLength).toBe(20_000);
    expect(view.readUInt32LE(layout.dataOffset - 4)).toBe(20_000);
    expect(layout.dataOffset + layout.dataLength).toBe(view.length);
    expect(view.readInt16LE(view.length - 2)).toBe(0);
  });

  it('answers a short enough file as it is', () => {
    const wav = toneWav(1);
    expect(capWav(wav, 5_000)).toEqual({ audio: wav, durationMs: 1_000 });
  });
});
