type Koffi = typeof import('koffi', { with: { 'resolution-mode': 'require' } });

/** `M_TRIM_THRESHOLD` and `M_MMAP_THRESHOLD` in glibc's malloc.h. */
const M_TRIM_THRESHOLD = -1;
const M_MMAP_THRESHOLD = -3;
/** glibc's own starting value: blocks from 128 KiB up are mapped on their own and unmapped when freed. */
const THRESHOLD_BYTES = 128 * 1024;
/**
 * Free memory an arena keeps above its top before giving it back. At glibc's 128 KiB the main
 * heap was given back and taken again within nearly every commit, and SQLite's pages for the next
 * transaction were page-faulted in afresh: 20–27 minor faults a ticket's transaction against 0.9
 * at 1 MiB (malloc.test.ts), and 16–39 % of the hub's CPU per ticket and per call (README, "The
 * ack before the print"). 1 MiB per arena costs a few MB at most (bench:memory).
 */
const TRIM_BYTES = 1024 * 1024;

/**
 * Keeps glibc from holding on to memory the hub freed. glibc raises its mmap threshold to the
 * size of each large block freed (up to 32 MiB): after the first 16 MiB scrypt of a PIN, every
 * later one, and the voice's and the drawing thread's large buffers, come from per-thread arenas
 * that keep them, tens of MB each (bench:memory: 60 MB idle, 150 MB after the call WAVs). Setting
 * the threshold once, as `MALLOC_MMAP_THRESHOLD_=131072 MALLOC_TRIM_THRESHOLD_=1048576` would, stops that; it must run before
 * the hub allocates. Elsewhere (Windows, macOS, musl) there is nothing to do.
 * @returns what happened, for the log: `set`, `skipped` (not glibc, or set by the environment), or the error.
 */
export function fixMallocThreshold(mmapBytes: number | 'glibc' = mmapThresholdFromEnv(), trimBytes: number = trimThresholdFromEnv()): 'set' | 'skipped' | string {
  if (process.platform !== 'linux' || process.env.MALLOC_MMAP_THRESHOLD_ !== undefined || mmapBytes === 'glibc') return 'skipped';
  try {
    const koffi = require('koffi') as Koffi;
    const libc = koffi.load('libc.so.6');
    const mallopt = libc.func('int mallopt(int param, int value)') as (param: number, value: number) => number;
    // mallopt answers 1 on success, 0 on a parameter it does not know.
    const ok = mallopt(M_MMAP_THRESHOLD, mmapBytes) === 1 && mallopt(M_TRIM_THRESHOLD, trimBytes) === 1;
    return ok ? 'set' : 'mallopt từ chối M_MMAP_THRESHOLD hoặc M_TRIM_THRESHOLD';
  } catch (error) {
    // musl has no libc.so.6: not glibc, nothing to fix.
    if (/libc\.so\.6/.test(String(error))) return 'skipped';
    return error instanceof Error ? error.message : String(error);
  }
}

/** `XEPHANG_MMAP_THRESHOLD`: bytes, or `glibc` for glibc's own sliding threshold (to measure either). */
function mmapThresholdFromEnv(): number | 'glibc' {
  const text = process.env.XEPHANG_MMAP_THRESHOLD;
  if (text === 'glibc') return 'glibc';
  const n = Number(text);
  return text && Number.isInteger(n) && n > 0 ? n : THRESHOLD_BYTES;
}

/** `XEPHANG_TRIM_THRESHOLD`: bytes of free memory an arena keeps above its top (to measure another one). */
function trimThresholdFromEnv(): number {
  const text = process.env.XEPHANG_TRIM_THRESHOLD;
  const n = Number(text);
  return text && Number.isInteger(n) && n > 0 ? n : TRIM_BYTES;
}
