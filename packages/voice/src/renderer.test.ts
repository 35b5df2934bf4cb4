import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEFAULT_VOICE_SETTINGS } from '@xephang/protocol';
import { fillTemplate, textToWords, DEFAULT_CALL_TEMPLATE } from './announcement';
import { clipBank } from './clip-bank';
import { createEspeak, SynthesisError, type Espeak } from './espeak';
import { createVoiceRenderer } from './renderer';
import { encodeWav, wavInfo } from './wav';

/** A recorded-clip stand-in: a tone with silence around it, at 44.1 kHz, so it must be converted. */
function toneClip(hz: number, sec = 0.3): Buffer {
  const rate = 44_100;
  const pad = Math.round(0.1 * rate);
  const samples = new Float32Array(pad * 2 + Math.round(sec * rate));
  for (let i = 0; i < samples.length - 2 * pad; i++) samples[pad + i] = 0.3 * Math.sin((2 * Math.PI * hz * i) / rate);
  return encodeWav({ rate, samples });
}

let dir: string;
let espeak: Espeak;
let synthCalls = 0;
/** The real espeak-ng, counted (a decorator, not a mock). */
let counted: Espeak;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'xephang-voice-'));
  espeak = createEspeak();
  counted = {
    speak: (text, o) => {
      synthCalls++;
      return espeak.speak(text, o);
    },
    phonemes: (text, voice) => espeak.phonemes(text, voice),
    close: () => espeak.close(),
  };
});
afterAll(async () => {
  await espeak.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('espeak-ng (npm WebAssembly build)', () => {
  it('speaks Vietnamese: tones and Vietnamese phonemes, not English letter names', async () => {
    const ph = await espeak.phonemes('Mời công dân có số thứ tự hai nghìn không trăm linh năm đến quầy số ba', 'vi');
    // espeak-ng's Vietnamese mnemonics carry the tone as a digit after the vowel.
    expect(ph).toMatch(/m'@:2j/);
    expect(ph).toMatch(/N'i2n/);
    expect(ph).toMatch(/l'i1n/);
    expect(ph.split('|').filter((s) => /\d/.test(s)).length).toBeGreaterThanOrEqual(15);
  });

  it('renders with every voice variant, and falls back to the WebAssembly build when the binary is missing', async () => {
    for (const voice of ['vi', 'vi-vn-x-central', 'vi-vn-x-south'] as const) {
      const spoken = await espeak.speak('mời số một', { voice, speed: 140, pitch: 50 });
      expect(spoken.engine).toBe('espeak-wasm');
      expect(spoken.pcm.samples.length / spoken.pcm.rate).toBeGreaterThan(0.5);
    }
    const binaryFirst = createEspeak({ engines: ['binary', 'wasm'], binary: join(dir, 'no-such-espeak-ng') });
    try {
      expect((await binaryFirst.speak('hai', { voice: 'vi', speed: 140, pitch: 50 })).engine).toBe('espeak-wasm');
    } finally {
      await binaryFirst.close();
    }
  });
});

describe('espeak-ng (Debian binary, the fallback)', () => {
  it('speaks through the binary when it is installed, and says clearly when it is not', async () => {
    const installed = spawnSync('espeak-ng', ['--version']).status === 0;
    const binary = createEspeak({ engines: ['binary'] });
    try {
      if (installed) {
        const spoken = await binary.speak('mời số hai mươi lăm', { voice: 'vi', speed: 140, pitch: 50 });
        expect(spoken.engine).toBe('espeak-binary');
        expect(spoken.pcm.samples.length / spoken.pcm.rate).toBeGreaterThan(1);
      } else {
        await expect(binary.speak('mời', { voice: 'vi', speed: 140, pitch: 50 })).rejects.toThrow(SynthesisError);
      }
    } finally {
      await binary.close();
    }
  });
});

describe('voice renderer', () => {
  it('renders a call: chime, then speech, longer for a longer number', async () => {
    const r = createVoiceRenderer({ dir: join(dir, 'a'), espeak: counted });
    const short = await r.renderCall({ number: 1, counter: 1 });
    const long = await r.renderCall({ number: 9999, counter: 1 });
    expect(short.source).toBe('espeak-wasm');
    expect(short.text).toBe(fillTemplate(DEFAULT_CALL_TEMPLATE, { number: 1, counter: 1 }));
    const a = wavInfo(short.wav);
    const b = wavInfo(long.wav);
    expect(a).toMatchObject({ format: 1, channels: 1, rate: 22_050, bits: 16 });
    expect(a.durationSec).toBeGreaterThan(3);
    expect(b.durationSec - a.durationSec).toBeGreaterThan(1);
  });

  it('renders a text once for concurrent requests, then serves the identical file from the cache', async () => {
    const r = createVoiceRenderer({ dir: join(dir, 'b'), espeak: counted });
    const before = synthCalls;
    const all = await Promise.all(Array.from({ length: 5 }, () => r.renderCall({ number: 2005, counter: 3 })));
    expect(synthCalls - before).toBe(1);
    expect(new Set(all.map((x) => x.wav.toString('base64'))).size).toBe(1);
    const again = await r.renderCall({ number: 2005, counter: 3 });
    expect(again.cached).toBe(true);
    expect(again.wav.equals(all[0]!.wav)).toBe(true);
    expect(synthCalls - before).toBe(1);
    // A settings change is a different file.
    const faster = await r.renderCall({ number: 2005, counter: 3 }, { ...DEFAULT_VOICE_SETTINGS, speed: 200 });
    expect(faster.cached).toBe(false);
    expect(wavInfo(faster.wav).durationSec).toBeLessThan(wavInfo(again.wav).durationSec);
  });

  it('keeps the cache under its cap, dropping the least recently used', async () => {
    const r = createVoiceRenderer({ dir: join(dir, 'c'), espeak: counted, cacheBytes: 700_000 });
    for (const n of [1, 2, 3, 4, 5]) await r.renderCall({ number: n, counter: 2 });
    expect(r.cache.bytes()).toBeLessThanOrEqual(700_000);
    expect(readdirSync(join(dir, 'c', 'cache')).length).toBeLessThan(5);
    expect((await r.renderCall({ number: 5, counter: 2 })).cached).toBe(true);
  });

  it('uses the clip bank when it has every word (phrases first), espeak-ng otherwise', async () => {
    const clipsDir = join(dir, 'd', 'clips');
    mkdirSync(clipsDir, { recursive: true });
    const text = fillTemplate(DEFAULT_CALL_TEMPLATE, { number: 2005, counter: 3 });
    const words = [...new Set(textToWords(text))].filter((w) => !['công', 'dân'].includes(w));
    words.forEach((w, i) => writeFileSync(join(clipsDir, `${w}.wav`), toneClip(300 + 40 * i)));
    const r = createVoiceRenderer({ dir: join(dir, 'd'), espeak: counted });

    // "công dân" is missing: espeak-ng speaks the whole text (never a mix of voices).
    const before = synthCalls;
    expect((await r.renderCall({ number: 2005, counter: 3 })).source).toBe('espeak-wasm');
    expect(synthCalls - before).toBe(1);

    // A phrase clip named with an underscore, in decomposed Unicode as a Mac would write it.
    writeFileSync(join(clipsDir, 'công_dân.wav'.normalize('NFD')), toneClip(1200, 0.5));
    await new Promise((resolve) => setTimeout(resolve, 2100)); // the folder is re-listed every 2 s
    const bank = clipBank(clipsDir);
    const coverage = bank.cover([textToWords(text)]);
    expect(coverage.ok && coverage.clips[0]).toContain('công dân');
    const viaClips = await r.renderCall({ number: 2005, counter: 3 });
    expect(viaClips.source).toBe('clips');
    expect(synthCalls - before).toBe(1);
    // 17 clips of 0.3 s (one of 0.5 s) with gaps, after a 1.7 s chime.
    const duration = wavInfo(viaClips.wav).durationSec;
    expect(duration).toBeGreaterThan(1.7 + 16 * 0.3);
    expect(duration).toBeLessThan(1.7 + 16 * 0.4 + 0.6 + 17 * 0.05 + 1);
  }, 30_000);

  it('still gives the chime when speech cannot be made, and does not cache that', async () => {
    // A real configuration that cannot speak: binary only, and no such program.
    const broken = createEspeak({ engines: ['binary'], binary: join(dir, 'no-such-espeak-ng') });
    const lines: string[] = [];
    const r = createVoiceRenderer({ dir: join(dir, 'e'), espeak: broken, log: (l) => lines.push(l) });
    const out = await r.renderCall({ number: 12, counter: 4 });
    expect(out.source).toBe('chime-only');
    expect(wavInfo(out.wav).durationSec).toBeGreaterThan(1.5);
    expect(r.cache.bytes()).toBe(0);
    expect(lines.join('\n')).toMatch(/Không tạo được giọng đọc.*ENOENT/);
    await broken.close();
  });
});
