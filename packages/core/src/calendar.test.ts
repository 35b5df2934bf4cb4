import { describe, expect, it } from '@jest/globals';
import {
  addDays,
  capitalVi,
  isoWeekMonday,
  isoWeekOf,
  localClock,
  localDate,
  localMidnight,
  mondayIndex,
  VIETNAM_UTC_OFFSET_MINUTES,
  WEEKDAYS_MONDAY_FIRST_VI,
  WEEKDAYS_SHORT_VI,
  WEEKDAYS_VI,
} from './calendar';

describe('calendar', () => {
  it('keeps Vietnam at UTC+7', () => {
    expect(VIETNAM_UTC_OFFSET_MINUTES).toBe(7 * 60);
  });

  it('reads the local date and clock of an instant at UTC+7, not at the machine zone', () => {
    // 17:00 UTC on 9 July is already 00:00 on 10 July in Vietnam.
    expect(localDate(Date.UTC(2025, 6, 9, 16, 59))).toBe('2025-07-09');
    expect(localDate(Date.UTC(2025, 6, 9, 17, 0))).toBe('2025-07-10');
    expect(localDate(Date.UTC(2025, 6, 9, 17, 0), 0)).toBe('2025-07-09');
    expect(localClock(Date.UTC(2025, 6, 10, 1, 5)).getUTCHours()).toBe(8);
  });

  it('keeps each instant its own date though it remembers the last one (offsets, days back and forth, before 1970)', () => {
    const at = Date.UTC(2025, 6, 9, 17, 0);
    for (let i = 0; i < 3; i++) {
      expect(localDate(at)).toBe('2025-07-10');
      expect(localDate(at, 0)).toBe('2025-07-09');
      expect(localDate(at - 1)).toBe('2025-07-09');
      expect(localDate(at + 86_400_000 - 1)).toBe('2025-07-10');
      expect(localDate(at + 86_400_000)).toBe('2025-07-11');
      expect(localDate(Date.UTC(1969, 11, 31, 16, 59), 0)).toBe('1969-12-31');
    }
  });

  it('finds local midnight, and refuses a date that does not exist', () => {
    expect(localMidnight('2025-07-10')).toBe(Date.UTC(2025, 6, 9, 17, 0));
    expect(localDate(localMidnight('2025-07-10')!)).toBe('2025-07-10');
    expect(localMidnight('2025-02-29')).toBeUndefined();
    expect(localMidnight('10/07/2025')).toBeUndefined();
  });

  it('adds days across months and years', () => {
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });

  it('numbers the week Monday first', () => {
    expect(mondayIndex('2025-07-14')).toBe(0); // a Monday
    expect(mondayIndex('2025-07-13')).toBe(6); // a Sunday
  });

  it('gives the ISO week of a date: the year of its Thursday', () => {
    expect(isoWeekOf('2025-07-13')).toBe('2025-W28');
    expect(isoWeekOf('2025-07-14')).toBe('2025-W29');
    expect(isoWeekOf('2027-01-01')).toBe('2026-W53');
    expect(isoWeekOf('2025-12-29')).toBe('2026-W01');
    expect(isoWeekOf('2021-01-03')).toBe('2020-W53');
  });

  it('gives the Monday of an ISO week, and no Monday for a week the year lacks', () => {
    expect(isoWeekMonday('2026-W01')).toBe('2025-12-29');
    expect(isoWeekMonday('2020-W53')).toBe('2020-12-28');
    expect(isoWeekMonday('2025-W53')).toBeUndefined();
    expect(isoWeekMonday('2025-W00')).toBeUndefined();
    expect(isoWeekMonday('2025-28')).toBeUndefined();
  });

  it('agrees with itself: every day of ten years lies in the week whose Monday is found for it', () => {
    for (let day = '2020-01-01'; day < '2030-01-01'; day = addDays(day, 1)) {
      const monday = isoWeekMonday(isoWeekOf(day));
      expect(monday).toBe(addDays(day, -mondayIndex(day)));
    }
  });

  it('names the weekdays in each order from one list', () => {
    expect(WEEKDAYS_VI[4]).toBe('thứ Năm');
    expect(capitalVi(WEEKDAYS_VI[4])).toBe('Thứ Năm');
    expect(WEEKDAYS_MONDAY_FIRST_VI).toEqual(['Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy', 'Chủ nhật']);
    expect(WEEKDAYS_SHORT_VI).toEqual(['T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'CN']);
  });
});
