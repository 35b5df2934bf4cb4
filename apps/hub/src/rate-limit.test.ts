import { describe, expect, it } from '@jest/globals';
import { rateLimiter, retryInVi } from './rate-limit';

describe('rateLimiter', () => {
  it('gives a burst, then one token per interval', () => {
    let now = 1_000_000;
    const limit = rateLimiter(2, 1_000, () => now);
    expect([limit.take('k'), limit.take('k'), limit.take('k')]).toEqual([true, true, false]);
    expect(limit.take('other')).toBe(true);
    now += 1_000;
    expect([limit.allows('k'), limit.take('k'), limit.take('k')]).toEqual([true, true, false]);
  });

  it('says how long until the next try, the wait a refusal tells the person', () => {
    let now = 1_000_000;
    const limit = rateLimiter(2, 12_000, () => now);
    expect(limit.waitMs('k')).toBe(0);
    limit.take('k');
    limit.take('k');
    expect(limit.waitMs('k')).toBe(12_000);
    now += 4_500;
    expect(limit.waitMs('k')).toBe(7_500);
    expect(retryInVi(limit.waitMs('k'))).toBe('8 giây');
    now += 7_500;
    expect([limit.waitMs('k'), limit.allows('k')]).toEqual([0, true]);
    expect(retryInVi(0)).toBe('1 giây');
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
