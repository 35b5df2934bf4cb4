import type { Database, Statement } from 'better-sqlite3';
import { DAY_MS, dayClips, decodeTally, encodeTally, TALLY_VERSION, type DayClip, type DayTally } from '@xephang/reports';
import { hasTable, tallyDay } from './tally';

interface Statements {
  read: Statement<[number, number, number, number], { day: number; tally: Buffer }>;
  dataVersion: Statement<[], { data_version: number }>;
  write: Statement<[number, number, number, Buffer, number]>;
  known: Statement<[number, number, number, number], { day: number }>;
  firstIssued: Statement<[], { first: number | null }>;
}

const cache = new WeakMap<Database, Statements | null>();

/** The connection's statements on `report_days`, or null on a database older than that table. */
function statements(db: Database): Statements | null {
  const known = cache.get(db);
  if (known !== undefined) return known;
  const s: Statements | null = hasTable(db, 'report_days')
    ? {
        read: db.prepare('SELECT day, tally FROM report_days WHERE day BETWEEN ? AND ? AND utc_offset_minutes = ? AND version = ?'),
        dataVersion: db.prepare('PRAGMA data_version'),
        write: db.prepare(
          `INSERT INTO report_days (day, utc_offset_minutes, version, tally, computed_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (day, utc_offset_minutes) DO UPDATE SET version = excluded.version, tally = excluded.tally, computed_at = excluded.computed_at`,
        ),
        known: db.prepare('SELECT day FROM report_days WHERE day BETWEEN ? AND ? AND utc_offset_minutes = ? AND version = ?'),
        firstIssued: db.prepare('SELECT min(issued_at) AS first FROM tickets'),
      }
    : null;
  cache.set(db, s);
  return s;
}

/** UTC offsets the triggers know (−12 h … +14 h): a day kept under another would never be dropped. */
const knownOffset = (minutes: number) => minutes >= -720 && minutes <= 840;

/** A whole day that has ended: its tally can be kept (the triggers drop it if the log changes). */
const keepable = (clip: DayClip, utcOffsetMinutes: number, now: number) => {
  const start = clip.day * DAY_MS - utcOffsetMinutes * 60_000;
  return knownOffset(utcOffsetMinutes) && clip.from === start && clip.to === start + DAY_MS && clip.to <= now;
};

export interface TallyOptions {
  utcOffsetMinutes: number;
  now: number;
  /** false: compute every day from the log, ignoring and keeping nothing (tests, benchmarks). */
  cache?: boolean;
}

/**
 * The tally of each clip: a whole past day from `report_days` when it is there, otherwise
 * computed from the log and, for a whole past day on a writable connection, kept there.
 * Everything is read in one (read) transaction; the new tallies are kept afterwards only if no
 * other connection wrote to the database in between, so a kept tally always agrees with the
 * log, and a report never waits for another writer's lock.
 */
export function tallies(db: Database, clips: readonly DayClip[], options: TallyOptions): DayTally[] {
  const s = options.cache === false ? null : statements(db);
  const { utcOffsetMinutes: offset, now } = options;
  if (clips.length === 0) return [];
  const fresh: { day: number; tally: DayTally }[] = [];
  let version = 0;
  const read = db.transaction((): DayTally[] => {
    const stored = new Map<number, Buffer>();
    if (s) {
      version = s.dataVersion.get()!.data_version;
      for (const row of s.read.all(clips[0]!.day, clips[clips.length - 1]!.day, offset, TALLY_VERSION)) stored.set(row.day, row.tally);
    }
    return clips.map((clip) => {
      const keep = s !== null && keepable(clip, offset, now);
      const blob = keep ? stored.get(clip.day) : undefined;
      const kept = blob && decodeTally(blob);
      if (kept) return kept;
      const tally = tallyDay(db, clip, offset, now);
      if (keep) fresh.push({ day: clip.day, tally });
      return tally;
    });
  });
  const result = read.deferred();
  if (s && fresh.length > 0 && !db.readonly) {
    try {
      db.transaction(() => {
        if (s.dataVersion.get()!.data_version !== version) return; // another connection wrote: keep nothing
        for (const f of fresh) s.write.run(f.day, offset, TALLY_VERSION, encodeTally(f.tally), now);
      }).immediate();
    } catch (error) {
      // Busy (another writer): the report is right, only its days are not kept this time.
      if (!(error instanceof Error && 'code' in error && String(error.code).startsWith('SQLITE_BUSY'))) throw error;
    }
  }
  return result;
}

/**
 * Computes and keeps the tallies of past days not yet in `report_days`, from the first ticket's
 * day to the day before `now`, until `budgetMs` has passed (checked after each day, so at least
 * one). Returns how many days are still missing afterwards, so the caller can come back later
 * without holding up the hub.
 */
export function fillReportDays(db: Database, options: { utcOffsetMinutes: number; now: number; budgetMs: number }): { done: number; missing: number } {
  const s = statements(db);
  if (!s || db.readonly) return { done: 0, missing: 0 };
  const off = options.utcOffsetMinutes * 60_000;
  const first = s.firstIssued.get()?.first;
  if (first === null || first === undefined) return { done: 0, missing: 0 };
  // Whole days, from the local midnight before the first ticket to the last midnight.
  const midnightOf = (at: number) => Math.floor((at + off) / DAY_MS) * DAY_MS - off;
  const days = dayClips(midnightOf(first), midnightOf(options.now), options.utcOffsetMinutes);
  if (days.length === 0 || !knownOffset(options.utcOffsetMinutes)) return { done: 0, missing: 0 };
  const known = new Set(s.known.all(days[0]!.day, days[days.length - 1]!.day, options.utcOffsetMinutes, TALLY_VERSION).map((r) => r.day));
  const missing = days.filter((c) => !known.has(c.day));
  if (missing.length === 0) return { done: 0, missing: 0 };
  const started = performance.now();
  let done = 0;
  db.transaction(() => {
    for (const clip of missing) {
      s.write.run(clip.day, options.utcOffsetMinutes, TALLY_VERSION, encodeTally(tallyDay(db, clip, options.utcOffsetMinutes, options.now)), options.now);
      done += 1;
      if (performance.now() - started >= options.budgetMs) break;
    }
  }).immediate();
  return { done, missing: missing.length - done };
}
