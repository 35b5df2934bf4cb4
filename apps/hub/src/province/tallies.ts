import type { Database } from 'better-sqlite3';
import { DAY_MS, encodeTally, TALLY_VERSION } from '@xephang/reports';
import { tallies } from '../reports/days';
import { tallyDay } from '../reports/tally';
import type { LinkStore } from './link-store';

export { TALLY_VERSION };

/** `YYYY-MM-DD` of a local day number (days since 1970-01-01, local). */
export const dayName = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** The local day holding `at`. */
export const dayOf = (at: number, utcOffsetMinutes: number): number => Math.floor((at + utcOffsetMinutes * 60_000) / DAY_MS);

/**
 * A whole past day's tally as it is now, base64: the blob the reports keep when it is there
 * (in the current format), else computed from the log (the day was dropped because its log
 * changed) and kept again through the reports' own guarded write (nothing kept if another
 * connection wrote meanwhile). Kept, because the triggers queue a past day only when its kept
 * row is dropped: a second change to a day with no row would queue nothing and the province
 * would keep the first change's tally. `computed` says it took time.
 */
export function dayTally(db: Database, store: Pick<LinkStore, 'keptDay'>, day: number, utcOffsetMinutes: number, now: number): { tally: string; computed: boolean } {
  const kept = store.keptDay(day, utcOffsetMinutes);
  if (kept && kept.version === TALLY_VERSION) return { tally: kept.tally.toString('base64'), computed: false };
  const from = day * DAY_MS - utcOffsetMinutes * 60_000;
  return { tally: encodeTally(tallies(db, [{ day, from, to: from + DAY_MS }], { utcOffsetMinutes, now })[0]!).toString('base64'), computed: true };
}

/** Today's tally so far (the running one, replaced at each push). */
export function todayTally(db: Database, now: number, utcOffsetMinutes: number): { day: number; tally: string } {
  const day = dayOf(now, utcOffsetMinutes);
  const from = day * DAY_MS - utcOffsetMinutes * 60_000;
  return { day, tally: encodeTally(tallyDay(db, { day, from, to: Math.max(from, now) }, utcOffsetMinutes, now)).toString('base64') };
}
