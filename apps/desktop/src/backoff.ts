export interface BackoffOptions {
  /** The first wait. */
  baseMs?: number;
  /** The longest wait: a screen never stays dark longer than this between tries. */
  maxMs?: number;
  factor?: number;
  /** A run this long without failure forgets earlier failures. */
  stableMs?: number;
  /** Spread of each wait, 0–1 (±), so thirty displays do not all hit the hub at the same moment. */
  jitter?: number;
  /** For tests: a number in [0, 1). */
  random?: () => number;
}

/**
 * Waits between recoveries (a crashed or hung page, an unreachable hub): 1 s, 2 s, 4 s … up to
 * a minute, back to 1 s once the screen has run a while. Pure: the clock is passed in.
 */
export class Backoff {
  private failures = 0;
  private lastFailureAt: number | undefined;
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly factor: number;
  private readonly stableMs: number;
  private readonly jitter: number;
  private readonly random: () => number;

  constructor(options: BackoffOptions = {}) {
    this.baseMs = options.baseMs ?? 1000;
    this.maxMs = options.maxMs ?? 60_000;
    this.factor = options.factor ?? 2;
    this.stableMs = options.stableMs ?? 2 * 60_000;
    this.jitter = options.jitter ?? 0;
    this.random = options.random ?? Math.random;
  }

  /** Records a failure at `now` and returns how long to wait before the next try, and which try it is (1, 2 …). */
  fail(now: number): { delayMs: number; attempt: number } {
    if (this.lastFailureAt !== undefined && now - this.lastFailureAt >= this.stableMs) this.failures = 0;
    this.lastFailureAt = now;
    const attempt = ++this.failures;
    const raw = Math.min(this.maxMs, this.baseMs * this.factor ** (attempt - 1));
    const spread = this.jitter ? raw * this.jitter * (this.random() * 2 - 1) : 0;
    return { delayMs: Math.max(0, Math.min(this.maxMs, Math.round(raw + spread))), attempt };
  }

  /** The screen loaded and works: the next failure starts again from the first wait. */
  succeeded(): void {
    this.failures = 0;
    this.lastFailureAt = undefined;
  }

  /** Failures since the last success (or the last stable run). */
  get attempts(): number {
    return this.failures;
  }
}

/** What the shell does about a failed screen. */
export type Recovery = 'reload' | 'reload-fresh' | 'offline-page';

/**
 * The first failures reload the page; repeated ones load its address afresh (a broken cache or
 * service worker state); when the hub does not answer at all, the offline page takes over and
 * retries by itself.
 */
export function recoveryFor(attempt: number, hubReachable: boolean): Recovery {
  if (!hubReachable) return 'offline-page';
  return attempt <= 2 ? 'reload' : 'reload-fresh';
}
