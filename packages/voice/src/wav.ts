// Local names for Math's functions: hot loops under jest's vm context pay for every global lookup.
const { abs, ceil, floor, max, min, round } = Math;

/** Every announcement is rendered in this format: what espeak-ng writes, small and clear enough for speech. */
export const SAMPLE_RATE = 22_050;

/** Mono audio as floats in −1 … 1. */
export interface Pcm {
  rate: number;
  samples: Float32Array;
}

/** What a WAV header says. */
export interface WavInfo {
  /** 1 = integer PCM, 3 = IEEE float (WAVE_FORMAT_EXTENSIBLE is resolved to its sub-format). */
  format: number;
  channels: number;
  rate: number;
  bits: number;
  dataOffset: number;
  dataBytes: number;
  durationSec: number;
}

export class WavError extends Error {}

/**
 * Reads a RIFF/WAVE header, tolerating what streaming writers leave (espeak-ng --stdout puts a
 * huge size in the header): the data length is clamped to the bytes present.
 * @throws WavError when it is not a PCM or float WAV.
 */
export function wavInfo(buf: Uint8Array): WavInfo {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const tag = (at: number) => String.fromCharCode(buf[at] ?? 0, buf[at + 1] ?? 0, buf[at + 2] ?? 0, buf[at + 3] ?? 0);
  if (buf.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new WavError('không phải tệp WAV (thiếu RIFF/WAVE)');
  let at = 12;
  let fmt: Omit<WavInfo, 'dataOffset' | 'dataBytes' | 'durationSec'> | undefined;
  while (at + 8 <= buf.length) {
    const id = tag(at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') {
      if (body + 16 > buf.length) break;
      let format = view.getUint16(body, true);
      const channels = view.getUint16(body + 2, true);
      const rate = view.getUint32(body + 4, true);
      const bits = view.getUint16(body + 14, true);
      // WAVE_FORMAT_EXTENSIBLE: the real format is the first two bytes of the sub-format GUID.
      if (format === 0xfffe && size >= 26 && body + 26 <= buf.length) format = view.getUint16(body + 24, true);
      fmt = { format, channels, rate, bits };
    } else if (id === 'data') {
      if (!fmt) throw new WavError('tệp WAV có dữ liệu trước phần định dạng (fmt)');
      const dataBytes = min(size, buf.length - body);
      const frameBytes = (fmt.bits / 8) * fmt.channels;
      checkFormat(fmt);
      return { ...fmt, dataOffset: body, dataBytes, durationSec: floor(dataBytes / frameBytes) / fmt.rate };
    }
    at = body + size + (size % 2);
  }
  throw new WavError('tệp WAV không có phần dữ liệu (data)');
}

function checkFormat(f: { format: number; channels: number; rate: number; bits: number }): void {
  const pcm = f.format === 1 && [8, 16, 24, 32].includes(f.bits);
  const float = f.format === 3 && (f.bits === 32 || f.bits === 64);
  if (!pcm && !float) throw new WavError(`định dạng WAV chưa hỗ trợ (mã ${f.format}, ${f.bits} bit): hãy lưu lại dạng PCM`);
  if (f.channels < 1 || f.channels > 8) throw new WavError(`số kênh không hợp lệ: ${f.channels}`);
  if (f.rate < 4000 || f.rate > 192_000) throw new WavError(`tần số lấy mẫu không hợp lệ: ${f.rate}`);
}

/**
 * Decodes any integer or float PCM WAV to mono floats (channels averaged).
 * @throws WavError for anything else.
 */
export function decodeWav(buf: Uint8Array): Pcm {
  const info = wavInfo(buf);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const bytes = info.bits / 8;
  const frames = floor(info.dataBytes / (bytes * info.channels));
  const samples = new Float32Array(frames);
  const read = sampleReader(view, info.format, info.bits);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < info.channels; c++) sum += read(info.dataOffset + (i * info.channels + c) * bytes);
    samples[i] = sum / info.channels;
  }
  return { rate: info.rate, samples };
}

function sampleReader(view: DataView, format: number, bits: number): (at: number) => number {
  if (format === 3) return bits === 32 ? (at) => view.getFloat32(at, true) : (at) => view.getFloat64(at, true);
  switch (bits) {
    case 8:
      return (at) => (view.getUint8(at) - 128) / 128;
    case 16:
      return (at) => view.getInt16(at, true) / 32768;
    case 24:
      return (at) => ((view.getUint8(at) | (view.getUint8(at + 1) << 8) | (view.getInt8(at + 2) << 16)) / 8388608);
    default:
      return (at) => view.getInt32(at, true) / 2147483648;
  }
}

/** 16-bit mono PCM WAV, the format the hub serves. Samples beyond ±1 are clamped. */
export function encodeWav(pcm: Pcm): Buffer {
  const data = pcm.samples.length * 2;
  const out = Buffer.alloc(44 + data);
  out.write('RIFF', 0, 'ascii');
  out.writeUInt32LE(36 + data, 4);
  out.write('WAVE', 8, 'ascii');
  out.write('fmt ', 12, 'ascii');
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20);
  out.writeUInt16LE(1, 22);
  out.writeUInt32LE(pcm.rate, 24);
  out.writeUInt32LE(pcm.rate * 2, 28);
  out.writeUInt16LE(2, 32);
  out.writeUInt16LE(16, 34);
  out.write('data', 36, 'ascii');
  out.writeUInt32LE(data, 40);
  for (let i = 0; i < pcm.samples.length; i++) {
    const s = max(-1, min(1, pcm.samples[i] ?? 0));
    out.writeInt16LE(round(s < 0 ? s * 32768 : s * 32767), 44 + i * 2);
  }
  return out;
}

