import { describe, expect, it } from '@jest/globals';
import { rateLimiter } from './rate-limit';

describe('rateLimiter', () => {
  it('gives a burst, then one token per interval', () => {
    let now = 1_000_000;
    const limit = rateLimiter(2, 1_000, () => now);
    expect([limit.take('k'), limit.take('k'), limit.take('k')]).toEqual([true, true, false]);
    expect(limit.take('other')).toBe(true);
    now += 1_000;
    expect([limit.allows('k'), limit.take('k'), limit.take('k')]).toEqual([true, true, false]);
  });

  it('is not locked for days when the clock is put back days', () => {
    let now = 10 * 86_400_000;
    const limit = rateLimiter(2, 1_000, () => now);
    limit.take('k');
    limit.take('k');
    now -= 3 * 86_400_000;
    expect(limit.take('k')).toBe(false); // nothing refills backwards
    now += 1_000;
    expect(limit.allows('k')).toBe(true);
    expect(limit.take('k')).toBe(true);
  });
});
