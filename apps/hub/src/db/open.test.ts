import { afterEach, describe, expect, it } from '@jest/globals';
import { readdirSync } from 'node:fs';
import Database from 'better-sqlite3';
import { MIGRATIONS, SCHEMA_VERSION, migrate, openDatabase } from './open';
import { allRows, schemaNames, seedVersion1, soundness, tempDatabase } from './test/versions';

describe('opening the hub\'s database', () => {
  let dispose = () => {};
  afterEach(() => dispose());

  it('lists every migration file once, in order, numbered from 1', () => {
    const files = readdirSync(`${__dirname}/migrations`)
      .filter((f) => /^\d{3}-[a-z0-9-]+\.ts$/.test(f) && !f.endsWith('.test.ts'))
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect(MIGRATIONS.map((m) => m.name)).toEqual(files);
    expect(MIGRATIONS.map((m) => m.version)).toEqual(files.map((_, i) => i + 1));
    expect(MIGRATIONS.map((m) => Number(m.name.slice(0, 3)))).toEqual(files.map((_, i) => i + 1));
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it('runs every migration on an empty file, with the settings the hub relies on', () => {
    const t = tempDatabase(SCHEMA_VERSION);
    dispose = t.dispose;
    expect(t.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(t.db.pragma('journal_mode', { simple: true })).toBe('wal');
    // 2 is FULL: an acknowledged number survives a power cut.
    expect(t.db.pragma('synchronous', { simple: true })).toBe(2);
    expect(t.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(schemaNames(t.db, 'table')).toEqual(expect.arrayContaining(['tickets', 'events', 'printers', 'ratings', 'procedures', 'report_days']));
    expect(soundness(t.db)).toEqual({ integrity: 'ok', foreignKeys: [] });

    // Opened again, it is up to date: nothing runs, nothing changes.
    t.db.close();
    const again = openDatabase(t.file);
    expect(again.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    again.close();
  });

  it('brings a day of version 1 to the last version, keeping every row', () => {
    const t = tempDatabase(1);
    dispose = t.dispose;
    seedVersion1(t.db);
    const before = allRows(t.db);
    t.db.close();
    const db = openDatabase(t.file);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const after = allRows(db);
    expect(after.tickets).toHaveLength(before.tickets!.length);
    expect(after.events).toEqual(before.events);
    expect(after.devices).toEqual(before.devices);
    expect(soundness(db)).toEqual({ integrity: 'ok', foreignKeys: [] });
    db.close();
  });

  it('brings a database left at any older version to the last one, sound', () => {
    for (let version = 1; version < SCHEMA_VERSION; version++) {
      const t = tempDatabase(version);
      try {
        seedVersion1(t.db);
        t.db.close();
        const db = openDatabase(t.file);
        expect([version, db.pragma('user_version', { simple: true })]).toEqual([version, SCHEMA_VERSION]);
        expect([version, db.prepare('SELECT count(*) FROM tickets').pluck().get()]).toEqual([version, 5]);
        expect([version, soundness(db)]).toEqual([version, { integrity: 'ok', foreignKeys: [] }]);
        db.close();
      } finally {
        t.dispose();
      }
    }
  });

  it('refuses a database from a newer xephang, in Vietnamese, and leaves the file as it was', () => {
    const t = tempDatabase(SCHEMA_VERSION);
    dispose = t.dispose;
    t.db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    const before = allRows(t.db);
    t.db.close();
    expect(() => openDatabase(t.file)).toThrow(`Cơ sở dữ liệu có phiên bản ${SCHEMA_VERSION + 1}, mới hơn phiên bản ${SCHEMA_VERSION}`);
    const db = new Database(t.file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
    expect(allRows(db)).toEqual(before);
    db.close();
  });

  it('applies the pending migrations in one transaction: one that fails leaves the version and the schema as they were', () => {
    const t = tempDatabase(4);
    dispose = t.dispose;
    // A table 006 is about to create: 005 runs, then 006 fails, and both are rolled back.
    t.db.exec('CREATE TABLE report_days (id INTEGER PRIMARY KEY) STRICT');
    expect(() => migrate(t.db)).toThrow(/table report_days already exists/);
    expect(t.db.pragma('user_version', { simple: true })).toBe(4);
    expect(schemaNames(t.db, 'table')).not.toContain('procedures');
    expect(schemaNames(t.db, 'trigger')).toEqual([]);
  });
});
