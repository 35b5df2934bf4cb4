import { capitalVi, clockVi, localClock, WEEKDAYS_VI } from '@xephang/core';
import type { ServiceView, Snapshot } from '@xephang/protocol';

// Times are shown in Vietnam's time (core's calendar) whatever the screen's own clock zone.

/** "07:30" (or "07:30:05") in Vietnam's time. */
export function timeVi(ms: number, seconds = false): string {
  return clockVi(ms, { seconds });
}

/** "Thứ Bảy, ngày 12 tháng 12 năm 2026", in Vietnam's time. */
export function dateVi(ms: number): string {
  const d = localClock(ms);
  return `${capitalVi(WEEKDAYS_VI[d.getUTCDay()]!)}, ngày ${d.getUTCDate()} tháng ${d.getUTCMonth() + 1} năm ${d.getUTCFullYear()}`;
}

export function serviceOf(state: Snapshot | undefined, id: string): ServiceView | undefined {
  return state?.services.find((s) => s.id === id);
}

export function minutesVi(n: number): string {
  return n <= 0 ? 'không phải chờ' : `khoảng ${n} phút`;
}

/** `2026-12-05` as `05/12/2026`: the way dates are written in Vietnam, whatever the browser's language. */
export function isoToDmy(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : '';
}

/**
 * Reads a date typed as dd/mm/yyyy (also d/m/yyyy, with `.` or `-`) into `YYYY-MM-DD`; an
 * error in Vietnamese when it is not a real date.
 */
export function dmyToIso(text: string): { iso: string } | { error: string } {
  const m = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/.exec(text);
  if (!m) return { error: 'Nhập ngày dạng ngày/tháng/năm, ví dụ 05/12/2026.' };
  const [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  if (month < 1 || month > 12 || d.getUTCDate() !== day || d.getUTCMonth() !== month - 1) {
    return { error: `Không có ngày ${m[1]}/${m[2]}/${m[3]}.` };
  }
  return { iso: `${m[3]}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` };
}

const WEEKDAYS_EN = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** "Saturday 12/12", in Vietnam's time: the day a foreigner is told to come back (in Vietnamese: `weekdayDateVi` in @xephang/core). */
export function weekdayDateEn(ms: number): string {
  const d = localClock(ms);
  return `${WEEKDAYS_EN[d.getUTCDay()]!} ${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}
