import { describe, expect, it } from '@jest/globals';
import { clockVi, compareNamesVi, openingTimeVi, weekdayDateVi, weekdayOf } from './vietnamese';

// Saturday 12 December 2026, 07:30:05 in Vietnam (00:30:05 UTC).
const SATURDAY_0730 = Date.parse('2026-12-12T07:30:05+07:00');

describe('Vietnamese time and names', () => {
  it("tells the time and the day in Vietnam's time, whatever the machine's zone", () => {
    expect(clockVi(SATURDAY_0730)).toBe('07:30');
    expect(clockVi(SATURDAY_0730, { seconds: true })).toBe('07:30:05');
    expect(weekdayOf(SATURDAY_0730)).toBe(6);
    expect(weekdayDateVi(SATURDAY_0730)).toBe('thứ Bảy 12/12');
    expect(openingTimeVi(SATURDAY_0730)).toBe('07:30 thứ Bảy 12/12');
    expect(openingTimeVi(Date.parse('2026-12-13T13:30:00+07:00'))).toBe('13:30 Chủ nhật 13/12');
    // Another offset is honoured (a hub told to keep another one).
    expect(openingTimeVi(SATURDAY_0730, 0)).toBe('00:30 thứ Bảy 12/12');
    // 06:59 on Saturday in Vietnam is still Friday in UTC: the day is the local one.
    expect(weekdayDateVi(Date.parse('2026-12-12T06:59:00+07:00'))).toBe('thứ Bảy 12/12');
    expect(weekdayDateVi(Date.parse('2026-12-12T06:59:00+07:00'), 0)).toBe('thứ Sáu 11/12');
  });

  it('orders names by the given name, then the whole name, with Đ after D and before G', () => {
    const names = ['Trần Văn Zung', 'Nguyễn Minh Đức', 'Lê Thị An', 'Phạm Văn Dũng', 'Hoàng Giang', 'Bùi Thị An'];
    expect([...names].sort(compareNamesVi)).toEqual(['Bùi Thị An', 'Lê Thị An', 'Phạm Văn Dũng', 'Nguyễn Minh Đức', 'Hoàng Giang', 'Trần Văn Zung']);
  });
});
