import { afterEach, describe, expect, it } from '@jest/globals';
import type Database from 'better-sqlite3';
import { DAY_START, MINUTE, allRows, isStrict, localDay, schemaNames, seedVersion1, soundness, upgrade } from '../test/versions';

const D = localDay(DAY_START);
/** Ten days later: a day the seeded rows do not touch. */
const LATER = DAY_START + 10 * 1440 * MINUTE;
/**
 * The tallies kept before each change: the seeded day (D) and the day before (E) in Hà Trung,
 * a later day (F), the seeded day in UTC, and two days in UTC−5, where the seeded morning is
 * still the evening before.
 */
const KEPT = { 'D+7': [D, 420], 'E+7': [D - 1, 420], 'F+7': [localDay(LATER), 420], 'D+0': [D, 0], 'D-5': [D, -300], 'E-5': [D - 1, -300] } as const;
type Key = keyof typeof KEPT;
const ALL = Object.keys(KEPT) as Key[];
const except = (...dropped: Key[]) => ALL.filter((k) => !dropped.includes(k));

/** A day of version 5 with the first visit rated at the counter. */
function withRating(db: Database.Database): void {
  seedVersion1(db);
  db.prepare('INSERT INTO ratings (ticket_id, counter_id, clerk_id, score, at) VALUES (?, ?, ?, ?, ?)').run('t-civil-1', 1, 1, 4, DAY_START + 26 * MINUTE);
}

