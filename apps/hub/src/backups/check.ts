import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { newerVersionProblem } from '../db/open';

/** How a backup file's check came out (`message` in Vietnamese, for the admin and the technician). */
export interface CheckResult {
  ok: boolean;
  message: string;
  /** Its `user_version` (the schema version db/open.ts migrates by), when it could be read. */
  schemaVersion: number | null;
  /**
   * Set when the citizens' marks could not be deleted from the copy: the file may hold them, so
   * it was deleted (with its -wal, -shm and -journal) and must not be kept nor renamed.
   */
  discarded?: true;
}

/** The tables every xephang database has had since its first version. */
const XEPHANG_TABLES = ['meta', 'tickets', 'events'];

/**
 * Checks a backup the way a restore would need it: opened read-only, `PRAGMA integrity_check`
 * clean, a xephang database (its tables, a hub id) of a schema version this code can open.
 * Synchronous and slow on a big file: the hub runs it in a child process (`checkInChild`), the
 * `restore` command directly. `prepare` first turns a fresh backup from WAL (the mode the
 * backup API copies from the hub's database) to a single self-contained file, so that opening
 * it read-only, here or later, leaves no -wal/-shm beside it and a copy of the one file is whole.
 * It also drops the day's marks of the citizens' IDs from the copy first (`dropCitizenMarks`).
 */
export function checkBackupFile(file: string, options: { prepare?: boolean } = {}): CheckResult {
  let schemaVersion: number | null = null;
  try {
    if (options.prepare) {
      let rw: Database.Database | undefined;
      try {
        rw = new Database(file, { fileMustExist: true });
        dropCitizenMarks(rw);
        // The switch checkpoints the -wal over the deleted marks' old pages: failed, they may remain.
        rw.pragma('journal_mode = DELETE');
        rw.close();
      } catch (error) {
        // The copy may still hold the marks: it goes, whole. The message names the failure's
        // code only, never a row (a mark must reach no log).
        if (rw?.open) rw.close();
        discard(file);
        const code = (error as { code?: unknown }).code;
        return {
          ok: false,
          schemaVersion,
          discarded: true,
          message: `Không xóa được dấu CCCD trong ngày khỏi bản sao lưu (${typeof code === 'string' ? code : 'lỗi không rõ'}): bản này đã bị xóa, không giữ.`,
        };
      }
    }
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const rows = db.pragma('integrity_check(10)') as { integrity_check: string }[];
      const problems = rows.map((r) => r.integrity_check).filter((r) => r !== 'ok');
      if (problems.length > 0) {
        return { ok: false, schemaVersion, message: `Bản sao lưu bị hỏng (integrity_check): ${problems.join('; ').slice(0, 400)}. Đừng dùng bản này để khôi phục.` };
      }
      schemaVersion = db.pragma('user_version', { simple: true }) as number;
      const tables = new Set((db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
      const missing = XEPHANG_TABLES.filter((t) => !tables.has(t));
      const hubId = missing.length === 0 ? (db.prepare("SELECT value FROM meta WHERE key = 'hub_id'").get() as { value: string } | undefined) : undefined;
      if (schemaVersion === 0 || missing.length > 0 || !hubId) {
        return { ok: false, schemaVersion, message: `Tệp này không phải cơ sở dữ liệu xephang${missing.length > 0 ? ` (thiếu bảng ${missing.join(', ')})` : ' (không có mã máy chủ)'}.` };
      }
      const newer = newerVersionProblem(schemaVersion);
      if (newer) return { ok: false, schemaVersion, message: newer };
      return { ok: true, schemaVersion, message: `Tốt: toàn vẹn (integrity_check ok), cơ sở dữ liệu xephang phiên bản ${schemaVersion}.` };
    } finally {
      db.close();
      leftovers(file);
    }
  } catch (error) {
    return { ok: false, schemaVersion, message: openProblem(error) };
  }
}

/**
 * A backup must not carry the marks of the citizens' IDs (issue 20): the admin's "back up now" is
 * made mid-day, while they are in the hub's database. Deleted with secure_delete while the copy is
 * still in WAL mode, so the -wal holds only the zeroed pages and the old ones are overwritten when
 * the switch to a rollback journal checkpoints it. A database from before migration 014 has none.
 */
export function dropCitizenMarks(db: Database.Database): void {
  if (!db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'citizen_marks'").get()) return;
  db.pragma('secure_delete = ON');
  db.prepare('DELETE FROM citizen_marks').run();
}

/** Deletes a copy that may hold the marks, and whatever SQLite left beside it. */
function discard(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) rmSync(f, { force: true });
}

/** A read-only look at a file still in WAL mode leaves an empty -wal and a -shm: nothing else opens a backup, so they go. */
function leftovers(file: string): void {
  try {
    if (statSync(`${file}-wal`).size === 0) rmSync(`${file}-wal`);
    rmSync(`${file}-shm`, { force: true });
  } catch {
    // No -wal: nothing was left.
  }
}

function openProblem(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const text = error instanceof Error ? error.message : String(error);
  if (code === 'SQLITE_NOTADB') return 'Bản sao lưu bị hỏng: tệp không còn là cơ sở dữ liệu SQLite (phần đầu tệp bị ghi đè). Đừng dùng bản này để khôi phục.';
  if (code === 'SQLITE_CORRUPT') return `Bản sao lưu bị hỏng (${text}). Đừng dùng bản này để khôi phục.`;
  if (code === 'SQLITE_CANTOPEN') return `Không mở được bản sao lưu (${text}): tệp không còn đó hoặc không đọc được.`;
  return `Không kiểm tra được bản sao lưu: ${text}`;
}

/** The built child's entry (check-child.js beside this file). */
const CHILD = join(__dirname, 'check-child.js');

export interface ChildCheck {
  result: Promise<CheckResult>;
  /** Ends the child (the hub stopping); `result` then says the check did not finish. */
  kill: () => void;
}

/**
 * Runs `checkBackupFile` in a child process: `integrity_check` reads every page and would hold
 * the hub's event loop for as long (seconds on a big file, on a slow disk); a crash there is
 * the child's. It runs at a lower priority, so on a 2-core PC the kiosks still come first.
 */
export function checkInChild(file: string, options: { prepare?: boolean } = {}): ChildCheck {
  let child: ChildProcess;
  const result = new Promise<CheckResult>((resolve) => {
    child = spawn(process.execPath, [CHILD, file, ...(options.prepare ? ['--prepare'] : [])], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      if (child.pid !== undefined) setPriority(child.pid, 10);
    } catch {
      // Not allowed here: it runs at the hub's priority.
    }
    let out = '';
    let err = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    child.once('error', (error) => resolve({ ok: false, schemaVersion: null, message: `Không chạy được tiến trình kiểm tra: ${error.message}` }));
    child.once('close', (code, signal) => {
      try {
        resolve(JSON.parse(out) as CheckResult);
      } catch {
        const why = signal ? `dừng bởi ${signal}` : `mã ${code}`;
        resolve({ ok: false, schemaVersion: null, message: `Tiến trình kiểm tra dừng bất thường (${why}): ${err.trim().slice(-300) || 'không có thông báo'}` });
      }
    });
  });
  return { result, kill: () => void child.kill() };
}
