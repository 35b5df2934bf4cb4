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

const collator = new Intl.Collator('vi', { sensitivity: 'base', numeric: true });

/**
 * Orders people's names the Vietnamese way: by the given name (the last word: "An" before
 * "Bình"), then by the whole name, with Vietnamese letter order (a ă â … đ after d), whatever
 * the browser's language.
 */
export function compareNamesVi(a: string, b: string): number {
  const given = (name: string) => name.trim().split(/\s+/).at(-1) ?? '';
  return collator.compare(given(a), given(b)) || collator.compare(a, b);
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

/** "thứ Bảy 12/12" or "Saturday 12/12", in Vietnam's time: the day a citizen is told to come back. */
export function weekdayDate(ms: number, lang: 'vi' | 'en'): string {
  const d = vn(ms);
  const day = `${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  const weekday = lang === 'en' ? WEEKDAYS_EN[d.getUTCDay()]! : WEEKDAYS_VI[d.getUTCDay()]!.replace(/^Thứ (\p{L})/u, (_, c: string) => `thứ ${c.toUpperCase()}`);
  return `${weekday} ${day}`;
}
