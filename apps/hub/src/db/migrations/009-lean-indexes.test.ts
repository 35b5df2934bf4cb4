import { afterEach, describe, expect, it } from '@jest/globals';
import type Database from 'better-sqlite3';
import { DAY, DAY_START, MINUTE, allRows, planOf, schemaNames, seedVersion1, soundness, tempDatabase, upgrade } from '../test/versions';

/**
 * The queue's reads on every command (store/ticket-store.ts, store/config-store.ts), as they
 * are written there, with the index each must use after 009 and its parameters on the seeded day.
 */
const HOT_READS = {
  firstOfKind: [
    `SELECT id FROM tickets WHERE day = ? AND state = 'waiting' AND service_id = ? AND target_counter_id IS NULL AND (priority = 'normal') = ?
     ORDER BY issued_at, id LIMIT 1`,
    'tickets_waiting',
    [DAY, 'civil', 1],
  ],
  firstPinned: [
    `SELECT id FROM tickets WHERE day = ? AND state = 'waiting' AND target_counter_id = ? ORDER BY issued_at, id LIMIT 1`,
    'tickets_pinned',
    [DAY, 1],
  ],
  waitingCounts: ["SELECT service_id, count(*) AS n FROM tickets WHERE day = ? AND state = 'waiting' GROUP BY service_id", 'tickets_waiting', [DAY]],
  aheadOf: [
    `SELECT count(*) AS n FROM tickets WHERE day = ? AND state = 'waiting' AND service_id = ? AND (issued_at < ? OR (issued_at = ? AND id < ?))`,
    'tickets_waiting',
    [DAY, 'civil', DAY_START + 9 * MINUTE, DAY_START + 9 * MINUTE, 'z'],
  ],
  servedToday: [
    `SELECT count(*) AS n FROM tickets t WHERE t.clerk_id = ? AND t.state = 'done' AND t.day = ?`,
    'tickets_done_by_clerk',
    [1, DAY],
  ],
  snapshot: [
    `SELECT id FROM (
       SELECT * FROM tickets INDEXED BY tickets_waiting WHERE day = @day AND state = 'waiting'
       UNION ALL SELECT * FROM tickets INDEXED BY tickets_no_show WHERE day = @day AND state = 'no_show'
       UNION ALL SELECT * FROM tickets INDEXED BY tickets_active_counter WHERE state IN ('called', 'serving')
     ) ORDER BY issued_at, id`,
    'tickets_no_show',
    [{ day: DAY }],
  ],
} as const;
/** The same reads as version 8 wrote them, for the rows they must still find. */
const SNAPSHOT_BEFORE = `SELECT id FROM tickets WHERE (day = ? AND state IN ('waiting', 'no_show')) OR state IN ('called', 'serving') ORDER BY issued_at, id`;
const EXPIRE_WHERE = "(day < @day AND state = 'waiting') OR (day < @day AND state = 'no_show')";
const EXPIRE_AFTER = `SELECT id FROM tickets WHERE ${EXPIRE_WHERE}`;
const EXPIRE = `UPDATE tickets SET state = 'expired' WHERE ${EXPIRE_WHERE} RETURNING id, service_id`;
const EXPIRE_BEFORE = "SELECT id FROM tickets WHERE day < ? AND state IN ('waiting', 'no_show') ORDER BY id";
const TOMORROW = '2026-11-28';

/** The WAL pages one transaction writes: each b-tree (table or index) it changes is one page here. */
function pagesWritten(db: Database.Database, body: () => void): number {
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.transaction(body).immediate();
  return (db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[])[0]!.log;
}

/** A visit as the hub writes it: issued, called, started, finished, each with its visit-log line. */
function visitPages(db: Database.Database): Record<'issue' | 'call' | 'start' | 'finish', number> {
  const at = (minutes: number) => DAY_START + minutes * MINUTE;
  const log = db.prepare(
    `INSERT INTO events (seq, at, type, ticket_id, service_id, counter_id, clerk_id) VALUES ((SELECT coalesce(max(seq), 0) + 1 FROM events), ?, ?, 't-visit', 'civil', ?, ?)`,
  );
  const set = (sql: string, type: string, when: number) =>
    pagesWritten(db, () => {
      db.prepare(`UPDATE tickets SET ${sql} WHERE id = 't-visit'`).run();
      log.run(when, type, 1, 1);
    });
  // Counter 1's called 2002 went missing in the seeded day, so counter 1 is free to call.
  return {
    issue: pagesWritten(db, () => {
      db.prepare(
        `INSERT INTO tickets (id, day, number, issued_service_id, service_id, priority, state, issued_at, device_id)
         VALUES ('t-visit', ?, 2099, 'civil', 'civil', 'normal', 'waiting', ?, 'kiosk-door')`,
      ).run(DAY, at(40));
      log.run(at(40), 'ticket:issued', null, null);
    }),
    call: set(`state = 'called', counter_id = 1, clerk_id = 1, first_called_at = ${at(41)}, called_at = ${at(41)}`, 'ticket:called', at(41)),
    start: set(`state = 'serving', started_at = ${at(42)}`, 'ticket:started', at(42)),
    finish: set(`state = 'done', finished_at = ${at(50)}, outcome = 'guidance'`, 'ticket:finished', at(50)),
  };
}