/**
 * Changes the sample rate with windowed-sinc interpolation; when going down it low-passes
 * first, so a 48 kHz recording does not alias into the speech band.
 */
export function resample(pcm: Pcm, rate: number): Pcm {
  if (pcm.rate === rate) return pcm;
  const ratio = rate / pcm.rate;
  const cutoff = min(1, ratio) * 0.95;
  const input = pcm.samples;
  const out = new Float32Array(max(0, round(input.length * ratio)));
  const reach = KERNEL_HALF / cutoff;
  for (let i = 0; i < out.length; i++) {
    const center = i / ratio;
    const first = ceil(center - reach);
    const last = floor(center + reach);
    let sum = 0;
    let weights = 0;
    for (let j = first; j <= last; j++) {
      const w = kernel((j - center) * cutoff);
      weights += w;
      if (j >= 0 && j < input.length) sum += (input[j] ?? 0) * w;
    }
    out[i] = weights === 0 ? 0 : sum / weights;
  }
  return { rate, samples: out };
}

/** Half the width of the resampling kernel, in zero crossings of its sinc. */
const KERNEL_HALF = 16;
const KERNEL_STEPS = 512;
/** sinc × Hann window, tabulated from 0 to KERNEL_HALF (it is symmetric): no sin/cos per tap. */
const KERNEL_TABLE = Float64Array.from({ length: KERNEL_HALF * KERNEL_STEPS + 2 }, (_, i) => {
  const x = i / KERNEL_STEPS;
  if (x >= KERNEL_HALF) return 0;
  const window = 0.5 + 0.5 * Math.cos((Math.PI * x) / KERNEL_HALF);
  return (x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x)) * window;
});

function kernel(x: number): number {
  const at = abs(x) * KERNEL_STEPS;
  const i = floor(at);
  if (i >= KERNEL_HALF * KERNEL_STEPS) return 0;
  const a = KERNEL_TABLE[i] ?? 0;
  return a + ((KERNEL_TABLE[i + 1] ?? 0) - a) * (at - i);
}

/** `ms` of silence at `rate`. */
export function silence(ms: number, rate = SAMPLE_RATE): Float32Array {
  return new Float32Array(round((ms / 1000) * rate));
}

/** One buffer after another. */
export function concatSamples(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Cuts leading and trailing near-silence (below `thresholdDb`), keeping `marginMs` around the sound. */
export function trimSilence(samples: Float32Array, rate = SAMPLE_RATE, thresholdDb = -45, marginMs = 15): Float32Array {
  const threshold = 10 ** (thresholdDb / 20);
  let start = 0;
  while (start < samples.length && abs(samples[start] ?? 0) < threshold) start++;
  let end = samples.length;
  while (end > start && abs(samples[end - 1] ?? 0) < threshold) end--;
  if (start >= end) return new Float32Array(0);
  const margin = round((marginMs / 1000) * rate);
  return samples.slice(max(0, start - margin), min(samples.length, end + margin));
}

export function peak(samples: Float32Array): number {
  let p = 0;
  for (const s of samples) p = max(p, abs(s));
  return p;
}

/** Root mean square over the samples louder than −50 dBFS (pauses would pull it down). */
export function activeRms(samples: Float32Array): number {
  const floor = 10 ** (-50 / 20);
  let sum = 0;
  let n = 0;
  for (const s of samples) {
    if (abs(s) < floor) continue;
    sum += s * s;
    n++;
  }
  return n === 0 ? 0 : Math.sqrt(sum / n);
}

/**
 * Scales to `targetRmsDb` (speech loudness), then lowers it if the peak would pass `maxPeak`:
 * clips recorded at different levels come out alike.
 */
export function normalizeLoudness(samples: Float32Array, targetRmsDb = -20, maxPeak = 0.89): Float32Array {
  const rms = activeRms(samples);
  if (rms === 0) return samples;
  let gain = 10 ** (targetRmsDb / 20) / rms;
  const p = peak(samples);
  if (p * gain > maxPeak) gain = maxPeak / p;
  return samples.map((s) => s * gain);
}

/** Applies `gainDb`, then scales down if the peak would pass `maxPeak`: louder, never clipped. */
export function applyGain(samples: Float32Array, gainDb: number, maxPeak = 0.97): Float32Array {
  let gain = 10 ** (gainDb / 20);
  const p = peak(samples);
  if (p * gain > maxPeak) gain = maxPeak / p;
  return gain === 1 ? samples : samples.map((s) => s * gain);
}

/** Short linear fades at both ends, so joined clips do not click. */
export function fadeEdges(samples: Float32Array, rate = SAMPLE_RATE, ms = 5): Float32Array {
  const n = min(round((ms / 1000) * rate), floor(samples.length / 2));
  const out = samples.slice();
  for (let i = 0; i < n; i++) {
    const g = i / n;
    out[i] = (out[i] ?? 0) * g;
    out[out.length - 1 - i] = (out[out.length - 1 - i] ?? 0) * g;
  }
  return out;
}
