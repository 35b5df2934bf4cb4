import { afterEach, describe, expect, it } from '@jest/globals';
import { allRows, columnsOf, isStrict, planOf, schemaNames, soundness, upgrade } from '../test/versions';
import { up } from './005-procedures';

describe('migration 005: the catalog of procedures, and the procedure of a ticket', () => {
  let dispose = () => {};
  afterEach(() => dispose());

  const migrated = () => {
    const t = upgrade(5);
    dispose = t.dispose;
    return t;
  };
  /** How the hub's catalog import writes a procedure (store/catalog-store.ts). */
  const saver = (db: ReturnType<typeof migrated>['db']) =>
    db.prepare(
      `INSERT INTO procedures (code, name, service_id, papers, keywords, position, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (code) DO UPDATE SET name = excluded.name, service_id = excluded.service_id,
         papers = excluded.papers, keywords = excluded.keywords, position = excluded.position, updated_at = excluded.updated_at`,
    );

  it('keeps every ticket, with no procedure, and adds an empty STRICT catalog', () => {
    const { db, before } = migrated();
    expect(db.pragma('user_version', { simple: true })).toBe(5);
    const after = allRows(db);
    expect(after.tickets).toEqual((before.tickets as object[]).map((t) => ({ ...t, procedure_code: null })));
    expect({ ...after, tickets: before.tickets }).toEqual({ ...before, procedures: [] });
    expect(columnsOf(db, 'tickets').at(-1)).toBe('procedure_code');
    expect(isStrict(db, 'procedures')).toBe(true);
    expect(schemaNames(db, 'index')).toContain('procedures_by_service');
    expect(soundness(db)).toEqual({ integrity: 'ok', foreignKeys: [] });
  });

  it('holds a field\'s procedures in order, refuses one it could not show, and a ticket keeps a dropped code', () => {
    const { db } = migrated();
    const save = saver(db);
    save.run('1.001193', 'Đăng ký khai sinh', 'civil', JSON.stringify(['Tờ khai đăng ký khai sinh', 'Giấy chứng sinh']), JSON.stringify(['khai sinh', 'giay chung sinh']), 1, 1);
    save.run('1.000656', 'Đăng ký kết hôn', 'civil', '[]', '[]', 0, 1);
    save.run('1.004227', 'Cấp giấy chứng nhận quyền sử dụng đất', 'land', '[]', '[]', 0, 1);
    const ofField = "SELECT code FROM procedures WHERE service_id = 'civil' ORDER BY position";
    expect(db.prepare(ofField).pluck().all()).toEqual(['1.000656', '1.001193']);
    expect(planOf(db, ofField)).toMatch(/USING (COVERING )?INDEX procedures_by_service/);
    // Papers and keywords default to empty JSON arrays.
    db.prepare("INSERT INTO procedures (code, name, service_id, position, updated_at) VALUES ('2.000001', 'Chứng thực bản sao', 'civil', 2, 1)").run();
    expect(db.prepare("SELECT papers, keywords FROM procedures WHERE code = '2.000001'").get()).toEqual({ papers: '[]', keywords: '[]' });

    expect(() => save.run('x', '', 'civil', '[]', '[]', 3, 1)).toThrow(/CHECK constraint failed/);
    expect(() => save.run('x', 'Đ'.repeat(301), 'civil', '[]', '[]', 3, 1)).toThrow(/CHECK constraint failed/);
    expect(() => save.run('x', 'Thủ tục', 'nowhere', '[]', '[]', 3, 1)).toThrow(/FOREIGN KEY constraint failed/);
    expect(() => save.run('x', 'Thủ tục', 'civil', '[]', '[]', 'đầu tiên', 1)).toThrow(/cannot store TEXT value in INTEGER column procedures.position/);

    // A ticket taken for a procedure keeps its code when a later import drops the procedure.
    db.prepare("UPDATE tickets SET procedure_code = '1.001193' WHERE id = 't-civil-3'").run();
    db.prepare("DELETE FROM procedures WHERE code = '1.001193'").run();
    expect(db.prepare("SELECT procedure_code FROM tickets WHERE id = 't-civil-3'").pluck().get()).toBe('1.001193');
    expect(soundness(db)).toEqual({ integrity: 'ok', foreignKeys: [] });
  });

  it('can run a second time over its own tables without losing a row', () => {
    const { db } = migrated();
    saver(db).run('1.000656', 'Đăng ký kết hôn', 'civil', '[]', '[]', 0, 1);
    db.prepare("UPDATE tickets SET procedure_code = '1.000656' WHERE id = 't-civil-3'").run();
    const before = allRows(db);
    db.transaction(() => up(db))();
    expect(allRows(db)).toEqual(before);
    expect(columnsOf(db, 'tickets').filter((c) => c === 'procedure_code')).toHaveLength(1);
  });
});
