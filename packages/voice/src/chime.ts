import { concatSamples, normalizeLoudness, silence, SAMPLE_RATE } from './wav';

const { exp, sin, min, PI } = Math;

/** A bell's partials: frequency ratio, level, decay time constant in seconds. */
const PARTIALS: ReadonlyArray<readonly [ratio: number, level: number, decay: number]> = [
  [1, 1, 0.55],
  [2, 0.45, 0.3],
  [2.76, 0.22, 0.18],
  [5.4, 0.08, 0.08],
];

/** Two bell strokes, E5 then C5 ("ding-dong"). */
const NOTES: ReadonlyArray<readonly [hz: number, at: number]> = [
  [659.25, 0],
  [523.25, 0.5],
];
const LENGTH_SEC = 1.7;

/**
 * The chime before every announcement, synthesized (additive bell partials with exponential
 * decay): `assets/sounds/chime.wav` is this, written by `make-chime`. Deterministic.
 */
export function synthesizeChime(rate = SAMPLE_RATE): Float32Array {
  const n = Math.round(LENGTH_SEC * rate);
  const out = new Float32Array(n);
  const attack = 0.004;
  for (const [hz, at] of NOTES) {
    const start = Math.round(at * rate);
    for (let i = start; i < n; i++) {
      const t = (i - start) / rate;
      const envelopeIn = min(1, t / attack);
      let s = 0;
      for (const [ratio, level, decay] of PARTIALS) s += level * exp(-t / decay) * sin(2 * PI * hz * ratio * t);
      out[i] = (out[i] ?? 0) + s * envelopeIn;
    }
  }
  // Fade the last 80 ms so the tail ends at zero.
  const fade = Math.round(0.08 * rate);
  for (let i = 0; i < fade; i++) out[n - 1 - i] = (out[n - 1 - i] ?? 0) * (i / fade);
  return concatSamples([normalizeLoudness(out, -20, 0.7), silence(20, rate)]);
}
