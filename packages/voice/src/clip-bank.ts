import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeWord } from './announcement';
import { concatSamples, decodeWav, fadeEdges, normalizeLoudness, resample, silence, trimSilence, SAMPLE_RATE, type Pcm } from './wav';

/** Silence between two words, and at a comma. Recorded clips are trimmed, so these set the pace. */
const WORD_GAP_MS = 50;
const PHRASE_GAP_MS = 250;
/** The folder is listed at most this often (each request needs its fingerprint for the cache key). */
const RESCAN_MS = 2000;

/** How a phrase is covered by clips: the clip names in order, or the words no clip has. */
export type Coverage = { ok: true; clips: string[][] } | { ok: false; missing: string[] };

export interface ClipBank {
  /** Names, sizes and times of the clips: part of every cache key, so a new recording is used at once. */
  fingerprint(): string;
  /** Clips for every word (longest recorded phrase first), or what is missing. */
  cover(phrases: readonly string[][]): Coverage;
  /** The covered phrases as one mono buffer at SAMPLE_RATE, each clip trimmed and levelled. */
  render(clips: readonly string[][]): Pcm;
  /** How many clips the folder holds. */
  size(): number;
}

/**
 * Recorded human clips in `dir`, one WAV per word or phrase, named by its text: `mời.wav`,
 * `mươi.wav`, `công dân.wav` (or `công_dân.wav`). Any PCM WAV (rate, bits, channels) is
 * accepted and converted; names are matched in lower-case NFC, so files copied from a Mac match.
 */
export function clipBank(dir: string, log: (line: string) => void = () => {}): ClipBank {
  let files = new Map<string, { file: string; stamp: string }>();
  let longest = 1;
  let print = '';
  let scannedAt = -Infinity;
  const decoded = new Map<string, { stamp: string; samples: Float32Array }>();

  const scan = () => {
    if (performance.now() - scannedAt < RESCAN_MS) return;
    scannedAt = performance.now();
    const next = new Map<string, { file: string; stamp: string }>();
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      // No folder: no clip bank.
    }
    for (const name of names.sort()) {
      if (!/\.wav$/i.test(name)) continue;
      const file = join(dir, name);
      try {
        const st = statSync(file);
        if (!st.isFile()) continue;
        const key = normalizeWord(name.replace(/\.wav$/i, '').replace(/_/g, ' ').replace(/\s+/g, ' ').trim());
        next.set(key, { file, stamp: `${st.size}:${st.mtimeMs}` });
      } catch {
        continue;
      }
    }
    files = next;
    longest = Math.max(1, ...[...next.keys()].map((k) => k.split(' ').length));
    print = [...next].map(([k, v]) => `${k}=${v.stamp}`).join('|');
  };

  const clip = (key: string): Float32Array => {
    const entry = files.get(key);
    if (!entry) throw new Error(`no clip for "${key}"`);
    const cached = decoded.get(key);
    if (cached && cached.stamp === entry.stamp) return cached.samples;
    const pcm = resample(decodeWav(readFileSync(entry.file)), SAMPLE_RATE);
    const samples = fadeEdges(normalizeLoudness(trimSilence(pcm.samples, SAMPLE_RATE)));
    decoded.set(key, { stamp: entry.stamp, samples });
    return samples;
  };

  return {
    fingerprint: () => {
      scan();
      return print;
    },
    size: () => {
      scan();
      return files.size;
    },
    cover(phrases) {
      scan();
      const missing: string[] = [];
      const clips = phrases.map((words) => {
        const names: string[] = [];
        for (let i = 0; i < words.length; ) {
          let found = 0;
          for (let n = Math.min(longest, words.length - i); n >= 1 && !found; n--) {
            if (files.has(words.slice(i, i + n).join(' '))) found = n;
          }
          if (found === 0) {
            missing.push(words[i] ?? '');
            i++;
          } else {
            names.push(words.slice(i, i + found).join(' '));
            i += found;
          }
        }
        return names;
      });
      return missing.length === 0 ? { ok: true, clips } : { ok: false, missing: [...new Set(missing)] };
    },
    render(clips) {
      const parts: Float32Array[] = [];
      clips.forEach((names, p) => {
        if (p > 0) parts.push(silence(PHRASE_GAP_MS));
        names.forEach((name, w) => {
          if (w > 0) parts.push(silence(WORD_GAP_MS));
          try {
            parts.push(clip(name));
          } catch (error) {
            log(`không đọc được đoạn ghi âm "${name}": ${(error as Error).message}`);
            throw error;
          }
        });
      });
      return { rate: SAMPLE_RATE, samples: concatSamples(parts) };
    },
  };
}
