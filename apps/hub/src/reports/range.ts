import { QueueError, serviceDay, VIETNAM_UTC_OFFSET_MINUTES } from '@xephang/core';
import { REPORT_MAX_DAYS, type Report, type ReportRange } from '@xephang/protocol';

export type ResolvedRange = Report['range'];

const DAY_MS = 86_400_000;

/** Local midnight (epoch ms) of a `YYYY-MM-DD` date, or undefined for a date that does not exist. */
export function localMidnight(day: string, utcOffsetMinutes = VIETNAM_UTC_OFFSET_MINUTES): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return undefined;
  const utc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (new Date(utc).toISOString().slice(0, 10) !== day) return undefined;
  return utc - utcOffsetMinutes * 60_000;
}

/** The Monday (`YYYY-MM-DD`) of an ISO week such as `2025-W28`, or undefined if the year has no such week. */
export function isoWeekMonday(week: string): string | undefined {
  const m = /^(\d{4})-W(\d{2})$/.exec(week);
  if (!m) return undefined;
  const year = Number(m[1]);
  const n = Number(m[2]);
  // 4 January is always in week 1.
  const jan4 = Date.UTC(year, 0, 4);
  const mondayW1 = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY_MS;
  const monday = mondayW1 + (n - 1) * 7 * DAY_MS;
  // The week belongs to the year of its Thursday: week 53 exists only in some years.
  if (n < 1 || new Date(monday + 3 * DAY_MS).getUTCFullYear() !== year) return undefined;
  return new Date(monday).toISOString().slice(0, 10);
}

/** The ISO week (`2025-W28`) a local date falls in. */
export function isoWeekOf(day: string): string {
  const utc = Date.parse(`${day}T00:00:00Z`);
  const thursday = utc + (3 - ((new Date(utc).getUTCDay() + 6) % 7)) * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  const n = Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(n).padStart(2, '0')}`;
}

/** `2025-07-10` → `10/07/2025`, the way dates are written in Vietnam. */
export function viDate(day: string): string {
  return `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;
}

/** Local `HH:MM` of an instant. */
export function localTime(at: number, utcOffsetMinutes = VIETNAM_UTC_OFFSET_MINUTES): string {
  return new Date(at + utcOffsetMinutes * 60_000).toISOString().slice(11, 16);
}

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

function bad(message: string): never {
  throw new QueueError('invalid_payload', message);
}

function instant(text: string, offset: number): number {
  const at = text.length === 10 ? localMidnight(text, offset) : Date.parse(text);
  if (at === undefined || Number.isNaN(at)) bad(`Thời điểm "${text}" không tồn tại.`);
  return at;
}

/**
 * Turns a report request into its span [from, to) and headings.
 * @throws QueueError (invalid_payload) for a date that does not exist, an empty or reversed
 * range, or one longer than REPORT_MAX_DAYS.
 */
export function resolveRange(r: ReportRange, utcOffsetMinutes = VIETNAM_UTC_OFFSET_MINUTES): ResolvedRange {
  const midnight = (day: string) => localMidnight(day, utcOffsetMinutes) ?? bad(`Ngày ${day} không tồn tại.`);
  let kind: ResolvedRange['kind'];
  let from: number;
  let to: number;
  let label: string;
  if (r.day !== undefined) {
    kind = 'day';
    from = midnight(r.day);
    to = midnight(addDays(r.day, 1));
    label = `Ngày ${viDate(r.day)}`;
  } else if (r.week !== undefined) {
    kind = 'week';
    const monday = isoWeekMonday(r.week) ?? bad(`Năm ${r.week.slice(0, 4)} không có tuần ${r.week.slice(6)}.`);
    from = midnight(monday);
    to = midnight(addDays(monday, 7));
    label = `Tuần ${Number(r.week.slice(6))}/${r.week.slice(0, 4)} (${viDate(monday)} – ${viDate(addDays(monday, 6))})`;
  } else if (r.month !== undefined) {
    kind = 'month';
    const first = `${r.month}-01`;
    const y = Number(r.month.slice(0, 4));
    const m = Number(r.month.slice(5, 7));
    const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
    from = midnight(first);
    to = midnight(next);
    label = `Tháng ${r.month.slice(5, 7)}/${r.month.slice(0, 4)}`;
  } else if (r.from !== undefined && r.to !== undefined) {
    kind = 'range';
    from = instant(r.from, utcOffsetMinutes);
    to = instant(r.to, utcOffsetMinutes);
    if (to <= from) bad('Thời điểm kết thúc (to) phải sau thời điểm bắt đầu (from).');
    const whole = (at: number) => (at + utcOffsetMinutes * 60_000) % DAY_MS === 0;
    const at = (t: number) => `${whole(t) ? '' : `${localTime(t, utcOffsetMinutes)} `}${viDate(serviceDay(t, utcOffsetMinutes))}`;
    label =
      whole(from) && whole(to)
        ? `Từ ${viDate(serviceDay(from, utcOffsetMinutes))} đến hết ${viDate(serviceDay(to - 1, utcOffsetMinutes))}`
        : `Từ ${at(from)} đến ${at(to)}`;
  } else {
    bad('Chọn đúng một kỳ báo cáo: day, week, month, hoặc from cùng to.');
  }
  if (to - from > REPORT_MAX_DAYS * DAY_MS) bad(`Một báo cáo bao quát tối đa ${REPORT_MAX_DAYS} ngày.`);
  return {
    kind,
    from,
    to,
    firstDay: serviceDay(from, utcOffsetMinutes),
    lastDay: serviceDay(to - 1, utcOffsetMinutes),
    label,
  };
}
