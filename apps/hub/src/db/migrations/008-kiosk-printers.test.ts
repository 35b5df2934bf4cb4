import { afterEach, describe, expect, it } from '@jest/globals';
import type Database from 'better-sqlite3';
import { allRows, columnsOf, isStrict, seedVersion1, soundness, upgrade } from '../test/versions';

/** An ordinary day, and the printers the admin had set before kiosks could print themselves. */
function withPrinters(db: Database.Database): void {
  seedVersion1(db);
  const save = db.prepare('INSERT INTO printers (kiosk_id, type, address, paper_width, updated_at) VALUES (?, ?, ?, ?, ?)');
  save.run('*', 'tcp', '192.168.1.50:9100', 80, 1);
  save.run('kiosk-door', 'tcp', '192.168.1.51', 58, 2);
  save.run('kiosk-hall', 'preview', null, 80, 3);
}

describe('migration 008: a kiosk that prints itself', () => {
  let dispose = () => {};
  afterEach(() => dispose());

  it('keeps every printer and every other row, the new columns empty, the table still STRICT', () => {
    const t = upgrade(8, withPrinters);
    dispose = t.dispose;
    expect(t.db.pragma('user_version', { simple: true })).toBe(8);
    const after = allRows(t.db);
    expect(after.printers).toEqual((t.before.printers as object[]).map((r) => ({ ...r, connection: null, state: null, state_message: null, state_at: null })));
    expect({ ...after, printers: t.before.printers }).toEqual(t.before);
    expect(columnsOf(t.db, 'printers')).toEqual(['kiosk_id', 'type', 'address', 'paper_width', 'updated_at', 'connection', 'state', 'state_message', 'state_at']);
    expect(isStrict(t.db, 'printers')).toBe(true);
    expect(soundness(t.db)).toEqual({ integrity: 'ok', foreignKeys: [] });
  });

  it('holds a kiosk printer as the hub writes it, and refuses one it could not show or that is half a kiosk printer', () => {
    const t = upgrade(8, withPrinters);
    dispose = t.dispose;
    const db = t.db;
    // How the hub writes a kiosk's report: the row becomes `kiosk`, with its connection and state.
    const report = db.prepare(
      `INSERT INTO printers (kiosk_id, type, address, paper_width, updated_at, connection, state, state_message, state_at)
       VALUES (?, 'kiosk', ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (kiosk_id) DO UPDATE SET type = 'kiosk', address = excluded.address, paper_width = excluded.paper_width,
         updated_at = excluded.updated_at, connection = excluded.connection, state = excluded.state,
         state_message = excluded.state_message, state_at = excluded.state_at`,
    );
    report.run('kiosk-door', 'CUPS: xephang-kiosk', 80, 10, 'system', 'paper_out', 'Máy in đã hết giấy', 10);
    expect(db.prepare("SELECT * FROM printers WHERE kiosk_id = 'kiosk-door'").get()).toEqual({
      kiosk_id: 'kiosk-door',
      type: 'kiosk',
      address: 'CUPS: xephang-kiosk',
      paper_width: 80,
      updated_at: 10,
      connection: 'system',
      state: 'paper_out',
      state_message: 'Máy in đã hết giấy',
      state_at: 10,
    });
    // The default printer is never a kiosk's own; a kiosk printer has its name, connection and state.
    expect(() => report.run('*', 'COM3', 80, 11, 'serial', 'ok', '', 11)).toThrow(/CHECK constraint failed/);
    expect(() => report.run('kiosk-2', null, 80, 11, 'serial', 'ok', '', 11)).toThrow(/CHECK constraint failed/);
    expect(() => report.run('kiosk-2', 'COM3', 80, 11, null, 'ok', '', 11)).toThrow(/CHECK constraint failed/);
    expect(() => report.run('kiosk-2', 'COM3', 80, 11, 'bluetooth', 'ok', '', 11)).toThrow(/CHECK constraint failed/);
    expect(() => report.run('kiosk-2', 'COM3', 80, 11, 'serial', 'jammed', '', 11)).toThrow(/CHECK constraint failed/);
    expect(() => report.run('kiosk-2', 'COM3', 80, 11, 'serial', null, '', 11)).toThrow(/CHECK constraint failed/);
    expect(() => report.run('kiosk-2', 'COM3', 80, 11, 'serial', 'ok', '', 'bây giờ')).toThrow(/cannot store TEXT value in INTEGER column printers.state_at/);
    // A printer the hub prints on carries no kiosk state.
    expect(() => db.prepare("UPDATE printers SET state = 'ok' WHERE kiosk_id = '*'").run()).toThrow(/CHECK constraint failed/);
    expect(() => db.prepare("UPDATE printers SET connection = 'usb' WHERE kiosk_id = 'kiosk-hall'").run()).toThrow(/CHECK constraint failed/);
    // The admin's rows still save as before.
    db.prepare("INSERT INTO printers (kiosk_id, type, address, paper_width, updated_at) VALUES ('kiosk-3', 'tcp', '10.0.0.9', 80, 12)").run();
    expect(db.prepare('SELECT count(*) FROM printers').pluck().get()).toBe(4);
    expect(soundness(db)).toEqual({ integrity: 'ok', foreignKeys: [] });
  });
});
