/**
 * The center's calendar, written once for the hub, the screens and the printer: Vietnam's
 * offset, the local date and wall clock of an instant, the ISO week the reports are asked by,
 * and the weekday names. Pure: instants are arguments, the machine's own zone is never read.
 */

/** Vietnam keeps UTC+7 all year (no daylight saving). */
export const VIETNAM_UTC_OFFSET_MINUTES = 420;

const DAY_MS = 86_400_000;

/** The wall clock at `at` in the center's zone, to be read with the getUTC… methods whatever the machine's own zone. */
export function localClock(at: number, utcOffsetMinutes = VIETNAM_UTC_OFFSET_MINUTES): Date {
  return new Date(at + utcOffsetMinutes * 60_000);
}

/** The last date `localDate` wrote, by its day number: every command asks for today's, several times. */
let lastDate = { dayNumber: Number.NaN, date: '' };

/** The local calendar date (`YYYY-MM-DD`) of the instant `at`. */
export function localDate(at: number, utcOffsetMinutes = VIETNAM_UTC_OFFSET_MINUTES): string {
  const dayNumber = Math.floor((at + utcOffsetMinutes * 60_000) / DAY_MS);
  if (dayNumber !== lastDate.dayNumber) lastDate = { dayNumber, date: localClock(at, utcOffsetMinutes).toISOString().slice(0, 10) };
  return lastDate.date;
}

/** Local midnight (epoch ms) of a `YYYY-MM-DD` date, or undefined for a date that does not exist. */
export function localMidnight(day: string, utcOffsetMinutes = VIETNAM_UTC_OFFSET_MINUTES): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return undefined;
  const utc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (new Date(utc).toISOString().slice(0, 10) !== day) return undefined;
  return utc - utcOffsetMinutes * 60_000;
}

/** The date `n` days after (before, when negative) `day`, both `YYYY-MM-DD`. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Where `day` falls in its week, Monday first: 0 (Monday) to 6 (Sunday), as the opening hours and the reports order the week. */
export function mondayIndex(day: string): number {
  return (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
}

/** The ISO week (`2025-W28`) a date falls in: weeks run Monday to Sunday and belong to the year of their Thursday. */
export function isoWeekOf(day: string): string {
  const thursday = Date.parse(`${day}T00:00:00Z`) + (3 - mondayIndex(day)) * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  const n = Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(n).padStart(2, '0')}`;
}

/** The Monday (`YYYY-MM-DD`) of an ISO week such as `2025-W28`, or undefined if the year has no such week. */
export function isoWeekMonday(week: string): string | undefined {
  const m = /^(\d{4})-W(\d{2})$/.exec(week);
  if (!m) return undefined;
  const year = Number(m[1]);
  const n = Number(m[2]);
  // 4 January is always in week 1.
  const jan4 = `${m[1]}-01-04`;
  const mondayW1 = Date.parse(`${jan4}T00:00:00Z`) - mondayIndex(jan4) * DAY_MS;
  const monday = mondayW1 + (n - 1) * 7 * DAY_MS;
  // Week 53 exists only in the years whose 53rd Monday-to-Sunday still has its Thursday in them.
  if (n < 1 || new Date(monday + 3 * DAY_MS).getUTCFullYear() !== year) return undefined;
  return new Date(monday).toISOString().slice(0, 10);
}

/**
 * Weekday names in the order `Date#getUTCDay` numbers them (Sunday first), written as inside a
 * sentence ("quầy mở lúc 07:30 thứ Bảy"); `capitalVi` starts a sentence or heads a row with one.
 */
export const WEEKDAYS_VI = ['Chủ nhật', 'thứ Hai', 'thứ Ba', 'thứ Tư', 'thứ Năm', 'thứ Sáu', 'thứ Bảy'] as const;

/** `text` with its first letter in capitals: "thứ Năm" → "Thứ Năm". */
export function capitalVi(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Sunday-first indexes in Monday-first order: the week as the opening hours and the reports list it. */
const MONDAY_FIRST = [1, 2, 3, 4, 5, 6, 0] as const;

/** "Thứ Hai" … "Chủ nhật", Monday first (index as `mondayIndex`): a row's heading in the opening hours and the reports. */
export const WEEKDAYS_MONDAY_FIRST_VI: readonly string[] = MONDAY_FIRST.map((d) => capitalVi(WEEKDAYS_VI[d]));

/** "T2" … "T7", "CN", Monday first: the short names of a chart's axis or a one-line summary of the week. */
export const WEEKDAYS_SHORT_VI: readonly string[] = MONDAY_FIRST.map((d) => (d === 0 ? 'CN' : `T${d + 1}`));
