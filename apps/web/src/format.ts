import type { ServiceView, Snapshot } from '@xephang/protocol';

const WEEKDAYS_VI = ['Chủ nhật', 'Thứ hai', 'Thứ ba', 'Thứ tư', 'Thứ năm', 'Thứ sáu', 'Thứ bảy'];

/** Times are shown in Vietnam's time (UTC+7) whatever the screen's own clock zone. */
function vn(ms: number): Date {
  return new Date(ms + 7 * 3_600_000);
}

export function timeVi(ms: number, seconds = false): string {
  const d = vn(ms);
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return seconds ? `${hh}:${mm}:${String(d.getUTCSeconds()).padStart(2, '0')}` : `${hh}:${mm}`;
}

export function dateVi(ms: number): string {
  const d = vn(ms);
  return `${WEEKDAYS_VI[d.getUTCDay()]}, ngày ${d.getUTCDate()} tháng ${d.getUTCMonth() + 1} năm ${d.getUTCFullYear()}`;
}

export function serviceOf(state: Snapshot | undefined, id: string): ServiceView | undefined {
  return state?.services.find((s) => s.id === id);
}

export function minutesVi(n: number): string {
  return n <= 0 ? 'không phải chờ' : `khoảng ${n} phút`;
}

const WEEKDAYS_EN = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** "thứ Bảy 12/12" or "Saturday 12/12", in Vietnam's time: the day a citizen is told to come back. */
export function weekdayDate(ms: number, lang: 'vi' | 'en'): string {
  const d = vn(ms);
  const day = `${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  const weekday = lang === 'en' ? WEEKDAYS_EN[d.getUTCDay()]! : WEEKDAYS_VI[d.getUTCDay()]!.replace(/^Thứ (\p{L})/u, (_, c: string) => `thứ ${c.toUpperCase()}`);
  return `${weekday} ${day}`;
}
