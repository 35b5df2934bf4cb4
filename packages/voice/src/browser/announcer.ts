/**
 * The waiting-room TV's announcement queue: it fetches each call's WAV from the hub and plays
 * them strictly one after another, never over each other; a recall plays N times.
 *
 * Browser-only and import-free (the TV page bundles it with Vite; tests run it under Node with
 * a fake player). No DOM types are assumed: the players below describe what they use.
 */

/** What a call sounds like: `GET /api/voice/call.wav?number=2005&counter=3[&service=civil][&recall=1]`. */
export function callWavUrl(call: { number: number; counter: number; service?: string | undefined; recall?: boolean | undefined }, base = ''): string {
  const q = new URLSearchParams({ number: String(call.number), counter: String(call.counter) });
  if (call.service) q.set('service', call.service);
  if (call.recall) q.set('recall', '1');
  return `${base}/api/voice/call.wav?${q.toString()}`;
}

/** The same call fetched ahead of time: the hub answers it only when it already has it (404 otherwise). */
export function aheadUrl(url: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}ahead=1`;
}

/** `GET` it for `{ ok: true, data: VoiceSettings }` (volume, callRepeats, recallRepeats, …). */
export const VOICE_SETTINGS_URL = '/api/voice/settings';

/** The part of the hub's voice settings the TV uses. */
export interface PlaybackSettings {
  volume: number;
  callRepeats: number;
  recallRepeats: number;
}

/**
 * A `ticket:called` (or a recall) as an announcement: its URL, its repeats from the settings, and a
 * key so a replayed broadcast (after a reconnect) is not said twice while still queued.
 */
export function callAudio(
  call: { number: number; counter: number; service?: string | undefined; recall?: boolean | undefined; ticketId?: string | undefined; recalls?: number | undefined },
  settings: Pick<PlaybackSettings, 'callRepeats' | 'recallRepeats'>,
  base = '',
): CallAudio {
  return {
    url: callWavUrl(call, base),
    repeats: call.recall ? settings.recallRepeats : settings.callRepeats,
    key: `${call.ticketId ?? call.number}:${call.counter}:${call.recalls ?? (call.recall ? 1 : 0)}`,
    label: `${call.number} → quầy ${call.counter}${call.recall ? ' (gọi lại)' : ''}`,
  };
}

/** One announcement to play. */
export interface CallAudio {
  url: string;
  /** Plays this many times in a row (a recall: the recall repeats setting). Default 1. */
  repeats?: number;
  /** Identifies the call (e.g. `${ticketId}:${recalls}`): while queued or playing it is not queued twice. */
  key?: string;
  /** Anything the page wants back in events, e.g. "2005 → quầy 3" for a caption. */
  label?: string;
}

export interface QueuedCall extends Required<Pick<CallAudio, 'url' | 'repeats'>> {
  key: string | undefined;
  label: string | undefined;
  queuedAt: number;
}

export type SkipReason = 'duplicate' | 'stale' | 'overflow' | 'cleared';

/** What the announcer does, in order: a page (or a test) can log it and show captions. */
export type AnnouncerEvent =
  | { type: 'queued'; call: QueuedCall }
  | { type: 'start'; call: QueuedCall; repeat: number }
  | { type: 'end'; call: QueuedCall; repeat: number }
  | { type: 'skipped'; call: QueuedCall; reason: SkipReason }
  | { type: 'error'; call: QueuedCall; message: string }
  /** The browser refuses sound until a tap: show the "Bật âm thanh" overlay and call `unlock()` from it. */
  | { type: 'blocked'; call: QueuedCall }
  | { type: 'unlocked' };

/** Thrown by a player when the browser does not allow sound yet. */
export class AudioBlockedError extends Error {
  constructor(message = 'Trình duyệt chưa cho phát âm thanh: hãy bấm "Bật âm thanh".') {
    super(message);
    this.name = 'AudioBlockedError';
  }
}

/** Where the sound goes. `load` may run ahead of `play` (the next call is fetched while one plays). */
export interface AudioPlayer<Loaded = unknown> {
  load(url: string): Promise<Loaded>;
  /** Resolves when the sound ended. @throws AudioBlockedError when sound is not allowed yet. */
  play(audio: Loaded, volume: number): Promise<void>;
  /** Must be called from a user gesture (a tap). Resolves whether sound is now allowed. */
  unlock(): Promise<boolean>;
  /** Changes the volume of what is playing now. */
  setVolume?(volume: number): void;
  /** Stops what is playing (its `play` resolves). */
  stop?(): void;
  /** Lets go of a loaded sound that will not be played (a call fetched ahead that did not come). */
  release?(audio: Loaded): void;
}

export interface AnnouncerOptions {
  /** Default: Web Audio when the browser has it, else an HTMLAudioElement. */
  player?: AudioPlayer;
  /** 0–1, default 1. */
  volume?: number;
  /** Silence between two announcements (default 600 ms) and between repeats of one (default 900 ms). */
  gapMs?: number;
  repeatGapMs?: number;
  /** More waiting than this and the oldest not yet playing is dropped (default 30). */
  maxQueue?: number;
  /** A call that waited longer (sound locked, a long burst) is skipped rather than said late (default 3 min). */
  maxAgeMs?: number;
  onEvent?: (event: AnnouncerEvent) => void;
  /** Most calls held fetched and decoded ahead of time (default 6: about 1 MB each once decoded). */
  maxAhead?: number;
  /** Quiet time after the last `ahead()` before fetching (default 1 s): a burst of calls puts it off. */
  aheadDelayMs?: number;
  /** A call the hub did not have yet is asked again after this (default 2 s), doubling up to 30 s. */
  aheadRetryMs?: number;
  now?: () => number;
  wait?: (ms: number) => Promise<void>;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

export type Outcome = 'played' | 'skipped' | 'failed';

export interface Announcer {
  /** Queues a call; resolves once it was played (all repeats), skipped or failed. */
  announce(call: CallAudio): Promise<Outcome>;
  /** Call from the "Bật âm thanh" button's click handler. */
  unlock(): Promise<boolean>;
  /** True after the browser refused to play; false again after `unlock()` worked. */
  readonly blocked: boolean;
  volume: number;
  /**
   * The calls likely to come next (their URLs, most likely first): the first `maxAhead` are
   * fetched (`ahead=1`: only what the hub already rendered) and decoded while the TV is quiet,
   * so that when one is announced only starting the sound remains. Others held are let go.
   */
  ahead(urls: readonly string[]): void;
  /** The URLs held ready ahead of time now (for a technician's console and the tests). */
  readyAhead(): string[];
  /** Calls waiting, not counting the one playing. */
  pending(): number;
  /** Drops every waiting call (the one playing finishes). */
  clear(): void;
  /** Stops everything; later calls are skipped. */
  dispose(): void;
}

interface Entry {
  call: QueuedCall;
  loading: Promise<unknown> | undefined;
  done: (outcome: Outcome) => void;
}

/** A queue of announcements that plays one at a time, in order. */
export function createAnnouncer(options: AnnouncerOptions = {}): Announcer {
  const player = options.player ?? defaultPlayer();
  const now = options.now ?? (() => Date.now());
  const wait = options.wait ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const emit = (e: AnnouncerEvent) => {
    try {
      options.onEvent?.(e);
    } catch {
      // A faulty listener must not stop the announcements.
    }
  };
  const gapMs = options.gapMs ?? 600;
  const repeatGapMs = options.repeatGapMs ?? 900;
  const maxQueue = options.maxQueue ?? 30;
  const maxAgeMs = options.maxAgeMs ?? 180_000;
  let volume = clamp01(options.volume ?? 1);
  let blocked = false;
  let disposed = false;
  let running = false;
  let current: Entry | undefined;
  let unlocked: (() => void) | undefined;
  const queue: Entry[] = [];

  const setTimer = options.setTimer ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));
  const clearTimer = options.clearTimer ?? ((t: unknown) => clearTimeout(t as ReturnType<typeof setTimeout>));
  const maxAhead = Math.max(0, Math.floor(options.maxAhead ?? 6));
  const aheadDelayMs = options.aheadDelayMs ?? 1000;
  const aheadRetryMs = options.aheadRetryMs ?? 2000;
  /** Calls fetched (or being fetched) ahead, by URL; `audio` once decoded. */
  const held = new Map<string, { loading: Promise<unknown>; audio?: unknown }>();
  /** Calls the hub did not have yet: when to ask again. */
  const retry = new Map<string, { at: number; failures: number }>();
  let wanted: string[] = [];
  let aheadChangedAt = -Infinity;
  let aheadTimer: unknown;
  let fetchingAhead = false;

  const release = (url: string) => {
    const h = held.get(url);
    held.delete(url);
    if (h && 'audio' in h) player.release?.(h.audio);
  };

  const scheduleAhead = (ms: number) => {
    if (aheadTimer !== undefined) clearTimer(aheadTimer);
    aheadTimer = setTimer(() => {
      aheadTimer = undefined;
      fillAhead();
    }, Math.max(0, ms));
  };

  /** Fetches the next wanted call ahead, one at a time, once the TV has been quiet for `aheadDelayMs`. */
  function fillAhead(): void {
    if (disposed || fetchingAhead) return;
    const t = now();
    if (t - aheadChangedAt < aheadDelayMs) return scheduleAhead(aheadDelayMs - (t - aheadChangedAt));
    const missing = wanted.filter((url) => !held.has(url));
    const url = missing.find((u) => (retry.get(u)?.at ?? -Infinity) <= t);
    if (url === undefined) {
      if (missing.length > 0) scheduleAhead(Math.min(...missing.map((u) => retry.get(u)!.at)) - t);
      return;
    }
    fetchingAhead = true;
    const h: { loading: Promise<unknown>; audio?: unknown } = { loading: player.load(aheadUrl(url)) };
    h.loading.catch(() => {});
    held.set(url, h);
    h.loading.then(
      (audio) => {
        fetchingAhead = false;
        retry.delete(url);
        // Let go at once if it is no longer wanted (or was announced meanwhile: then not ours).
        if (held.get(url) === h) {
          h.audio = audio;
          if (!wanted.includes(url)) release(url);
        }
        fillAhead();
      },
      () => {
        fetchingAhead = false;
        if (held.get(url) === h) held.delete(url);
        const failures = (retry.get(url)?.failures ?? 0) + 1;
        retry.set(url, { at: now() + Math.min(30_000, aheadRetryMs * 2 ** (failures - 1)), failures });
        fillAhead();
      },
    );
  }

  const load = (entry: Entry): Promise<unknown> => {
    if (!entry.loading) {
      const ready = held.get(entry.call.url);
      held.delete(entry.call.url);
      if (ready) wanted = wanted.filter((u) => u !== entry.call.url);
      // Fetched ahead: only starting the sound remains. Still under way and then refused (not
      // rendered yet): asked plainly, as any call.
      entry.loading = ready ? ready.loading.catch(() => player.load(entry.call.url)) : player.load(entry.call.url);
      // Seen again when it is played; an early failure must not be reported as unhandled.
      entry.loading.catch(() => {});
    }
    return entry.loading;
  };

  const skip = (entry: Entry, reason: SkipReason) => {
    emit({ type: 'skipped', call: entry.call, reason });
    entry.done('skipped');
  };

  async function playEntry(entry: Entry): Promise<Outcome> {
    let audio: unknown;
    try {
      audio = await load(entry);
    } catch {
      // One retry: the hub may have been restarting.
      entry.loading = undefined;
      try {
        audio = await load(entry);
      } catch (error) {
        emit({ type: 'error', call: entry.call, message: messageOf(error) });
        return 'failed';
      }
    }
    for (let repeat = 1; repeat <= entry.call.repeats; repeat++) {
      if (disposed) return 'skipped';
      if (repeat > 1) await wait(repeatGapMs);
      for (;;) {
        if (now() - entry.call.queuedAt > maxAgeMs && repeat === 1) {
          emit({ type: 'skipped', call: entry.call, reason: 'stale' });
          return 'skipped';
        }
        emit({ type: 'start', call: entry.call, repeat });
        try {
          await player.play(audio, volume);
          emit({ type: 'end', call: entry.call, repeat });
          break;
        } catch (error) {
          if (!(error instanceof AudioBlockedError || isNotAllowed(error))) {
            emit({ type: 'error', call: entry.call, message: messageOf(error) });
            return 'failed';
          }
          blocked = true;
          emit({ type: 'blocked', call: entry.call });
          await new Promise<void>((resolve) => (unlocked = resolve));
          if (disposed) return 'skipped';
        }
      }
    }
    return 'played';
  }

  async function drain(): Promise<void> {
    if (running) return;
    running = true;
    try {
      let first = true;
      while (!disposed && queue.length > 0) {
        const entry = queue.shift()!;
        current = entry;
        // Fetch the next one while this one plays, so a burst has no gaps beyond `gapMs`.
        for (const next of queue.slice(0, 2)) load(next);
        if (!first) await wait(gapMs);
        first = false;
        let outcome: Outcome;
        try {
          outcome = await playEntry(entry);
        } catch (error) {
          emit({ type: 'error', call: entry.call, message: messageOf(error) });
          outcome = 'failed';
        }
        current = undefined;
        entry.done(outcome);
      }
    } finally {
      running = false;
    }
  }

  return {
    announce(call) {
      return new Promise<Outcome>((done) => {
        const queued: QueuedCall = {
          url: call.url,
          repeats: Math.max(1, Math.min(10, Math.floor(call.repeats ?? 1))),
          key: call.key,
          label: call.label,
          queuedAt: now(),
        };
        const entry: Entry = { call: queued, loading: undefined, done };
        if (disposed) return skip(entry, 'cleared');
        if (queued.key !== undefined && [current, ...queue].some((e) => e?.call.key === queued.key)) return skip(entry, 'duplicate');
        queue.push(entry);
        emit({ type: 'queued', call: queued });
        while (queue.length > maxQueue) skip(queue.shift()!, 'overflow');
        // Something is playing: fetch this one now if it is next or the one after. Fetched
        // ahead: claim it now, before the state that follows the call lets it go.
        if ((running && queue.indexOf(entry) >= 0 && queue.indexOf(entry) < 2) || held.has(queued.url)) load(entry);
        void drain();
      });
    },
    async unlock() {
      const ok = await player.unlock();
      if (ok) {
        blocked = false;
        emit({ type: 'unlocked' });
        const resume = unlocked;
        unlocked = undefined;
        resume?.();
      }
      return ok;
    },
    get blocked() {
      return blocked;
    },
    get volume() {
      return volume;
    },
    set volume(v: number) {
      volume = clamp01(v);
      player.setVolume?.(volume);
    },
    ahead(urls) {
      if (disposed) return;
      wanted = [...new Set(urls)].slice(0, maxAhead);
      for (const url of [...held.keys()]) if (!wanted.includes(url)) release(url);
      for (const url of [...retry.keys()]) if (!wanted.includes(url)) retry.delete(url);
      aheadChangedAt = now();
      scheduleAhead(aheadDelayMs);
    },
    readyAhead: () => [...held].filter(([, h]) => 'audio' in h).map(([url]) => url),
    pending: () => queue.length,
    clear() {
      for (const entry of queue.splice(0)) skip(entry, 'cleared');
    },
    dispose() {
      disposed = true;
      if (aheadTimer !== undefined) clearTimer(aheadTimer);
      for (const url of [...held.keys()]) release(url);
      for (const entry of queue.splice(0)) skip(entry, 'cleared');
      player.stop?.();
      const resume = unlocked;
      unlocked = undefined;
      resume?.();
    },
  };
}

function clamp01(v: number): number {
  return Number.isFinite(v) ? Math.max(0, Math.min(1, v)) : 1;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isNotAllowed(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'NotAllowedError';
}

// ---- Players -------------------------------------------------------------------------------

interface AudioParamLike {
  value: number;
}
interface AudioNodeLike {
  connect(destination: unknown): unknown;
  disconnect(): void;
}
interface GainNodeLike extends AudioNodeLike {
  gain: AudioParamLike;
}
interface BufferSourceLike extends AudioNodeLike {
  buffer: unknown;
  onended: (() => void) | null;
  start(when?: number): void;
  stop(): void;
}
interface AudioContextLike {
  state: string;
  destination: unknown;
  resume(): Promise<void>;
  decodeAudioData(data: ArrayBuffer): Promise<unknown>;
  createBuffer(channels: number, length: number, rate: number): unknown;
  createBufferSource(): BufferSourceLike;
  createGain(): GainNodeLike;
}
type AudioContextClass = new () => AudioContextLike;

interface AudioElementLike {
  src: string;
  volume: number;
  preload: string;
  onended: (() => void) | null;
  onerror: (() => void) | null;
  play(): Promise<void>;
  pause(): void;
}
type AudioElementClass = new (src?: string) => AudioElementLike;

function browserGlobals(): { AudioContext?: AudioContextClass; webkitAudioContext?: AudioContextClass; Audio?: AudioElementClass } {
  return globalThis as unknown as { AudioContext?: AudioContextClass; webkitAudioContext?: AudioContextClass; Audio?: AudioElementClass };
}

function defaultPlayer(): AudioPlayer {
  const g = browserGlobals();
  if (g.AudioContext ?? g.webkitAudioContext) return webAudioPlayer();
  if (g.Audio) return audioElementPlayer();
  throw new Error('Trình duyệt này không phát được âm thanh (không có Web Audio hay <audio>).');
}

/**
 * Plays through one Web Audio context: once a tap resumed it, it stays allowed for the page's
 * life (an <audio> element may need a tap per element on some browsers).
 */
export function webAudioPlayer(): AudioPlayer<unknown> {
  const g = browserGlobals();
  const Ctx = g.AudioContext ?? g.webkitAudioContext;
  if (!Ctx) throw new Error('Trình duyệt này không có Web Audio.');
  let ctx: AudioContextLike | undefined;
  let gain: GainNodeLike | undefined;
  let playing: { source: BufferSourceLike; finish: () => void } | undefined;
  const context = () => {
    if (!ctx) {
      ctx = new Ctx();
      gain = ctx.createGain();
      gain.connect(ctx.destination);
    }
    return { ctx, gain: gain! };
  };
  return {
    async load(url) {
      const res = await fetch(url);
      if (!res.ok) throw new Error(`Không tải được âm thanh (${res.status}) ${url}`);
      return context().ctx.decodeAudioData(await res.arrayBuffer());
    },
    play(buffer, volume) {
      const { ctx: c, gain: g2 } = context();
      if (c.state !== 'running') return Promise.reject(new AudioBlockedError());
      g2.gain.value = volume;
      return new Promise<void>((resolve) => {
        const source = c.createBufferSource();
        source.buffer = buffer;
        source.connect(g2);
        const finish = () => {
          source.onended = null;
          source.disconnect();
          playing = undefined;
          resolve();
        };
        source.onended = finish;
        playing = { source, finish };
        source.start();
      });
    },
    async unlock() {
      const { ctx: c, gain: g2 } = context();
      try {
        await c.resume();
        // iOS wants a sound started inside the gesture: one silent sample.
        const source = c.createBufferSource();
        source.buffer = c.createBuffer(1, 1, 22_050);
        source.connect(g2);
        source.start();
      } catch {
        return false;
      }
      return c.state === 'running';
    },
    setVolume(volume) {
      if (gain) gain.gain.value = volume;
    },
    stop() {
      if (!playing) return;
      const { source, finish } = playing;
      try {
        source.stop();
      } catch {
        // already stopped
      }
      finish();
    },
  };
}

/** 44-byte WAV with one silent sample: played inside the unlocking tap. */
const SILENT_WAV = 'data:audio/wav;base64,UklGRiYAAABXQVZFZm10IBAAAAABAAEAIlYAAESsAAACABAAZGF0YQIAAAAAAA==';

/** Plays through one reused <audio> element: for browsers without Web Audio. */
export function audioElementPlayer(): AudioPlayer<string> {
  const Audio = browserGlobals().Audio;
  if (!Audio) throw new Error('Trình duyệt này không có <audio>.');
  const element = new Audio();
  element.preload = 'auto';
  let finishCurrent: (() => void) | undefined;
  return {
    async load(url) {
      // Fetched into a blob URL so playback never waits on the network.
      const res = await fetch(url);
      if (!res.ok) throw new Error(`Không tải được âm thanh (${res.status}) ${url}`);
      const blob = await res.blob();
      return (globalThis as unknown as { URL: { createObjectURL(b: unknown): string } }).URL.createObjectURL(blob);
    },
    play(src, volume) {
      return new Promise<void>((resolve, reject) => {
        element.src = src;
        element.volume = volume;
        const finish = () => {
          element.onended = null;
          element.onerror = null;
          finishCurrent = undefined;
          resolve();
        };
        finishCurrent = finish;
        element.onended = finish;
        element.onerror = () => {
          finishCurrent = undefined;
          reject(new Error('Trình duyệt không phát được tệp âm thanh.'));
        };
        element.play().catch((error: unknown) => {
          finishCurrent = undefined;
          reject(isNotAllowed(error) ? new AudioBlockedError() : error);
        });
      });
    },
    async unlock() {
      try {
        element.src = SILENT_WAV;
        await element.play();
        return true;
      } catch {
        return false;
      }
    },
    setVolume(volume) {
      element.volume = volume;
    },
    stop() {
      element.pause();
      finishCurrent?.();
    },
    release(src) {
      (globalThis as unknown as { URL: { revokeObjectURL(u: string): void } }).URL.revokeObjectURL(src);
    },
  };
}
