import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { synthesizeChime } from './chime';
import { decodeWav, SAMPLE_RATE } from './wav';

/** Energy at one frequency (Goertzel). */
function power(samples: Float32Array, hz: number, rate: number): number {
  const k = 2 * Math.cos((2 * Math.PI * hz) / rate);
  let a = 0;
  let b = 0;
  for (const s of samples) {
    const c = s + k * a - b;
    b = a;
    a = c;
  }
  return (a * a + b * b - k * a * b) / samples.length;
}

describe('chime', () => {
  it('is the file shipped in assets/sounds (generated, not downloaded)', () => {
    const shipped = decodeWav(readFileSync(require.resolve('@xephang/assets/sounds/chime.wav')));
    const made = synthesizeChime(SAMPLE_RATE);
    expect(shipped.rate).toBe(SAMPLE_RATE);
    expect(shipped.samples.length).toBe(made.length);
    let worst = 0;
    made.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - (shipped.samples[i] ?? 0)))));
    expect(worst).toBeLessThan(2 / 32768);
  });

  it('rings E5 first, then C5', () => {
    const c = synthesizeChime(SAMPLE_RATE);
    const first = c.slice(0, Math.round(0.45 * SAMPLE_RATE));
    const second = c.slice(Math.round(0.55 * SAMPLE_RATE), Math.round(1.0 * SAMPLE_RATE));
    expect(power(first, 659.25, SAMPLE_RATE)).toBeGreaterThan(50 * power(first, 523.25, SAMPLE_RATE));
    expect(power(second, 523.25, SAMPLE_RATE)).toBeGreaterThan(power(second, 659.25, SAMPLE_RATE));
  });
});
