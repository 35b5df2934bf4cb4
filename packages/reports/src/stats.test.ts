import { describe, expect, it } from '@jest/globals';
import { Durations, percentile, Ratings, timeStats } from './stats';

// The radix select against a full sort is tested at length in apps/hub/test/reports-stats.test.ts;
// here, what the merge leans on: days given as separate arrays, and the two collectors.
describe('the statistics a report merge adds up', () => {
  it('interpolates percentiles as Excel’s PERCENTILE.INC does', () => {
    expect(percentile([1, 2, 3, 4], 0.9)).toBeCloseTo(3.7, 10);
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(percentile([42], 0.9)).toBe(42);
  });

  it('gives the same figures for a week of days as for the same durations in one array', () => {
    const days = [Float64Array.from([60_000, 125_000]), new Float64Array(0), Float64Array.from([30_000, 900_000, 61_500, 240_000])];
    const one = Float64Array.from(days.flatMap((d) => [...d]));
    expect(timeStats(days)).toEqual(timeStats(one));
    expect(timeStats(one)).toEqual({ count: 6, meanMs: 236_083, medianMs: 93_250, p90Ms: 570_000 });
    expect(timeStats([])).toEqual({ count: 0, meanMs: null, medianMs: null, p90Ms: null });
    // Not whole milliseconds: added up sorted, the same way.
    expect(timeStats([Float64Array.from([0.5, 1.25]), Float64Array.from([2.75])])).toEqual({ count: 3, meanMs: 2, medianMs: 1, p90Ms: 2 });
  });

  it('collects durations per key, day after day, a key’s figures changing with each day added', () => {
    const d = new Durations<string>();
    d.add('civil', Float64Array.from([1_000, 3_000]));
    expect(d.stats('civil')).toMatchObject({ count: 2, medianMs: 2_000 });
    d.add('civil', Float64Array.from([8_000]));
    expect(d.stats('civil')).toMatchObject({ count: 3, medianMs: 3_000, meanMs: 4_000 });
    expect(d.stats('land').count).toBe(0);
  });

  it('adds up ratings per key and averages their scores 1–4', () => {
    const r = new Ratings<number>();
    r.add(2, [0, 1, 0, 1]);
    r.add(2, [1, 0, 0, 2]);
    expect(r.summary(2)).toEqual({ count: 5, counts: [1, 1, 0, 3], mean: (1 + 2 + 12) / 5 });
    expect(r.summary(3)).toEqual({ count: 0, counts: [0, 0, 0, 0], mean: null });
  });
});
