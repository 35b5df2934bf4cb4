import { describe, expect, it } from '@jest/globals';
import { buckets, strikes } from './limits';
import { partitionName } from './db';

describe('buckets', () => {
  it('gives a burst, then one token per 1/perSecond, and says how long to wait', () => {
    let now = 0;
    const b = buckets({ burst: 3, perSecond: 0.5 }, () => now);
    expect([b.take('a'), b.take('a'), b.take('a')]).toEqual([0, 0, 0]);
    expect(b.take('a')).toBe(2_000);
    expect(b.take('b')).toBe(0);
    now += 1_999;
    expect(b.take('a')).toBe(1);
    now += 1;
    expect(b.take('a')).toBe(0);
    // A clock put back refills nothing and breaks nothing.
    now -= 60_000;
    expect(b.take('a')).toBeGreaterThan(0);
  });
});

describe('strikes', () => {
  it('locks a key after `tries` wrong ones within the window, until the oldest leaves it; a right one is given back', () => {
    let now = 0;
    const s = strikes({ tries: 3, windowMs: 60_000 }, () => now);
    s.fail('x');
    s.forgive('x');
    for (let i = 0; i < 3; i++) {
      expect(s.waitMs('x')).toBe(0);
      s.fail('x');
      now += 1_000;
    }
    expect(s.waitMs('x')).toBe(57_000);
    expect(s.waitMs('y')).toBe(0);
    now = 60_000;
    expect(s.waitMs('x')).toBe(0);
  });
});

describe('partitionName', () => {
  it('names the UTC month of an instant', () => {
    expect(partitionName(Date.UTC(2026, 11, 31, 23, 59))).toBe('push_receipts_2026_12');
    expect(partitionName(Date.UTC(2027, 0, 1))).toBe('push_receipts_2027_01');
  });
});
