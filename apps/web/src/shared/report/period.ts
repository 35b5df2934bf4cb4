import type { ReportGet } from '@xephang/protocol';
import { addDays, isoWeekOf, mondayIndex } from '@xephang/core';

/** `2026-12-05` as `05/12`: a day inside a period whose year is said once. */
export const shortDay = (day: string) => `${day.slice(8, 10)}/${day.slice(5, 7)}`;

/** "Tuần 49/2026: 30/11 – 06/12/2026", the ISO week a day falls in, Monday to Sunday (core's calendar). */
export function weekSpan(day: string): string {
  const week = isoWeekOf(day);
  const monday = addDays(day, -mondayIndex(day));
  const sunday = addDays(monday, 6);
  return `Tuần ${Number(week.slice(6))}/${week.slice(0, 4)}: ${shortDay(monday)} – ${shortDay(sunday)}/${sunday.slice(0, 4)}`;
}

/** A report's range as URL query parameters (`day=…`, `week=…`, `month=…` or `from=…&to=…`), as both servers read it. */
export function periodParams(query: ReportGet): string {
  return new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => typeof e[1] === 'string')).toString();
}
