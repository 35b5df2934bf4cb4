import { localClock, localDate, VIETNAM_UTC_OFFSET_MINUTES } from './calendar';

const MINUTES_PER_DAY = 24 * 60;
/** A reset up to this time starts the date it falls on; a later one starts the next date. */
const NOON_MINUTES = 12 * 60;

/**
 * The service day (`YYYY-MM-DD`) that `now` falls on when the day turns `resetMinutes` after
 * local midnight (0, the default, is the local calendar date). The working hours carry their
 * own date as long as the reset falls outside them (see resetCutsWorkingDay): with a reset at
 * or before 12:00 the day named D runs from the reset on D to the reset on D+1 (05:00: 03:00
 * on the 11th is still the 10th); with a later reset it runs from the reset on D−1 to the
 * reset on D (18:00: 19:00 on the 10th is already the 11th).
 * @throws RangeError when `resetMinutes` is not a whole minute of one day (0–1439).
 */
export function serviceDay(now: number, utcOffsetMinutes = VIETNAM_UTC_OFFSET_MINUTES, resetMinutes = 0): string {
  if (!Number.isInteger(resetMinutes) || resetMinutes < 0 || resetMinutes >= MINUTES_PER_DAY) {
    throw new RangeError(`reset time must be 0–${MINUTES_PER_DAY - 1} minutes after midnight, got ${resetMinutes}`);
  }
  const shift = resetMinutes <= NOON_MINUTES ? -resetMinutes : MINUTES_PER_DAY - resetMinutes;
  return localDate(now, utcOffsetMinutes + shift);
}

/** Minutes after midnight of a `HH:MM` time. */
export function minutesOf(time: string): number {
  const [h, m] = time.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

/**
 * Where a reset time would cut into the working week: serviceDay keeps every session on its
 * own date only with a reset at or before the earliest opening (if at or before 12:00) or at
 * or after the latest closing (if later). Returns that span of the week (earliest opening,
 * latest closing, in minutes) when the reset falls inside it, undefined when it fits or the
 * week has no sessions.
 */
export function resetCutsWorkingDay(resetMinutes: number, sessions: readonly { open: number; close: number }[]): { open: number; close: number } | undefined {
  if (sessions.length === 0) return undefined;
  const open = Math.min(...sessions.map((s) => s.open));
  const close = Math.max(...sessions.map((s) => s.close));
  const fits = resetMinutes <= NOON_MINUTES ? resetMinutes <= open : resetMinutes >= close;
  return fits ? undefined : { open, close };
}

/** Local hour of day (0–23) of `now`. */
export function localHour(now: number, utcOffsetMinutes = VIETNAM_UTC_OFFSET_MINUTES): number {
  return localClock(now, utcOffsetMinutes).getUTCHours();
}
