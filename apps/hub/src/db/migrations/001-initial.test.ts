import { afterEach, describe, expect, it } from '@jest/globals';
import { DAY, allRows, isStrict, schemaNames, seedVersion1, soundness, tempDatabase } from '../test/versions';

describe('migration 001: the queue, its configuration and the visit log', () => {
  let dispose = () => {};
  afterEach(() => dispose());

  const open = () => {
    const t = tempDatabase(1);
    dispose = t.dispose;
    return t.db;
  };

  it('creates every table STRICT, with the indexes the queue relies on', () => {
    const db = open();
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    const tables = schemaNames(db, 'table');
    expect(tables).toEqual([
      'broadcasts',
      'clerk_counters',
      'clerk_sessions',
      'clerks',
      'counter_services',
      'counters',
      'day_counters',
      'devices',
      'events',
      'meta',
      'pairing_codes',
      'requests',
      'services',
      'tickets',
    ]);
    expect(tables.filter((t) => !isStrict(db, t))).toEqual([]);
    expect(schemaNames(db, 'index')).toEqual(['events_by_ticket', 'events_by_type_at', 'tickets_active_counter', 'tickets_by_clerk', 'tickets_by_day_state', 'tickets_done_by_service']);
  });

  it('holds a day as the hub of the time wrote it, and the file stays sound', () => {
    const db = open();
    seedVersion1(db);
    const rows = allRows(db);
    expect(rows.tickets).toHaveLength(5);
    expect(rows.events).toHaveLength(14);
    // Every log line went out with its own broadcast, in order.
    expect(db.prepare('SELECT count(*) FROM events e JOIN broadcasts b ON b.seq = e.seq').pluck().get()).toBe(14);
    expect(db.prepare('SELECT service_id, day, last FROM day_counters ORDER BY day, service_id').all()).toEqual([
      { service_id: 'civil', day: '2026-11-26', last: 1 },
      { service_id: 'civil', day: DAY, last: 3 },
      { service_id: 'land', day: DAY, last: 1 },
    ]);
    expect(soundness(db)).toEqual({ integrity: 'ok', foreignKeys: [] });
  });

  it('refuses a second ticket with a day\'s number, a second call at one counter, and a ticket of no field', () => {
    const db = open();
    seedVersion1(db);
    const insert = db.prepare(
      `INSERT INTO tickets (id, day, number, issued_service_id, service_id, priority, state, issued_at, counter_id)
       VALUES (?, ?, ?, ?, ?, 'normal', ?, 1, ?)`,
    );
    expect(() => insert.run('dup', DAY, 2001, 'civil', 'civil', 'waiting', null)).toThrow(/UNIQUE constraint failed: tickets.day, tickets.number/);
    // The same number on another day is the next day's ticket.
    expect(() => insert.run('next-day', '2026-11-28', 2001, 'civil', 'civil', 'waiting', null)).not.toThrow();
    // Counter 2 already has 1001 called: a second call there is refused, a serving one too.
    expect(() => insert.run('second', DAY, 1002, 'land', 'land', 'called', 2)).toThrow(/UNIQUE constraint failed: tickets.counter_id/);
    expect(() => insert.run('third', DAY, 1003, 'land', 'land', 'serving', 2)).toThrow(/UNIQUE constraint failed/);
    expect(() => insert.run('no-field', DAY, 9001, 'nowhere', 'nowhere', 'waiting', null)).toThrow(/FOREIGN KEY constraint failed/);
    expect(() => insert.run('bad-state', DAY, 2010, 'civil', 'civil', 'lost', null)).toThrow(/CHECK constraint failed/);
    expect(soundness(db)).toEqual({ integrity: 'ok', foreignKeys: [] });
  });

  it('refuses a value of the wrong type (STRICT), where a plain table would keep it', () => {
    const db = open();
    seedVersion1(db);
    expect(() => db.prepare("UPDATE tickets SET number = 'hai nghìn' WHERE id = 't-civil-3'").run()).toThrow(/cannot store TEXT value in INTEGER column tickets.number/);
    expect(() => db.prepare("INSERT INTO events (seq, at, type) VALUES (1, '08:00', 'counter:opened')").run()).toThrow(/cannot store TEXT value in INTEGER column events.at/);
    expect(() => db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('opens_at', Buffer.from('07:30'))).toThrow(/cannot store BLOB value in TEXT column meta.value/);
    expect(db.prepare("SELECT number FROM tickets WHERE id = 't-civil-3'").pluck().get()).toBe(2003);
  });
});
