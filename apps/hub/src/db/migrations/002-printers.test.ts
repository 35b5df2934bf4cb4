import { afterEach, describe, expect, it } from '@jest/globals';
import { allRows, isStrict, soundness, upgrade } from '../test/versions';

describe('migration 002: ticket printers per kiosk', () => {
  let dispose = () => {};
  afterEach(() => dispose());

  it('keeps every row of version 1 and adds an empty printers table', () => {
    const t = upgrade(2);
    dispose = t.dispose;
    expect(t.db.pragma('user_version', { simple: true })).toBe(2);
    expect(allRows(t.db)).toEqual({ ...t.before, printers: [] });
    expect(isStrict(t.db, 'printers')).toBe(true);
    expect(soundness(t.db)).toEqual({ integrity: 'ok', foreignKeys: [] });
  });

  it('holds the rows the admin page writes, one per kiosk, and refuses a printer it could not use', () => {
    const t = upgrade(2);
    dispose = t.dispose;
    const db = t.db;
    // How the hub writes a printer: one row per kiosk, replaced when the admin saves again.
    const save = db.prepare(
      `INSERT INTO printers (kiosk_id, type, address, paper_width, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (kiosk_id) DO UPDATE SET type = excluded.type, address = excluded.address,
         paper_width = excluded.paper_width, updated_at = excluded.updated_at`,
    );
    save.run('*', 'preview', null, 80, 1);
    save.run('kiosk-door', 'tcp', '192.168.1.50', 80, 2);
    save.run('kiosk-door', 'tcp', '192.168.1.50:9100', 58, 3);
    expect(db.prepare('SELECT kiosk_id, type, address, paper_width FROM printers ORDER BY kiosk_id').all()).toEqual([
      { kiosk_id: '*', type: 'preview', address: null, paper_width: 80 },
      { kiosk_id: 'kiosk-door', type: 'tcp', address: '192.168.1.50:9100', paper_width: 58 },
    ]);

    // A network printer needs its address; paper is 58 or 80 mm; a kiosk id is '*' or begins
    // like a device id. The GLOB looks at the first character only (`*` matches the rest):
    // the whole id is checked by the protocol's PrinterKioskSchema before it gets here.
    expect(() => save.run('kiosk-2', 'tcp', null, 80, 4)).toThrow(/CHECK constraint failed/);
    expect(() => save.run('ổ-máy-in', 'preview', null, 80, 4)).toThrow(/CHECK constraint failed/);
    expect(() => save.run('', 'preview', null, 80, 4)).toThrow(/CHECK constraint failed/);
    expect(() => save.run('kiosk-2', 'preview', null, 76, 4)).toThrow(/CHECK constraint failed/);
    expect(() => save.run('kiosk-2', 'usb', null, 80, 4)).toThrow(/CHECK constraint failed/);
    expect(() => save.run('kiosk-2', 'preview', null, '80mm', 4)).toThrow(/cannot store TEXT value in INTEGER column printers.paper_width/);
    expect(db.prepare('SELECT count(*) FROM printers').pluck().get()).toBe(2);
    expect(soundness(db)).toEqual({ integrity: 'ok', foreignKeys: [] });
  });
});
