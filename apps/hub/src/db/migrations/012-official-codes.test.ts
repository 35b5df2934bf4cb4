import { afterEach, describe, expect, it } from '@jest/globals';
import { OFFICIAL_CODE_PATTERN } from '@xephang/protocol';
import { linkStore } from '../../province/link-store';
import { migrate } from '../open';
import { DAY_START, allRows, columnsOf, schemaNames, seedVersion1, soundness, tempDatabase, upgrade } from '../test/versions';

describe('migration 012: the official code of a field', () => {
  let dispose = () => {};
  afterEach(() => dispose());
  const at = (version: number) => {
    const u = upgrade(version);
    dispose = u.dispose;
    return u;
  };

  it('keeps every row as it was, each field without a code', () => {
    const { db, before } = at(12);
    const after = allRows(db);
    const services = after.services as Record<string, unknown>[];
    expect(services.length).toBe(3);
    expect(services.every((s) => s.official_code === null)).toBe(true);
    expect(services.map(({ official_code: _code, ...rest }) => rest)).toEqual(before.services);
    expect({ ...after, services: [] }).toEqual({ ...before, services: [] });
    expect(columnsOf(db, 'services')).toContain('official_code');
    expect(soundness(db)).toEqual({ integrity: 'ok', foreignKeys: [] });
  });

  it('stores what the protocol accepts and refuses what it refuses', () => {
    const { db } = at(12);
    const set = db.prepare("UPDATE services SET official_code = ? WHERE id = 'civil'");
    const read = db.prepare("SELECT official_code FROM services WHERE id = 'civil'").pluck();
    for (const good of ['1.000893.000.00.00.H12', 'G09-TP03/HT_2', 'x'.repeat(40)]) {
      expect(OFFICIAL_CODE_PATTERN.test(good)).toBe(true);
      set.run(good);
      expect(read.get()).toBe(good);
    }
    for (const bad of ['', 'x'.repeat(41), 'Hộ tịch', 'a b', 'a;b', 'a*b', '[x]', 'a\nb']) {
      expect(OFFICIAL_CODE_PATTERN.test(bad)).toBe(false);
      expect(() => set.run(bad)).toThrow(/CHECK/);
    }
    set.run(null);
    expect(read.get()).toBeNull();
  });

  it('queues the configuration for the province when a linked hub\'s field code changes, and only then', () => {
    const { db } = at(12);
    expect(schemaNames(db, 'trigger').filter((n) => n.startsWith('province_'))).toHaveLength(14);
    const configs = () => db.prepare("SELECT count(*) FROM province_outbox WHERE kind = 'config'").pluck().get();
    db.prepare("UPDATE services SET official_code = 'HT.1' WHERE id = 'civil'").run();
    expect(configs()).toBe(0);
    const store = linkStore(db);
    store.enrol({ url: 'http://127.0.0.1:9/', communeCode: '12345', communeName: 'Xã Hà Trung', token: 't'.repeat(43), proxy: null, at: DAY_START, restoredAt: null }, 1_000, 5);
    expect(configs()).toBe(1);
    store.take(100);
    db.prepare("UPDATE services SET active = 0 WHERE id = 'civil'").run();
    expect(configs()).toBe(1);
    db.prepare("UPDATE services SET official_code = NULL WHERE id = 'civil'").run();
    expect(configs()).toBe(2);
  });

  it('upgrades a hub of version 10 enrolled with its province: its outbox and other triggers as they were, a code or a name change queued', () => {
    const t = tempDatabase(10);
    dispose = t.dispose;
    const { db } = t;
    seedVersion1(db);
    const store = linkStore(db);
    store.enrol({ url: 'http://127.0.0.1:9/', communeCode: '12345', communeName: 'Xã Hà Trung', token: 't'.repeat(43), proxy: null, at: DAY_START, restoredAt: null }, 1_000, 5);
    store.take(100);
    const triggers = () => Object.fromEntries(db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger'").all().map((r) => [(r as { name: string }).name, (r as { sql: string }).sql]));
    const before = { rows: allRows(db), triggers: triggers() };
    migrate(db, 12);
    const after = { rows: allRows(db), triggers: triggers() };
    expect(after.rows.province_outbox).toEqual(before.rows.province_outbox);
    expect(after.rows.province_link).toEqual(before.rows.province_link);
    const { province_outbox_service_changed: changed, ...others } = after.triggers;
    const { province_outbox_service_changed: was, ...othersWere } = before.triggers;
    expect(others).toEqual(othersWere);
    expect(changed).toBe(was!.replace('sort_order ON services', 'sort_order, official_code ON services'));
    const configs = () => db.prepare("SELECT count(*) FROM province_outbox WHERE kind = 'config' AND seq > (SELECT taken_seq FROM province_link)").pluck().get();
    expect(configs()).toBe(0);
    db.prepare("UPDATE services SET official_code = 'HT.1' WHERE id = 'civil'").run();
    expect(configs()).toBe(1);
    store.take(100);
    db.prepare("UPDATE services SET name_vi = 'Hộ tịch' WHERE id = 'civil'").run();
    expect(configs()).toBe(1);
    expect(soundness(db)).toEqual({ integrity: 'ok', foreignKeys: [] });
  });
});
