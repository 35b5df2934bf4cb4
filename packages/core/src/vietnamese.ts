import { localClock as local, VIETNAM_UTC_OFFSET_MINUTES, WEEKDAYS_VI } from './calendar';

const pad = (n: number) => String(n).padStart(2, '0');

/** "07:30" (with `seconds`, "07:30:05") in Vietnam's time, or at `utcOffsetMinutes`. Pure. */
export function clockVi(at: number, options: { seconds?: boolean; utcOffsetMinutes?: number } = {}): string {
  const d = local(at, options.utcOffsetMinutes ?? VIETNAM_UTC_OFFSET_MINUTES);
  const hm = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  return options.seconds ? `${hm}:${pad(d.getUTCSeconds())}` : hm;
}

/** The local weekday of `at`, 0 (Sunday) to 6, as `WEEKDAYS_VI` and `Date#getUTCDay` number them. Pure. */
export function weekdayOf(at: number, utcOffsetMinutes = VIETNAM_UTC_OFFSET_MINUTES): number {
  return local(at, utcOffsetMinutes).getUTCDay();
}

/** "thứ Bảy 12/12": the day a citizen is told to come back, in Vietnam's time. Pure. */
export function weekdayDateVi(at: number, utcOffsetMinutes = VIETNAM_UTC_OFFSET_MINUTES): string {
  const d = local(at, utcOffsetMinutes);
  return `${WEEKDAYS_VI[d.getUTCDay()]} ${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}`;
}

/** "07:30 thứ Bảy 12/12": when counters open, as the kiosk and the hub's refusal both say it. Pure. */
export function openingTimeVi(at: number, utcOffsetMinutes = VIETNAM_UTC_OFFSET_MINUTES): string {
  return `${clockVi(at, { utcOffsetMinutes })} ${weekdayDateVi(at, utcOffsetMinutes)}`;
}

/** "07:30 ngày 12/12/2026" (with `seconds`, "07:30:05 ngày…"): an instant with its year, in Vietnam's time (a clock set to 2001 must show 2001). Pure. */
export function dateTimeVi(at: number, options: { seconds?: boolean; utcOffsetMinutes?: number } = {}): string {
  const d = local(at, options.utcOffsetMinutes ?? VIETNAM_UTC_OFFSET_MINUTES);
  return `${clockVi(at, options)} ngày ${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
}

/**
 * A span of time the way a person says it, its two largest units: "3 ngày 4 giờ", "2 giờ 5 phút",
 * "7 phút", "40 giây" (rounded down: an uptime of 59 minutes is not "1 giờ"). Pure.
 */
export function durationVi(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const [days, hours, minutes] = [Math.floor(s / 86_400), Math.floor(s / 3600) % 24, Math.floor(s / 60) % 60];
  const two = (a: number, unitA: string, b: number, unitB: string) => (b ? `${a} ${unitA} ${b} ${unitB}` : `${a} ${unitA}`);
  if (days) return two(days, 'ngày', hours, 'giờ');
  if (hours) return two(hours, 'giờ', minutes, 'phút');
  if (minutes) return `${minutes} phút`;
  return `${s} giây`;
}

/**
 * A size as Windows Explorer shows it (1 GB = 1024³ bytes, three significant digits, the decimal
 * comma): "1,25 GB", "72,1 GB", "820 MB", so the admin reads the same figure on the page as in the
 * PC's own "This PC". Never four digits: 1000 MB is "0,98 GB". Pure.
 */
export function bytesVi(bytes: number): string {
  const units = ['byte', 'KB', 'MB', 'GB', 'TB'] as const;
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toLocaleString('vi-VN', { maximumFractionDigits: digits })} ${units[unit]}`;
}

const collator = new Intl.Collator('vi', { sensitivity: 'base', numeric: true });

/**
 * Orders people's names the Vietnamese way: by the given name (the last word: "An" before
 * "Bình"), then by the whole name, with Vietnamese letter order (a ă â … d đ … z: "Đức" after
 * "Dũng", before "Giang"), whatever the machine's or the browser's language. The hub sorts
 * clerks with it (SQL's ORDER BY puts Đ after Z), the admin pages sort report rows with it.
 */
export function compareNamesVi(a: string, b: string): number {
  const given = (name: string) => name.trim().split(/\s+/).at(-1) ?? '';
  return collator.compare(given(a), given(b)) || collator.compare(a, b);
}

/**
 * Orders place names and other text the Vietnamese way, word by word from the first ("Đông Sơn"
 * after "Dân Lý", before "Hà Long"), whatever the browser's language: the province sorts its
 * communes and fields with it. People's names go by `compareNamesVi`.
 */
export function compareTextVi(a: string, b: string): number {
  return collator.compare(a, b);
}
