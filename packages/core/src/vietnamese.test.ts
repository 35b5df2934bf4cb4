import { describe, expect, it } from '@jest/globals';
import { bytesVi, clockVi, compareNamesVi, compareTextVi, dateTimeVi, durationVi, openingTimeVi, weekdayDateVi, weekdayOf } from './vietnamese';

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

  it('orders place names from their first word, Đ after D, numbers by value', () => {
    const names = ['Hà Trung', 'Đông Sơn', 'Zơ Ngây', 'Dân Lý', 'Phường 10', 'Phường 2', 'An Nông'];
    expect([...names].sort(compareTextVi)).toEqual(['An Nông', 'Dân Lý', 'Đông Sơn', 'Hà Trung', 'Phường 2', 'Phường 10', 'Zơ Ngây']);
  });

  it('says an instant with its year, a span in its two largest units, and a size as Windows does', () => {
    expect(dateTimeVi(SATURDAY_0730)).toBe('07:30 ngày 12/12/2026');
    expect(dateTimeVi(Date.parse('2001-01-01T00:00:00Z'))).toBe('07:00 ngày 01/01/2001');
    expect(dateTimeVi(SATURDAY_0730, { seconds: true, utcOffsetMinutes: 0 })).toBe('00:30:05 ngày 12/12/2026');
    const MIN = 60_000;
    const HOUR = 60 * MIN;
    expect(durationVi(0)).toBe('0 giây');
    expect(durationVi(40_999)).toBe('40 giây');
    expect(durationVi(7 * MIN + 59_000)).toBe('7 phút');
    expect(durationVi(59 * MIN + 59_000)).toBe('59 phút');
    expect(durationVi(2 * HOUR)).toBe('2 giờ');
    expect(durationVi(2 * HOUR + 5 * MIN)).toBe('2 giờ 5 phút');
    expect(durationVi(3 * 24 * HOUR + 4 * HOUR + 59 * MIN)).toBe('3 ngày 4 giờ');
    expect(durationVi(24 * HOUR + 30 * MIN)).toBe('1 ngày');
    expect(durationVi(-5)).toBe('0 giây');
    expect(bytesVi(512)).toBe('512 byte');
    expect(bytesVi(1536)).toBe('1,5 KB');
    expect(bytesVi(820 * 1024 ** 2)).toBe('820 MB');
    expect(bytesVi(1.25 * 1024 ** 3)).toBe('1,25 GB');
    expect(bytesVi(72.1 * 1024 ** 3)).toBe('72,1 GB');
    expect(bytesVi(1000 * 1024 ** 2)).toBe('0,98 GB');
    expect(bytesVi(999)).toBe('999 byte');
    expect(bytesVi(465.8 * 1024 ** 3)).toBe('466 GB');
  });
});
