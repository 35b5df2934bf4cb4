import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, openSync, closeSync, rmSync, statSync, writeSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase, SCHEMA_VERSION } from '../db/open';
import { configStore } from '../store/config-store';
import { checkBackupFile } from './check';

describe('checking a backup file', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A hub's database with enough rows to span many pages, copied with the backup API as the hub does. */
  async function backupOfAHub(): Promise<string> {
    dir = mkdtempSync(join(tmpdir(), 'xephang-check-'));
    const db = openDatabase(join(dir, 'xephang.sqlite'));
    configStore(db).seedDefaults('hub-check');
    const put = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    db.transaction(() => {
      for (let i = 0; i < 400; i++) put.run(`filler-${i}`, 'x'.repeat(2000));
    })();
    const file = join(dir, 'backup.sqlite');
    await db.backup(file);
    db.close();
    return file;
  }

  it('passes a whole backup, says its version, and leaves one self-contained file', async () => {
    const file = await backupOfAHub();
    expect(checkBackupFile(file, { prepare: true })).toEqual({ ok: true, schemaVersion: SCHEMA_VERSION, message: expect.stringContaining('Tốt') });
    expect(readdirSync(dir).filter((f) => f.startsWith('backup.sqlite')).sort()).toEqual(['backup.sqlite']);
    // Prepared: no longer WAL, so a read-only look later leaves nothing beside it either.
    expect(checkBackupFile(file).ok).toBe(true);
    expect(readdirSync(dir).filter((f) => f.startsWith('backup.sqlite'))).toEqual(['backup.sqlite']);
  });

  it("deletes a copy whose citizens' marks cannot be deleted, leaving no file of it, and says so without the mark", async () => {
    const file = await backupOfAHub();
    const mark = Buffer.alloc(32, 0xab);
    const db = new Database(file);
    db.pragma('foreign_keys = OFF');
    db.prepare("INSERT INTO citizen_marks (ticket_id, mark, service_id, day) VALUES ('t-1', ?, 'land', '2025-07-10')").run(mark);
    // What makes the deletion throw (a damaged or tampered copy): the DELETE is aborted.
    db.exec("CREATE TRIGGER keep_marks BEFORE DELETE ON citizen_marks BEGIN SELECT RAISE(ABORT, 'giữ dấu'); END");
    db.close();
    const result = checkBackupFile(file, { prepare: true });
    expect(result).toEqual({ ok: false, schemaVersion: null, discarded: true, message: expect.stringContaining('Không xóa được dấu CCCD') });
    expect(result.message).not.toMatch(/abab|t-1|giữ dấu/i);
    expect(readdirSync(dir).filter((f) => f.startsWith('backup.sqlite'))).toEqual([]);
  });

  it('fails a backup whose middle was overwritten', async () => {
    const file = await backupOfAHub();
    expect(checkBackupFile(file, { prepare: true }).ok).toBe(true);
    const size = statSync(file).size;
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(Math.floor(size / 3), 0xff), 0, Math.floor(size / 3), Math.floor(size / 3));
    closeSync(fd);
    const result = checkBackupFile(file);
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/hỏng/);
  });

  it('refuses a database from a newer xephang, and a file that is not xephang\'s', async () => {
    const file = await backupOfAHub();
    const db = new Database(file);
    db.pragma('user_version = 999');
    db.close();
    expect(checkBackupFile(file)).toEqual({ ok: false, schemaVersion: 999, message: expect.stringContaining('phiên bản 999, mới hơn') });

    const other = join(dir, 'other.sqlite');
    const plain = new Database(other);
    plain.exec('CREATE TABLE notes (x TEXT)');
    plain.close();
    expect(checkBackupFile(other).message).toMatch(/không phải cơ sở dữ liệu xephang/);
    expect(checkBackupFile(join(dir, 'missing.sqlite')).ok).toBe(false);
  });
});
