import { describe, expect, it } from '@jest/globals';
import { Backoff, recoveryFor } from './backoff';

describe('crash backoff', () => {
  it('doubles from one second up to a minute', () => {
    const b = new Backoff();
    const delays = Array.from({ length: 9 }, (_, i) => b.fail(i * 1000).delayMs);
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    expect(b.attempts).toBe(9);
  });

  it('starts over after the screen ran two minutes without failing', () => {
    const b = new Backoff();
    b.fail(0);
    b.fail(1000);
    expect(b.fail(2000)).toEqual({ delayMs: 4000, attempt: 3 });
    expect(b.fail(2000 + 2 * 60_000)).toEqual({ delayMs: 1000, attempt: 1 });
  });

  it('starts over after a success', () => {
    const b = new Backoff({ baseMs: 500 });
    b.fail(0);
    b.fail(1);
    b.succeeded();
    expect(b.fail(2)).toEqual({ delayMs: 500, attempt: 1 });
  });

  it('spreads the waits so many screens do not retry together, within the cap', () => {
    const low = new Backoff({ jitter: 0.2, random: () => 0 });
    const high = new Backoff({ jitter: 0.2, random: () => 0.999999 });
    expect(low.fail(0).delayMs).toBe(800);
    expect(high.fail(0).delayMs).toBe(1200);
    const capped = new Backoff({ jitter: 0.5, random: () => 0.999999, maxMs: 10_000 });
    for (let i = 0; i < 10; i++) expect(capped.fail(i).delayMs).toBeLessThanOrEqual(10_000);
  });
});

describe('what to do about a failed screen', () => {
  it('reloads twice, then loads afresh, and shows the offline page when the hub is gone', () => {
    expect([1, 2, 3, 7].map((a) => recoveryFor(a, true))).toEqual(['reload', 'reload', 'reload-fresh', 'reload-fresh']);
    expect(recoveryFor(1, false)).toBe('offline-page');
  });
});
