import { afterEach, describe, expect, it } from '@jest/globals';
import type Database from 'better-sqlite3';
import { MIGRATIONS } from '../open';
import { DAY_START, MINUTE, allRows, columnsOf, isStrict, planOf, schemaNames, seedVersion1, soundness, upgrade } from '../test/versions';

// Its number is the lead's to settle at merge (012 is official codes'): found by name.
const VERSION = MIGRATIONS.find((m) => m.name === '013-official-ratings')!.version;

/** The ordinary day, with ratings as the four-level tablet gave them. */
function withOldRatings(db: Database.Database): void {
  seedVersion1(db);
  const done = db.prepare("SELECT id, counter_id, clerk_id, finished_at FROM tickets WHERE state = 'done' ORDER BY id").all() as { id: string; counter_id: number; clerk_id: number | null; finished_at: number }[];
  expect(done.length).toBeGreaterThanOrEqual(1);
  const rate = db.prepare('INSERT INTO ratings (ticket_id, counter_id, clerk_id, score, at) VALUES (?, ?, ?, ?, ?)');
  done.forEach((t, i) => rate.run(t.id, t.counter_id, t.clerk_id, 4 - (i % 4), t.finished_at + MINUTE));
}

describe('migration 013: ratings on the official five-level scale, with reason and trips', () => {
  let dispose = () => {};
  afterEach(() => dispose());
  const migrated = () => {
    const t = upgrade(VERSION, withOldRatings);
    dispose = t.dispose;
    return t;
  };

  it('keeps every old rating, as the four-level scale (v4), with its id, and the rest of the file as it was', () => {
    const { db, before } = migrated();
    const after = allRows(db);
    const old = before.ratings as Record<string, unknown>[];
    expect(old.length).toBeGreaterThan(0);
    expect(after.ratings).toEqual(old.map((r) => ({ ...r, scale: 'v4', reason: null, trips: null })));
    expect({ ...after, ratings: [] }).toEqual({ ...before, ratings: [] });
    expect(columnsOf(db, 'ratings')).toEqual(['id', 'ticket_id', 'counter_id', 'clerk_id', 'scale', 'score', 'at', 'reason', 'trips']);
    expect(isStrict(db, 'ratings')).toBe(true);
    expect(schemaNames(db, 'table')).not.toContain('ratings_new');
    expect(schemaNames(db, 'index')).toContain('ratings_by_at');
    expect(schemaNames(db, 'trigger')).toEqual(expect.arrayContaining(['report_days_rating_inserted', 'report_days_rating_changed', 'report_days_rating_deleted']));
    expect(soundness(db)).toEqual({ integrity: 'ok', foreignKeys: [] });
  });

  it('takes a five-level rating with its reason and trips, refuses what neither scale allows', () => {
    const { db } = migrated();
    const unrated = db.prepare("SELECT id FROM tickets WHERE id NOT IN (SELECT ticket_id FROM ratings) LIMIT 3").pluck().all() as string[];
    expect(unrated.length).toBeGreaterThanOrEqual(2);
    const rate = db.prepare('INSERT INTO ratings (ticket_id, counter_id, clerk_id, scale, score, at, reason, trips) VALUES (?, 1, 1, ?, ?, ?, ?, ?)');
    const at = DAY_START + 90 * MINUTE;
    const [a, b] = unrated as [string, string];
    // Each refusal changes nothing.
    expect(() => rate.run(a, 'v5', 6, at, null, null)).toThrow(/CHECK/);
    expect(() => rate.run(a, 'v4', 5, at, null, null)).toThrow(/CHECK/);
    expect(() => rate.run(a, 'v6', 3, at, null, null)).toThrow(/CHECK/);
    expect(() => rate.run(a, 'v5', 4, at, 'Chờ lâu', null)).toThrow(/CHECK/);
    expect(() => rate.run(a, 'v4', 1, at, 'Chờ lâu', null)).toThrow(/CHECK/);
    expect(() => rate.run(a, 'v5', 2, at, '', null)).toThrow(/CHECK/);
    expect(() => rate.run(a, 'v5', 2, at, null, 4)).toThrow(/CHECK/);
    expect(() => rate.run(a, 'v5', 2, at, null, 0)).toThrow(/CHECK/);
    rate.run(a, 'v5', 5, at, null, 1);
    rate.run(b, 'v5', 2, at, 'Chờ lâu', 3);
    expect(db.prepare('SELECT scale, score, reason, trips FROM ratings WHERE ticket_id IN (?, ?) ORDER BY score').all(a, b)).toEqual([
      { scale: 'v5', score: 2, reason: 'Chờ lâu', trips: 3 },
      { scale: 'v5', score: 5, reason: null, trips: 1 },
    ]);
    // A new row is on the five-level scale unless it says otherwise.
    expect(db.prepare("SELECT dflt_value FROM pragma_table_info('ratings') WHERE name = 'scale'").pluck().get()).toBe("'v5'");
    // The report days still drop a kept day when a rating of it changes (the triggers came back).
    db.prepare('INSERT INTO report_days (day, utc_offset_minutes, version, tally, computed_at) VALUES (?, 420, 2, ?, 0)').run(Math.floor((at + 420 * MINUTE) / 86_400_000), Buffer.alloc(8));
    db.prepare('UPDATE ratings SET trips = 2 WHERE ticket_id = ?').run(b);
    expect(db.prepare('SELECT count(*) FROM report_days').pluck().get()).toBe(0);
    expect(soundness(db)).toEqual({ integrity: 'ok', foreignKeys: [] });
  });

  it("drops a kept day when a visit finished on it gains a dossier code, not another day's", () => {
    const { db } = migrated();
    const visit = db.prepare("SELECT id, finished_at FROM tickets WHERE state = 'done' LIMIT 1").get() as { id: string; finished_at: number };
    const dayOf = (at: number) => Math.floor((at + 420 * MINUTE) / 86_400_000);
    const keep = db.prepare('INSERT INTO report_days (day, utc_offset_minutes, version, tally, computed_at) VALUES (?, 420, 3, ?, 0)');
    keep.run(dayOf(visit.finished_at), Buffer.alloc(8));
    keep.run(dayOf(visit.finished_at) - 1, Buffer.alloc(8));
    db.prepare('UPDATE tickets SET dossier_code = ? WHERE id = ?').run('H12.3-250710-0001', visit.id);
    expect(db.prepare('SELECT day FROM report_days').pluck().all()).toEqual([dayOf(visit.finished_at) - 1]);
    // A day's finished visits, their code with them, are read from the index alone.
    expect(planOf(db, 'SELECT count(*) FROM tickets WHERE finished_at >= ? AND finished_at < ? AND dossier_code IS NOT NULL', 0, 1)).toContain('COVERING INDEX tickets_report_finished');
  });
});