describe('migration 006: kept day tallies for the reports', () => {
  let dispose = () => {};
  afterEach(() => dispose());

  const migrated = () => {
    const t = upgrade(6, withRating);
    dispose = t.dispose;
    return t;
  };

  /** Keeps a tally for every day of KEPT, the way reports/days.ts writes one, runs `sql`, and says which are still kept. */
  const keptAfter = (db: Database.Database, sql: string): Key[] => {
    const write = db.prepare(
      `INSERT INTO report_days (day, utc_offset_minutes, version, tally, computed_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (day, utc_offset_minutes) DO UPDATE SET version = excluded.version, tally = excluded.tally, computed_at = excluded.computed_at`,
    );
    for (const [day, offset] of Object.values(KEPT)) write.run(day, offset, 1, Buffer.from('{"issued":[]}'), LATER);
    db.exec(sql);
    const rows = db.prepare('SELECT day, utc_offset_minutes AS offset FROM report_days').all() as { day: number; offset: number }[];
    return ALL.filter((k) => rows.some((r) => r.day === KEPT[k][0] && r.offset === KEPT[k][1]));
  };

  it('keeps every row and adds the tallies table with its triggers', () => {
    const { db, before } = migrated();
    expect(db.pragma('user_version', { simple: true })).toBe(6);
    expect(before.ratings).toHaveLength(1);
    expect(allRows(db)).toEqual({ ...before, report_days: [] });
    expect(isStrict(db, 'report_days')).toBe(true);
    expect(schemaNames(db, 'trigger')).toEqual([
      'report_days_event_changed',
      'report_days_event_deleted',
      'report_days_event_inserted',
      'report_days_rating_changed',
      'report_days_rating_deleted',
      'report_days_rating_inserted',
      'report_days_ticket_deleted',
      'report_days_ticket_event_inserted',
      'report_days_ticket_field_changed',
      'report_days_ticket_inserted',
      'report_days_ticket_updated',
    ]);
    expect(soundness(db)).toEqual({ integrity: 'ok', foreignKeys: [] });
  });

  it('drops the tally of every day, in every UTC offset, that a past ticket\'s change touches, and no other', () => {
    const { db } = migrated();
    // A recall count or the kiosk that printed it is in no tally.
    expect(keptAfter(db, "UPDATE tickets SET recalls = recalls + 1, device_id = 'kiosk-2' WHERE id = 't-civil-1'")).toEqual(ALL);
    // 2001 was issued, called and finished between 08:05 and 08:25 in Hà Trung: 20:05–20:25 the evening before in UTC−5.
    expect(keptAfter(db, "UPDATE tickets SET outcome = 'guidance' WHERE id = 't-civil-1'")).toEqual(except('D+7', 'D+0', 'E-5'));
    // A ticket of the day before, moved to another field: its issue day, and the day its rating was given.
    db.prepare('INSERT INTO ratings (ticket_id, counter_id, clerk_id, score, at) VALUES (?, ?, ?, ?, ?)').run('t-eve-1', 1, 1, 2, LATER);
    expect(keptAfter(db, "UPDATE tickets SET service_id = 'land' WHERE id = 't-eve-1'")).toEqual(except('E+7', 'F+7'));
    // A ticket issued (for a later day, by hand) drops that day.
    expect(
      keptAfter(db, `INSERT INTO tickets (id, day, number, issued_service_id, service_id, priority, state, issued_at) VALUES ('t-later', '2026-12-07', 2001, 'civil', 'civil', 'normal', 'waiting', ${LATER})`),
    ).toEqual(except('F+7'));
    expect(keptAfter(db, "DELETE FROM tickets WHERE id = 't-later'")).toEqual(except('F+7'));
    expect(soundness(db)).toEqual({ integrity: 'ok', foreignKeys: [] });
  });

  it('drops the days of a log line and of its ticket, and of a rating, when one is written, changed or removed', () => {
    const { db } = migrated();
    const line = (type: string, ticketId: string | null) =>
      `INSERT INTO events (seq, at, type, ticket_id, counter_id, clerk_id) VALUES (99, ${LATER}, '${type}', ${ticketId ? `'${ticketId}'` : 'NULL'}, 1, 1)`;
    expect(keptAfter(db, line('counter:paused', null))).toEqual(except('F+7'));
    // A call of yesterday's ticket decides which counter ended its wait: its issue day changes too.
    expect(keptAfter(db, line('ticket:called', 't-eve-1'))).toEqual(except('F+7', 'E+7'));
    expect(keptAfter(db, line('ticket:recalled', 't-eve-1'))).toEqual(except('F+7'));
    expect(keptAfter(db, "UPDATE events SET at = at + 1 WHERE type = 'counter:opened'")).toEqual(except('D+7', 'D+0', 'E-5'));
    expect(keptAfter(db, "DELETE FROM events WHERE type = 'ticket:called' AND ticket_id = 't-eve-1'")).toEqual(except('F+7', 'E+7'));
    expect(keptAfter(db, 'UPDATE ratings SET score = 3')).toEqual(except('D+7', 'D+0', 'E-5'));
    expect(keptAfter(db, `INSERT INTO ratings (ticket_id, counter_id, clerk_id, score, at) VALUES ('t-civil-2', 1, 1, 1, ${LATER})`)).toEqual(except('F+7'));
    expect(keptAfter(db, "DELETE FROM ratings WHERE ticket_id = 't-civil-2'")).toEqual(except('F+7'));
    expect(soundness(db)).toEqual({ integrity: 'ok', foreignKeys: [] });
  });

  it('keeps one tally per day and offset, as bytes', () => {
    const { db } = migrated();
    const insert = db.prepare('INSERT INTO report_days (day, utc_offset_minutes, version, tally, computed_at) VALUES (?, ?, 1, ?, 1)');
    insert.run(D, 420, Buffer.from('{}'));
    expect(() => insert.run(D, 420, Buffer.from('{}'))).toThrow(/UNIQUE constraint failed: report_days.day, report_days.utc_offset_minutes/);
    expect(() => insert.run(D, 0, '{}')).toThrow(/cannot store TEXT value in BLOB column report_days.tally/);
    expect(() => insert.run('2026-11-27', 0, Buffer.from('{}'))).toThrow(/cannot store TEXT value in INTEGER column report_days.day/);
  });
});
