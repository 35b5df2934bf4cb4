import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_VOICE_SETTINGS, type VoiceSettings } from '@xephang/protocol';
import { fillTemplate, spokenText, textToPhrases, type CallDetails } from './announcement';
import { diskCache, type DiskCache } from './cache';
import { synthesizeChime } from './chime';
import { clipBank, type ClipBank } from './clip-bank';
import { createEspeak, type Espeak } from './espeak';
import { applyGain, concatSamples, decodeWav, encodeWav, normalizeLoudness, resample, silence, trimSilence, SAMPLE_RATE } from './wav';

/** Bumped whenever rendering changes, so old cached files are not served. */
const RENDER_VERSION = 1;
const CHIME_GAP_MS = 250;
const TAIL_MS = 300;

/** `espeak` is a cache hit of speech from either espeak-ng build (which one is not recorded). */
export type AudioSource = 'clips' | 'espeak-wasm' | 'espeak-binary' | 'espeak' | 'chime-only';

export interface Rendered {
  wav: Buffer;
  /** The cache key: also a good ETag. */
  key: string;
  /** What was said. */
  text: string;
  source: AudioSource;
  cached: boolean;
  /** Milliseconds spent: synthesis and mixing, or reading the cached file. */
  ms: number;
}

export interface VoiceRendererOptions {
  /** `<dataDir>/voice`: holds `clips/`, `cache/` and optionally a custom `chime.wav`. */
  dir: string;
  /** Cache size cap in bytes (default 64 MB, about 500 announcements). */
  cacheBytes?: number;
  espeak?: Espeak;
  /** The chime when `<dir>/chime.wav` is absent (default: the repository's `assets/sounds/chime.wav`). */
  chimeFile?: string;
  log?: (line: string) => void;
}

export interface VoiceRenderer {
  /** The WAV of a call or a recall, from the cache when it was made before. */
  renderCall(call: CallDetails & { recall?: boolean }, settings?: VoiceSettings): Promise<Rendered>;
  /** The WAV of any text (digits are read as words), with the chime as set. */
  renderText(text: string, settings?: VoiceSettings): Promise<Rendered>;
  /** Whether `renderCall` would answer from the cache (or a render under way), without reading the file. */
  callReady(call: CallDetails & { recall?: boolean }, settings?: VoiceSettings): boolean;
  clips: ClipBank;
  cache: DiskCache;
  espeak: Espeak;
  close(): Promise<void>;
}

/**
 * The shipped chime, `sounds/chime.wav` of the `@xephang/assets` package, found by package
 * resolution (the same file from `src/` in tests and `dist/src/` in the hub); undefined when the
 * package is absent, and the chime is then synthesized.
 */
export function findChimeAsset(): string | undefined {
  try {
    return require.resolve('@xephang/assets/sounds/chime.wav');
  } catch {
    return undefined;
  }
}

/**
 * Announcement audio without a cloud: chime, then the clip bank when it has every word, else
 * espeak-ng; cached on disk by text and settings; a text being rendered is rendered once
 * however many ask for it at the same time.
 */
