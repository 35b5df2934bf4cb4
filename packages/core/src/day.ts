/** Vietnam keeps UTC+7 all year. */
export const VIETNAM_UTC_OFFSET_MINUTES = 420;

/** The service day (local calendar date, `YYYY-MM-DD`) that `now` falls on. */
export function serviceDay(now: number, utcOffsetMinutes = VIETNAM_UTC_OFFSET_MINUTES): string {
  return new Date(now + utcOffsetMinutes * 60_000).toISOString().slice(0, 10);
}

/** Local hour of day (0–23) of `now`. */
export function localHour(now: number, utcOffsetMinutes = VIETNAM_UTC_OFFSET_MINUTES): number {
  return new Date(now + utcOffsetMinutes * 60_000).getUTCHours();
}
