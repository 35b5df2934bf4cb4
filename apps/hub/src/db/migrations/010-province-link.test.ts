import { afterEach, describe, expect, it } from '@jest/globals';
import type Database from 'better-sqlite3';
import { linkStore } from '../../province/link-store';
import { DAY_START, allRows, isStrict, localDay, schemaNames, seedVersion1, soundness, upgrade } from '../test/versions';

const D = localDay(DAY_START);

/** A past day kept as reports/days.ts keeps it (insert, or replace on conflict). */
const keep = (db: Database.Database, day: number, tally = 'x') =>
  db
    .prepare(
      `INSERT INTO report_days (day, utc_offset_minutes, version, tally, computed_at) VALUES (?, 420, 2, ?, 1)
       ON CONFLICT (day, utc_offset_minutes) DO UPDATE SET version = excluded.version, tally = excluded.tally, computed_at = excluded.computed_at`,
    )
    .run(day, Buffer.from(tally));

/** The outbox as the wire sees it: (seq − the epoch's base, kind, day). */
const outbox = (db: Database.Database) => {
  const base = (db.prepare('SELECT seq_base FROM province_link').pluck().get() as number | undefined) ?? 0;
  return (db.prepare('SELECT seq, kind, day FROM province_outbox ORDER BY seq').all() as { seq: number; kind: string; day: number | null }[]).map((r) =>
    r.kind === 'day' ? `${r.seq - base}:day ${r.day! - D}` : `${r.seq - base}:config`,
  );
};

const ENROLMENT = { url: 'http://127.0.0.1:9/', communeCode: '12345', communeName: 'Xã Hà Trung', token: 't'.repeat(43), proxy: null, at: DAY_START, restoredAt: null };

describe('migration 010: the province link and its outbox', () => {
  let dispose = () => {};
  afterEach(() => dispose());

  const migrated = () => {
    const t = upgrade(10, (db) => {
      seedVersion1(db);
      keep(db, D - 2);
      keep(db, D - 1);
    });
    dispose = t.dispose;
    return t;
  };

  it('keeps every row and adds the two tables (STRICT, empty) and their triggers', () => {
    const { db, before } = migrated();
    expect(db.pragma('user_version', { simple: true })).toBe(10);
    expect(allRows(db)).toEqual({ ...before, province_link: [], province_outbox: [] });
    expect(isStrict(db, 'province_link') && isStrict(db, 'province_outbox')).toBe(true);
    expect(schemaNames(db, 'trigger').filter((n) => n.startsWith('province_'))).toHaveLength(14);
    expect(soundness(db)).toEqual({ integrity: 'ok', foreignKeys: [] });
  });

  it('queues nothing while the hub is not linked, whatever changes', () => {
    const { db } = migrated();
    keep(db, D);
    keep(db, D - 1, 'changed');
    db.prepare('DELETE FROM report_days WHERE day = ?').run(D - 2);
    db.exec("UPDATE counters SET name = 'Quầy một' WHERE id = 1; UPDATE clerks SET name = 'Trần Văn B' WHERE id = 1; UPDATE meta SET value = 'Xã khác' WHERE key = 'center_name'");
    expect(outbox(db)).toEqual([]);
  });

  it('once enrolled: the configuration and every kept day queued from seq 1; a day kept, replaced or dropped queued once until a push takes it', () => {
    const { db } = migrated();
    const store = linkStore(db);
    store.enrol(ENROLMENT, 1_000, 5);
    expect(outbox(db)).toEqual(['1:config', '2:day -2', '3:day -1']);
    // Not taken yet: a change to a queued day or the names is already covered.
    keep(db, D - 1, 'changed');
    db.exec("UPDATE counters SET name = 'Quầy một' WHERE id = 1");
    expect(outbox(db)).toEqual(['1:config', '2:day -2', '3:day -1']);
    // A push took them: what changes now is queued again, once.
    expect(store.take(100).map((r) => r.seq - store.link()!.seqBase)).toEqual([1, 2, 3]);
    keep(db, D - 1, 'again');
    keep(db, D - 1, 'and again');
    db.prepare('DELETE FROM report_days WHERE day = ?').run(D - 2);
    keep(db, D);
    db.exec("UPDATE clerks SET name = 'Trần Văn B' WHERE id = 1; UPDATE meta SET value = 'Trung tâm mới' WHERE key = 'center_name'");
    db.exec("INSERT INTO meta (key, value) VALUES ('center_name', 'Trung tâm') ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    expect(outbox(db)).toEqual(['1:config', '2:day -2', '3:day -1', '4:day -1', '5:day -2', '6:day 0', '7:config']);
    // What a counter's row does all day (open, pause, a call) and other meta keys: nothing.
    db.exec("UPDATE counters SET status = 'open', normals_since_priority = 3 WHERE id = 1; INSERT INTO meta (key, value) VALUES ('started_at', 'x') ON CONFLICT (key) DO UPDATE SET value = 'y'");
    db.exec("UPDATE clerks SET pin_hash = 'other' WHERE id = 1");
    expect(outbox(db)).toHaveLength(7);
    // Acknowledged through 4: those positions go.
    store.acked(1_000, store.link()!.seqBase, 4, 9);
    expect(outbox(db)).toEqual(['5:day -2', '6:day 0', '7:config']);
    expect(store.link()).toMatchObject({ ackedSeq: 4, lastAckAt: 9, state: 'ok' });
    expect(soundness(db)).toEqual({ integrity: 'ok', foreignKeys: [] });
  });

  it('a new epoch empties the outbox and numbers from 1 again; unlinking leaves nothing queued and queues nothing', () => {
    const { db } = migrated();
    const store = linkStore(db);
    store.enrol(ENROLMENT, 1_000, 5);
    store.take(100);
    keep(db, D);
    store.newEpoch(2_000, '2026-12-01T00:00:00.000Z', 6);
    expect(outbox(db)).toEqual(['1:config', '2:day -2', '3:day -1', '4:day 0']);
    expect(store.link()).toMatchObject({ epoch: 2_000, ackedSeq: 0, restoredAt: '2026-12-01T00:00:00.000Z' });
    store.unlink();
    keep(db, D + 1);
    expect(outbox(db)).toEqual([]);
    expect(db.prepare('SELECT count(*) FROM province_link').pluck().get()).toBe(0);
  });

  it('holds one link row and refuses an outbox position that is half a day', () => {
    const { db } = migrated();
    const store = linkStore(db);
    store.enrol(ENROLMENT, 1_000, 5);
    expect(() => db.prepare("INSERT INTO province_link (id, url, commune_code, commune_name, token, epoch, seq_base, enrolled_at) VALUES (2, 'u', '1', 'n', 't', 1, 0, 1)").run()).toThrow(
      /CHECK constraint failed/,
    );
    expect(() => db.prepare("INSERT INTO province_outbox (kind, day, queued_at) VALUES ('day', 1, 1)").run()).toThrow(/CHECK constraint failed/);
    expect(() => db.prepare("INSERT INTO province_outbox (kind, queued_at) VALUES ('tickets', 1)").run()).toThrow(/CHECK constraint failed/);
  });
});
