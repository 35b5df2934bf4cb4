import { describe, expect, it } from '@jest/globals';
import { DEFAULT_SERVICE_MINUTES, estimateWaitMinutes, meanServiceMs, RECENT_VISITS } from './estimate';

const MINUTE = 60_000;

describe('meanServiceMs', () => {
  it('gives the default (8 minutes) when there are no visits', () => {
    expect(DEFAULT_SERVICE_MINUTES).toBe(8);
    expect(meanServiceMs([])).toBe(8 * MINUTE);
  });

  it('gives the default when no visit has a positive duration', () => {
    expect(meanServiceMs([0, 0, -5])).toBe(DEFAULT_SERVICE_MINUTES * MINUTE);
  });

  it('averages the visits it has', () => {
    expect(meanServiceMs([4 * MINUTE])).toBe(4 * MINUTE);
    expect(meanServiceMs([2 * MINUTE, 4 * MINUTE, 9 * MINUTE])).toBe(5 * MINUTE);
  });

  it('ignores zero and negative durations in the average', () => {
    expect(meanServiceMs([0, 3 * MINUTE, -MINUTE, 5 * MINUTE])).toBe(4 * MINUTE);
  });

  it('looks only at the last RECENT_VISITS (20) visits, newest last', () => {
    expect(RECENT_VISITS).toBe(20);
    const old = Array.from({ length: 5 }, () => 60 * MINUTE);
    const recent = Array.from({ length: RECENT_VISITS }, () => 3 * MINUTE);
    expect(meanServiceMs([...old, ...recent])).toBe(3 * MINUTE);
    // The same visits the other way round: the 20 newest now include the 5 long ones.
    expect(meanServiceMs([...recent, ...old])).toBe((15 * 3 + 5 * 60) * MINUTE / 20);
  });

  it('uses all visits when there are exactly RECENT_VISITS', () => {
    const visits = Array.from({ length: RECENT_VISITS }, (_, i) => (i + 1) * MINUTE);
    expect(meanServiceMs(visits)).toBe(10.5 * MINUTE);
  });

  it('does not change its input', () => {
    const visits = Object.freeze([MINUTE, 2 * MINUTE, 0]);
    expect(meanServiceMs(visits)).toBe(1.5 * MINUTE);
    expect(visits).toEqual([MINUTE, 2 * MINUTE, 0]);
  });
});

describe('estimateWaitMinutes', () => {
  it('is 0 with nobody ahead', () => {
    expect(estimateWaitMinutes(0, 8 * MINUTE, 2)).toBe(0);
    expect(estimateWaitMinutes(-3, 8 * MINUTE, 1)).toBe(0);
  });

  it('is people ahead times the mean, shared by the open counters', () => {
    expect(estimateWaitMinutes(3, 8 * MINUTE, 1)).toBe(24);
    expect(estimateWaitMinutes(3, 8 * MINUTE, 2)).toBe(12);
    expect(estimateWaitMinutes(10, 5 * MINUTE, 5)).toBe(10);
  });

  it('rounds up to the next whole minute', () => {
    expect(estimateWaitMinutes(1, 90_000, 1)).toBe(2);
    expect(estimateWaitMinutes(1, MINUTE + 1, 1)).toBe(2);
    expect(estimateWaitMinutes(1, 1, 1)).toBe(1);
    expect(estimateWaitMinutes(3, 8 * MINUTE, 5)).toBe(5); // 4.8 minutes
  });

  it('does not round up an exact number of minutes', () => {
    expect(estimateWaitMinutes(2, 3 * MINUTE, 1)).toBe(6);
    expect(estimateWaitMinutes(4, 3 * MINUTE, 2)).toBe(6);
  });

  it('has no figure when no counter is open, even with nobody ahead', () => {
    expect(estimateWaitMinutes(3, 8 * MINUTE, 0)).toBeNull();
    expect(estimateWaitMinutes(0, 8 * MINUTE, 0)).toBeNull();
    expect(estimateWaitMinutes(3, 8 * MINUTE, -2)).toBeNull();
  });

  it('works with the default mean when a service has no visits yet', () => {
    expect(estimateWaitMinutes(2, meanServiceMs([]), 1)).toBe(16);
  });
});
