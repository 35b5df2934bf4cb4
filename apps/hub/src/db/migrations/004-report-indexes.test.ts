import { afterEach, describe, expect, it } from '@jest/globals';
import { DAY_START, allRows, planOf, schemaNames, soundness, tempDatabase, upgrade } from '../test/versions';

/** The reports' reads (reports/tally.ts), with the columns each one reads, over one day. */
const READS = {
  issued: ['SELECT service_id, issued_service_id, state, called_at, id FROM tickets WHERE issued_at >= ? AND issued_at < ?', 'tickets_report_issued'],
  waits: [
    'SELECT issued_service_id, called_at, counter_id, first_called_at - issued_at FROM tickets WHERE first_called_at >= ? AND first_called_at < ?',
    'tickets_report_first_call',
  ],
  served: [
    'SELECT service_id, counter_id, clerk_id, finished_at - started_at, outcome FROM tickets WHERE finished_at >= ? AND finished_at < ?',
    'tickets_report_finished',
  ],
  activity: [
    "SELECT counter_id, clerk_id, at, type FROM events WHERE type IN ('ticket:called', 'ticket:recalled', 'ticket:finished') AND at >= ? AND at < ?",
    'events_report',
  ],
} as const;
const DAY_RANGE = [DAY_START - 3_600_000, DAY_START + 23 * 3_600_000];

describe('migration 004: indexes for the reports', () => {
  let dispose = () => {};
  afterEach(() => dispose());

  it('keeps every row and adds the five indexes', () => {
    const t = upgrade(4);
    dispose = t.dispose;
    expect(t.db.pragma('user_version', { simple: true })).toBe(4);
    expect(allRows(t.db)).toEqual(t.before);
    expect(schemaNames(t.db, 'index')).toEqual(
      expect.arrayContaining(['tickets_report_issued', 'tickets_report_first_call', 'tickets_report_finished', 'tickets_service_of', 'events_report']),
    );
    expect(soundness(t.db)).toEqual({ integrity: 'ok', foreignKeys: [] });
  });

  it('lets every report read answer from its index alone, which version 3 could not', () => {
    const old = tempDatabase(3);
    const t = upgrade(4);
    dispose = () => {
      old.dispose();
      t.dispose();
    };
    for (const [sql, index] of Object.values(READS)) {
      expect(planOf(old.db, sql, ...DAY_RANGE)).not.toMatch(/COVERING INDEX/);
      expect(planOf(t.db, sql, ...DAY_RANGE)).toMatch(new RegExp(`USING COVERING INDEX ${index}\\b`));
    }
    // The field of each rating: the ticket's row is never visited, once SQLite knows the
    // tables' sizes (ANALYZE, as the report benchmark runs it). Without statistics it prefers
    // the primary key's index, which finds one row but reads it: the hub never runs ANALYZE.
    t.db.exec('ANALYZE');
    expect(planOf(t.db, 'SELECT t.service_id, r.score FROM ratings r JOIN tickets t ON t.id = r.ticket_id WHERE r.at >= ? AND r.at < ?', ...DAY_RANGE)).toMatch(
      /(SCAN|SEARCH) t USING COVERING INDEX tickets_service_of/,
    );
    // And they read the same rows as before: the finished visit, the three first calls, the four calls and the finish.
    expect(t.db.prepare(READS.served[0]).all(...DAY_RANGE)).toHaveLength(1);
    expect(t.db.prepare(READS.waits[0]).all(...DAY_RANGE)).toHaveLength(3);
    expect(t.db.prepare(READS.activity[0]).all(...DAY_RANGE)).toHaveLength(5);
    expect(t.db.prepare(READS.issued[0]).all(...DAY_RANGE)).toHaveLength(4);
  });
});
