import { addDays, clockVi, isoWeekMonday, localMidnight, QueueError, serviceDay, VIETNAM_UTC_OFFSET_MINUTES } from '@xephang/core';
import { REPORT_MAX_DAYS, type Report, type ReportRange } from '@xephang/protocol';
import { DAY_MS } from './tally';

export type ResolvedRange = Report['range'];

/** `2025-07-10` → `10/07/2025`, the way dates are written in Vietnam. */
export function viDate(day: string): string {
  return `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;
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
    const at = (t: number) => `${whole(t) ? '' : `${clockVi(t, { utcOffsetMinutes })} `}${viDate(serviceDay(t, utcOffsetMinutes))}`;
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