export function createVoiceRenderer(options: VoiceRendererOptions): VoiceRenderer {
  const log = options.log ?? (() => {});
  const clips = clipBank(join(options.dir, 'clips'), log);
  const cache = diskCache(join(options.dir, 'cache'), options.cacheBytes ?? 64 << 20);
  const espeak = options.espeak ?? createEspeak({ log });
  const inFlight = new Map<string, Promise<Rendered>>();
  let chimeMemo: { stamp: string; samples: Float32Array } | undefined;

  const chime = (): { id: string; samples: Float32Array } => {
    const custom = join(options.dir, 'chime.wav');
    const file = existsSync(custom) ? custom : (options.chimeFile ?? findChimeAsset());
    let stamp = 'synthesized';
    if (file) {
      try {
        const st = statSync(file);
        stamp = `${file}:${st.size}:${st.mtimeMs}`;
      } catch {
        stamp = 'synthesized';
      }
    }
    if (chimeMemo?.stamp !== stamp) {
      let samples: Float32Array | undefined;
      if (file && stamp !== 'synthesized') {
        try {
          samples = resample(decodeWav(readFileSync(file)), SAMPLE_RATE).samples;
        } catch (error) {
          log(`không đọc được tiếng chuông ${file}, dùng chuông tổng hợp: ${(error as Error).message}`);
        }
      }
      chimeMemo = { stamp, samples: samples ?? synthesizeChime(SAMPLE_RATE) };
    }
    return { id: chimeMemo.stamp, samples: chimeMemo.samples };
  };

  /** What a text will sound like with these settings, and the cache key that names it. */
  const plan = (rawText: string, settings: VoiceSettings) => {
    const text = spokenText(rawText);
    const phrases = textToPhrases(text);
    const coverage = settings.speech && settings.source !== 'espeak' ? clips.cover(phrases) : undefined;
    const useClips = coverage?.ok === true;
    const bell = settings.chime ? chime() : undefined;
    const key = createHash('sha256')
      .update(
        JSON.stringify({
          v: RENDER_VERSION,
          text: settings.speech ? text : '',
          chime: bell?.id ?? null,
          gainDb: settings.gainDb,
          speech: !settings.speech ? null : useClips ? { clips: clips.fingerprint() } : { voice: settings.voice, speed: settings.speed, pitch: settings.pitch },
        }),
      )
      .digest('hex')
      .slice(0, 40);
    return { text, coverage, useClips, bell, key };
  };

  const render = (rawText: string, settings: VoiceSettings): Promise<Rendered> => {
    const { text, coverage, useClips, bell, key } = plan(rawText, settings);
    if (settings.source === 'clips' && coverage && !coverage.ok) {
      log(`kho ghi âm thiếu: ${coverage.missing.join(', ')}; dùng giọng tổng hợp espeak-ng`);
    }
    const running = inFlight.get(key);
    if (running) return running;
    const started = performance.now();
    const hit = cache.get(key);
    if (hit) return Promise.resolve({ wav: hit, key, text, source: !settings.speech ? 'chime-only' : useClips ? 'clips' : 'espeak', cached: true, ms: performance.now() - started });

    const job = (async (): Promise<Rendered> => {
      let speech: Float32Array | undefined;
      let source: AudioSource = 'chime-only';
      if (settings.speech && coverage?.ok) {
        speech = clips.render(coverage.clips).samples;
        source = 'clips';
      } else if (settings.speech && text) {
        try {
          const spoken = await espeak.speak(text, settings);
          speech = normalizeLoudness(trimSilence(resample(spoken.pcm, SAMPLE_RATE).samples), -18);
          source = spoken.engine;
        } catch (error) {
          // A chime still tells the hall to look at the screen: better than silence.
          log(`${(error as Error).message} Chỉ phát tiếng chuông.`);
        }
      }
      const parts: Float32Array[] = [];
      if (bell) parts.push(bell.samples);
      if (bell && speech) parts.push(silence(CHIME_GAP_MS));
      if (speech) parts.push(speech);
      parts.push(silence(TAIL_MS));
      const wav = encodeWav({ rate: SAMPLE_RATE, samples: applyGain(concatSamples(parts), settings.gainDb) });
      // A failed synthesis is not cached: the next call tries again.
      if (source !== 'chime-only' || !settings.speech) cache.put(key, wav);
      return { wav, key, text, source, cached: false, ms: performance.now() - started };
    })().finally(() => inFlight.delete(key));
    inFlight.set(key, job);
    return job;
  };

  const callText = (call: CallDetails & { recall?: boolean }, settings: VoiceSettings) =>
    fillTemplate(call.recall ? settings.recallTemplate : settings.callTemplate, call);

  return {
    renderCall: (call, settings = DEFAULT_VOICE_SETTINGS) => render(callText(call, settings), settings),
    callReady(call, settings = DEFAULT_VOICE_SETTINGS) {
      const { key } = plan(callText(call, settings), settings);
      return inFlight.has(key) || cache.has(key);
    },
    renderText: (text, settings = DEFAULT_VOICE_SETTINGS) => render(text, settings),
    clips,
    cache,
    espeak,
    close: () => espeak.close(),
  };
}
