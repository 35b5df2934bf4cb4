import { describe, expect, it } from '@jest/globals';
import { activeRms, applyGain, decodeWav, encodeWav, peak, resample, trimSilence, wavInfo, WavError } from './wav';

function sine(hz: number, rate: number, sec: number, level = 0.5): Float32Array {
  return Float32Array.from({ length: Math.round(rate * sec) }, (_, i) => level * Math.sin((2 * Math.PI * hz * i) / rate));
}

/** A WAV in any layout, written by hand (not by encodeWav) so decoding is checked independently. */
function rawWav(opts: { rate: number; channels: number; bits: number; float?: boolean; extensible?: boolean; frames: number[][] }): Buffer {
  const bytes = opts.bits / 8;
  const data = Buffer.alloc(opts.frames.length * opts.channels * bytes);
  opts.frames.forEach((frame, i) =>
    frame.forEach((v, c) => {
      const at = (i * opts.channels + c) * bytes;
      if (opts.float) data.writeFloatLE(v, at);
      else if (opts.bits === 8) data.writeUInt8(Math.round(v * 127 + 128), at);
      else if (opts.bits === 16) data.writeInt16LE(Math.round(v * 32767), at);
      else if (opts.bits === 24) data.writeIntLE(Math.round(v * 8388607), at, 3);
      else data.writeInt32LE(Math.round(v * 2147483647), at);
    }),
  );
  const fmt = Buffer.alloc(opts.extensible ? 40 : 16);
  fmt.writeUInt16LE(opts.extensible ? 0xfffe : opts.float ? 3 : 1, 0);
  fmt.writeUInt16LE(opts.channels, 2);
  fmt.writeUInt32LE(opts.rate, 4);
  fmt.writeUInt32LE(opts.rate * opts.channels * bytes, 8);
  fmt.writeUInt16LE(opts.channels * bytes, 12);
  fmt.writeUInt16LE(opts.bits, 14);
  if (opts.extensible) {
    fmt.writeUInt16LE(22, 16);
    fmt.writeUInt16LE(opts.float ? 3 : 1, 24);
  }
  const list = Buffer.concat([Buffer.from('LIST'), Buffer.from([4, 0, 0, 0]), Buffer.from('INFO')]);
  const chunks = Buffer.concat([Buffer.from('fmt '), u32(fmt.length), fmt, list, Buffer.from('data'), u32(data.length), data]);
  return Buffer.concat([Buffer.from('RIFF'), u32(4 + chunks.length), Buffer.from('WAVE'), chunks]);
}
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};

describe('wav', () => {
  it('encodes 16-bit mono PCM that decodes back within one step', () => {
    const samples = sine(440, 22_050, 0.1);
    const wav = encodeWav({ rate: 22_050, samples });
    expect(wav.subarray(0, 4).toString()).toBe('RIFF');
    expect(wavInfo(wav)).toMatchObject({ format: 1, channels: 1, rate: 22_050, bits: 16, dataOffset: 44 });
    const back = decodeWav(wav).samples;
    expect(back.length).toBe(samples.length);
    expect(Math.max(...back.map((v, i) => Math.abs(v - (samples[i] ?? 0))))).toBeLessThan(2 / 32768);
  });

  it.each([
    ['8-bit stereo', { bits: 8, channels: 2 }],
    ['16-bit stereo, extra chunk', { bits: 16, channels: 2 }],
    ['24-bit mono', { bits: 24, channels: 1 }],
    ['32-bit int mono', { bits: 32, channels: 1 }],
    ['32-bit float stereo', { bits: 32, channels: 2, float: true }],
    ['extensible 24-bit', { bits: 24, channels: 2, extensible: true }],
  ])('decodes %s to mono (channels averaged)', (_, layout) => {
    const frames = [[0.5, 0.25], [-0.5, -0.25], [0, 0.5]].map((f) => f.slice(0, layout.channels));
    const pcm = decodeWav(rawWav({ rate: 48_000, frames, ...layout }));
    expect(pcm.rate).toBe(48_000);
    const expected = frames.map((f) => f.reduce((a, b) => a + b, 0) / f.length);
    pcm.samples.forEach((v, i) => expect(v).toBeCloseTo(expected[i] ?? NaN, 1));
  });

  it('tolerates a streaming header (huge data size) and refuses what is not PCM', () => {
    const wav = encodeWav({ rate: 22_050, samples: sine(200, 22_050, 0.05) });
    wav.writeUInt32LE(0x7fffffff, 40);
    expect(wavInfo(wav).dataBytes).toBe(wav.length - 44);
    expect(() => wavInfo(Buffer.from('not a wav at all'))).toThrow(WavError);
    const adpcm = Buffer.from(wav);
    adpcm.writeUInt16LE(2, 20);
    expect(() => decodeWav(adpcm)).toThrow(/PCM/);
  });

  it('resamples 48 kHz to 22.05 kHz keeping the pitch and the level', () => {
    const out = resample({ rate: 48_000, samples: sine(1000, 48_000, 0.5) }, 22_050);
    expect(out.samples.length).toBe(11_025);
    let crossings = 0;
    for (let i = 1; i < out.samples.length; i++) if ((out.samples[i - 1] ?? 0) < 0 && (out.samples[i] ?? 0) >= 0) crossings++;
    expect(crossings).toBeGreaterThanOrEqual(498);
    expect(crossings).toBeLessThanOrEqual(502);
    expect(activeRms(out.samples.slice(500, -500))).toBeCloseTo(0.5 / Math.SQRT2, 2);
  });

  it('filters what the lower rate cannot hold (no aliasing from 48 kHz)', () => {
    const out = resample({ rate: 48_000, samples: sine(15_000, 48_000, 0.2) }, 22_050);
    expect(activeRms(out.samples.slice(200, -200))).toBeLessThan(0.02);
  });

  it('trims silence, and applies gain without clipping', () => {
    const s = new Float32Array(22_050);
    s.set(sine(300, 22_050, 0.1), 10_000);
    const trimmed = trimSilence(s);
    expect(trimmed.length).toBeLessThan(2205 + 2 * 331 + 2);
    expect(trimmed.length).toBeGreaterThan(2000);
    expect(peak(applyGain(sine(300, 22_050, 0.1, 0.8), 12))).toBeLessThanOrEqual(0.97 + 1e-6);
    expect(peak(applyGain(sine(300, 22_050, 0.1, 0.2), 6))).toBeCloseTo(0.2 * 10 ** (6 / 20), 2);
  });
});
