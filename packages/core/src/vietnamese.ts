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