describe('migration 009: indexes that earn their writes', () => {
  let dispose = () => {};
  afterEach(() => dispose());

  it('keeps every row and trades the five indexes for the narrow ones', () => {
    const t = upgrade(9);
    dispose = t.dispose;
    expect(t.db.pragma('user_version', { simple: true })).toBe(9);
    expect(allRows(t.db)).toEqual(t.before);
    const indexes = schemaNames(t.db, 'index');
    expect(indexes).toEqual(
      expect.arrayContaining(['tickets_waiting', 'tickets_no_show', 'tickets_pinned', 'tickets_done_by_clerk', 'tickets_by_issued_at', 'events_report', 'events_by_ticket']),
    );
    for (const gone of ['tickets_by_day_state', 'tickets_by_clerk', 'tickets_report_issued', 'tickets_service_of', 'events_by_type_at']) {
      expect(indexes).not.toContain(gone);
    }
    expect(soundness(t.db)).toEqual({ integrity: 'ok', foreignKeys: [] });
  });

  it("keeps the queue's reads on an index and finding the same tickets as version 8", () => {
    const old = upgrade(8);
    const t = upgrade(9);
    dispose = () => {
      old.dispose();
      t.dispose();
    };
    for (const [name, [sql, index, params]] of Object.entries(HOT_READS)) {
      expect({ name, plan: planOf(t.db, sql, ...params) }).toEqual({ name, plan: expect.stringMatching(new RegExp(`USING (COVERING )?INDEX ${index}\\b`)) });
      expect({ name, plan: planOf(t.db, sql, ...params) }).toEqual({ name, plan: expect.not.stringMatching(/SCAN tickets\b(?! USING INDEX tickets_active_counter)/) });
      if (name !== 'snapshot') expect({ name, rows: t.db.prepare(sql).all(...params) }).toEqual({ name, rows: old.db.prepare(sql).all(...params) });
    }
    // The snapshot (waiting, no-show, at a counter) and the expiry at the turn of the day, as 8 and 9 write them.
    expect(t.db.prepare(HOT_READS.snapshot[0]).all({ day: DAY })).toEqual(old.db.prepare(SNAPSHOT_BEFORE).all(DAY));
    expect(t.db.prepare(HOT_READS.snapshot[0]).all({ day: DAY }).length).toBeGreaterThan(2);
    const expiring = t.db.prepare<[{ day: string }], { id: string }>(EXPIRE_AFTER).all({ day: TOMORROW });
    expect(expiring.sort((a, b) => a.id.localeCompare(b.id))).toEqual(old.db.prepare(EXPIRE_BEFORE).all(TOMORROW));
    expect(expiring.length).toBeGreaterThan(1);
    expect(planOf(t.db, EXPIRE, { day: TOMORROW })).toMatch(/tickets_waiting[\s\S]*tickets_no_show/);
  });

  it('makes each step of a visit write fewer pages', () => {
    const old = tempDatabase(8);
    const t = tempDatabase(9);
    dispose = () => {
      old.dispose();
      t.dispose();
    };
    seedVersion1(old.db);
    seedVersion1(t.db);
    const before = visitPages(old.db);
    const after = visitPages(t.db);
    expect(after.issue).toBeLessThan(before.issue);
    expect(after.call).toBeLessThan(before.call);
    expect(after.start).toBeLessThan(before.start);
    expect(after.finish).toBeLessThan(before.finish);
    // And the visit reads back the same way on both.
    expect(t.db.prepare("SELECT * FROM tickets WHERE id = 't-visit'").get()).toEqual(old.db.prepare("SELECT * FROM tickets WHERE id = 't-visit'").get());
  });
});
