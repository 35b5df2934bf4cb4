import type { Database, Statement } from 'better-sqlite3';
import { DAY_MS, decodeTally, encodeTally, TALLY_VERSION, tallyDay, type DayClip, type DayTally } from './tally';

/** The local days (or parts of days) a span [from, to) covers, in order. */
export function dayClips(from: number, to: number, utcOffsetMinutes: number): DayClip[] {
  const off = utcOffsetMinutes * 60_000;
  const clips: DayClip[] = [];
  for (let day = Math.floor((from + off) / DAY_MS); day * DAY_MS - off < to; day++) {
    const start = day * DAY_MS - off;
    clips.push({ day, from: Math.max(from, start), to: Math.min(to, start + DAY_MS) });
  }
  return clips;
}

interface Statements {
  read: Statement<[number, number, number, number], { day: number; tally: Buffer }>;
  write: Statement<[number, number, number, Buffer, number]>;
  known: Statement<[number, number, number, number], { day: number }>;
  firstIssued: Statement<[], { first: number | null }>;
}

const cache = new WeakMap<Database, Statements | null>();

/** The connection's statements on `report_days`, or null on a database older than that table. */
function statements(db: Database): Statements | null {
  const known = cache.get(db);
  if (known !== undefined) return known;
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'report_days'").get() !== undefined;
  const s: Statements | null = exists
    ? {
        read: db.prepare('SELECT day, tally FROM report_days WHERE day BETWEEN ? AND ? AND utc_offset_minutes = ? AND version = ?'),
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

/** A whole day that has ended: its tally can be kept (the triggers drop it if the log changes). */
const keepable = (clip: DayClip, utcOffsetMinutes: number, now: number) => {
  const start = clip.day * DAY_MS - utcOffsetMinutes * 60_000;
  return clip.from === start && clip.to === start + DAY_MS && clip.to <= now;
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
 * Runs in one transaction, so the tallies kept agree with the log they were read from.
 */
export function tallies(db: Database, clips: readonly DayClip[], options: TallyOptions): DayTally[] {
  const s = options.cache === false ? null : statements(db);
  const { utcOffsetMinutes: offset, now } = options;
  if (clips.length === 0) return [];
  const body = (): DayTally[] => {
    const stored = new Map<number, Buffer>();
    if (s) for (const row of s.read.all(clips[0]!.day, clips[clips.length - 1]!.day, offset, TALLY_VERSION)) stored.set(row.day, row.tally);
    return clips.map((clip) => {
      const blob = stored.get(clip.day);
      if (blob && keepable(clip, offset, now)) {
        const kept = decodeTally(blob);
        if (kept) return kept;
      }
      const tally = tallyDay(db, clip, offset, now);
      if (s && !db.readonly && keepable(clip, offset, now)) s.write.run(clip.day, offset, TALLY_VERSION, encodeTally(tally), now);
      return tally;
    });
  };
  const txn = db.transaction(body);
  return db.readonly || !s ? txn.deferred() : txn.immediate();
}

/**
 * Computes and keeps the tallies of past days not yet in `report_days`, from the first ticket
 * to the day before `now`, for `budgetMs` at most (at least one day). Returns how many days
 * are still missing afterwards, so the caller can come back later without holding up the hub.
 */
export function fillReportDays(db: Database, options: { utcOffsetMinutes: number; now: number; budgetMs: number }): { done: number; missing: number } {
  const s = statements(db);
  if (!s || db.readonly) return { done: 0, missing: 0 };
  const off = options.utcOffsetMinutes * 60_000;
  const first = s.firstIssued.get()?.first;
  if (first === null || first === undefined) return { done: 0, missing: 0 };
  const firstDay = Math.floor((first + off) / DAY_MS);
  const lastDay = Math.floor((options.now + off) / DAY_MS) - 1;
  if (lastDay < firstDay) return { done: 0, missing: 0 };
  const known = new Set(s.known.all(firstDay, lastDay, options.utcOffsetMinutes, TALLY_VERSION).map((r) => r.day));
  const missing: DayClip[] = [];
  for (let day = firstDay; day <= lastDay; day++) {
    if (!known.has(day)) missing.push({ day, from: day * DAY_MS - off, to: (day + 1) * DAY_MS - off });
  }
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
