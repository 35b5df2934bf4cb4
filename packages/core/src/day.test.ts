import { describe, expect, it } from '@jest/globals';
import { localHour, serviceDay, VIETNAM_UTC_OFFSET_MINUTES } from './day';

const at = (iso: string): number => Date.parse(iso);

describe('serviceDay', () => {
  it('uses UTC+7, Vietnam all year', () => {
    expect(VIETNAM_UTC_OFFSET_MINUTES).toBe(7 * 60);
  });

  it('is still the same day one second before local midnight (16:59:59Z)', () => {
    expect(serviceDay(at('2025-07-09T16:59:59Z'))).toBe('2025-07-09');
    expect(serviceDay(at('2025-07-09T16:59:59.999Z'))).toBe('2025-07-09');
  });

  it('turns to the next day at local midnight (17:00:00Z)', () => {
    expect(serviceDay(at('2025-07-09T17:00:00Z'))).toBe('2025-07-10');
  });

  it('is ahead of the UTC date during the local morning', () => {
    // 06:30 in Hà Trung on 10 July is still 9 July in UTC.
    expect(serviceDay(at('2025-07-09T23:30:00Z'))).toBe('2025-07-10');
  });

  it('crosses month and year ends at local midnight', () => {
    expect(serviceDay(at('2025-07-31T16:59:59Z'))).toBe('2025-07-31');
    expect(serviceDay(at('2025-07-31T17:00:00Z'))).toBe('2025-08-01');
    expect(serviceDay(at('2025-12-31T16:59:59Z'))).toBe('2025-12-31');
    expect(serviceDay(at('2025-12-31T17:00:00Z'))).toBe('2026-01-01');
  });

  it('handles 29 February', () => {
    expect(serviceDay(at('2028-02-28T17:00:00Z'))).toBe('2028-02-29');
    expect(serviceDay(at('2028-02-29T17:00:00Z'))).toBe('2028-03-01');
  });

  it('takes another offset when given one', () => {
    expect(serviceDay(at('2025-07-09T23:30:00Z'), 0)).toBe('2025-07-09');
    expect(serviceDay(at('2025-07-09T00:30:00Z'), -60)).toBe('2025-07-08');
  });

  it('is always a YYYY-MM-DD string', () => {
    expect(serviceDay(0)).toBe('1970-01-01');
    expect(serviceDay(at('2025-07-10T02:00:00Z'))).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe('localHour', () => {
  it('gives the hour on the clock in Vietnam', () => {
    expect(localHour(at('2025-07-10T00:00:00Z'))).toBe(7);
    expect(localHour(at('2025-07-10T04:59:59Z'))).toBe(11);
    expect(localHour(at('2025-07-10T10:00:00Z'))).toBe(17);
  });

  it('wraps to 0 at local midnight and 23 just before', () => {
    expect(localHour(at('2025-07-09T16:59:59Z'))).toBe(23);
    expect(localHour(at('2025-07-09T17:00:00Z'))).toBe(0);
  });

  it('takes another offset when given one', () => {
    expect(localHour(at('2025-07-10T00:00:00Z'), 0)).toBe(0);
    expect(localHour(at('2025-07-10T00:00:00Z'), 330)).toBe(5);
  });
});
