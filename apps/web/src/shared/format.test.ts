import { describe, expect, it } from '@jest/globals';
import { dateVi, dmyToIso, isoToDmy, minutesVi, timeVi, weekdayDateEn } from './format';

// 07:30:05 on Saturday 12 December 2026 in Vietnam: still Friday evening in UTC.
const SATURDAY_0730 = Date.parse('2026-12-12T07:30:05+07:00');

describe('screen formats, in Vietnam time whatever the browser zone', () => {
  it('writes the clock', () => {
    expect(timeVi(SATURDAY_0730)).toBe('07:30');
    expect(timeVi(SATURDAY_0730, true)).toBe('07:30:05');
  });

  it('writes the date with its weekday capitalised, on the local date', () => {
    expect(dateVi(SATURDAY_0730)).toBe('Thứ Bảy, ngày 12 tháng 12 năm 2026');
    expect(dateVi(Date.parse('2026-12-13T23:59:00+07:00'))).toBe('Chủ nhật, ngày 13 tháng 12 năm 2026');
  });

  it('tells a foreigner the day in English', () => {
    expect(weekdayDateEn(SATURDAY_0730)).toBe('Saturday 12/12');
    expect(weekdayDateEn(Date.parse('2026-12-12T06:59:00+07:00'))).toBe('Saturday 12/12');
  });

  it('says a wait in words', () => {
    expect(minutesVi(0)).toBe('không phải chờ');
    expect(minutesVi(12)).toBe('khoảng 12 phút');
  });

  it('reads and writes dates as day/month/year', () => {
    expect(isoToDmy('2026-12-05')).toBe('05/12/2026');
    expect(isoToDmy('5/12/2026')).toBe('');
    expect(dmyToIso('5/12/2026')).toEqual({ iso: '2026-12-05' });
    expect(dmyToIso('05.12.2026')).toEqual({ iso: '2026-12-05' });
    expect(dmyToIso('31/11/2026')).toEqual({ error: 'Không có ngày 31/11/2026.' });
    expect(dmyToIso('2026-12-05')).toEqual({ error: 'Nhập ngày dạng ngày/tháng/năm, ví dụ 05/12/2026.' });
  });
});
