import { afterEach, describe, expect, it } from '@jest/globals';
import { MIGRATIONS } from '../open';
import { allRows, columnsOf, planOf, schemaNames, soundness, upgrade } from '../test/versions';

/** Its version follows the order issue 20's branches were merged in. */
const VERSION = MIGRATIONS.find((m) => m.name === '014-citizen-id')!.version;

describe('migration 014: the citizen ID rules and the day’s marks', () => {
  let dispose = () => {};
  afterEach(() => dispose());
  const at = (version: number) => {
    const u = upgrade(version);
    dispose = u.dispose;
    return u;
  };

  it('keeps every row as it was; every field is off and no mark exists', () => {
    const { db, before } = at(VERSION);
    const after = allRows(db);
    expect(after.citizen_id_rules).toEqual([]);
    expect(after.citizen_marks).toEqual([]);
    const { citizen_id_rules: _r, citizen_marks: _m, ...rest } = after;
    expect(rest).toEqual(before);
    expect(soundness(db)).toEqual({ integrity: 'ok', foreignKeys: [] });
  });

  it('holds a 32-byte mark per ticket, counted through its index, and refuses a bad rule', () => {
    const { db } = at(VERSION);
    expect(columnsOf(db, 'citizen_marks')).toEqual(['ticket_id', 'mark', 'service_id', 'day']);
    expect(schemaNames(db, 'index')).toContain('citizen_marks_by_mark');
    const ticket = db.prepare("SELECT id, service_id, day FROM tickets WHERE state = 'waiting' LIMIT 1").get() as { id: string; service_id: string; day: string };
    const mark = Buffer.alloc(32, 7);
    db.prepare('INSERT INTO citizen_marks (ticket_id, mark, service_id, day) VALUES (?, ?, ?, ?)').run(ticket.id, mark, ticket.service_id, ticket.day);
    const count = 'SELECT count(*) FROM citizen_marks WHERE mark = ? AND service_id = ? AND day = ?';
    expect(planOf(db, count, mark, ticket.service_id, ticket.day)).toContain('citizen_marks_by_mark');
    expect(db.prepare(count).pluck().get(mark, ticket.service_id, ticket.day)).toBe(1);
    expect(() => db.prepare('INSERT INTO citizen_marks (ticket_id, mark, service_id, day) VALUES (?, ?, ?, ?)').run(ticket.id, mark, ticket.service_id, ticket.day)).toThrow(/UNIQUE/);
    expect(() => db.prepare("INSERT INTO citizen_marks (ticket_id, mark, service_id, day) VALUES ('nope', ?, ?, ?)").run(mark, ticket.service_id, ticket.day)).toThrow(/FOREIGN KEY/);
    const other = db.prepare("SELECT id FROM tickets WHERE id <> ? LIMIT 1").pluck().get(ticket.id) as string;
    expect(() => db.prepare('INSERT INTO citizen_marks (ticket_id, mark, service_id, day) VALUES (?, ?, ?, ?)').run(other, Buffer.alloc(12), ticket.service_id, ticket.day)).toThrow(/CHECK/);
    const rule = db.prepare('INSERT INTO citizen_id_rules (service_id, mode, max_active) VALUES (?, ?, ?)');
    rule.run('civil', 'limit', 2);
    expect(() => rule.run('land', 'sometimes', 2)).toThrow(/CHECK/);
    expect(() => rule.run('land', 'limit', 0)).toThrow(/CHECK/);
    expect(() => rule.run('nowhere', 'limit', 2)).toThrow(/FOREIGN KEY/);
  });
});
