/**
 * `restore`: puts a backup back as the hub's database, with the hub stopped. cli.ts parses the
 * options and hands them here:
 *
 *   node apps/hub/dist/src/cli.js restore --data-dir /srv/xephang --list
 *   node apps/hub/dist/src/cli.js restore --data-dir /srv/xephang --day 2025-07-10
 *   npm run restore -- --from /media/usb/xephang-2025-07-10-080000.sqlite
 */
import { closeSync, copyFileSync, existsSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { localClock } from '@xephang/core';
import { dataDirHolder, lockDataDir, prepareDataDir, StartError } from '../data-dir';
import { openDatabase } from '../db/open';
import { configStore } from '../store/config-store';
import { listBackups } from './backups';
import { checkBackupFile, dropCitizenMarks } from './check';
import { mb } from './warning';

export const RESTORE_HELP = `xephang restore — khôi phục cơ sở dữ liệu từ một bản sao lưu (máy chủ phải dừng)

  npm run restore -- [--data-dir ./data] (--list | --day 2025-07-10 | --from TỆP)
  node apps/hub/dist/src/cli.js restore [tùy chọn]   (như trên, không build lại)

  --data-dir DIR   thư mục dữ liệu của máy chủ (mặc định ./data)
  --list           liệt kê các bản sao lưu trong <thư mục dữ liệu>/backups và kết quả kiểm tra (mặc định)
  --day D          khôi phục bản mới nhất của ngày D (YYYY-MM-DD) đã qua kiểm tra
  --from TỆP       khôi phục từ tệp này (một tên trong backups/, hoặc đường dẫn, ví dụ trên ổ USB)

  Bản sao lưu được kiểm tra lại trước (integrity_check, phiên bản). Cơ sở dữ liệu hiện tại không bị
  xóa: nó được đổi tên thành xephang.sqlite.before-restore-<thời điểm>.
`;

/** The options of `restore`, for node:util's parseArgs. */
export const RESTORE_OPTIONS = {
  'data-dir': { type: 'string', default: process.env.XEPHANG_DATA_DIR ?? 'data' },
  list: { type: 'boolean', default: false },
  day: { type: 'string' },
  from: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export interface RestoreValues {
  'data-dir': string;
  list: boolean;
  day?: string | undefined;
  from?: string | undefined;
}

const CHECK_VI = { pending: 'chưa kiểm tra', ok: 'tốt', failed: 'HỎNG' } as const;
const COPY_VI = { none: 'không chép', pending: 'đang chép (chưa xong)', copied: 'đã chép', failed: 'CHÉP LỖI' } as const;
/** Local wall clock of the center (UTC+7), as the hub names its backups. */
const wallClock = (at: number): string => localClock(at).toISOString().slice(0, 19).replace('T', ' ');

/**
 * Lists the backups, or restores one.
 * @throws StartError (or Error) with a Vietnamese message when nothing could be restored; nothing was changed then.
 */
export async function runRestore(values: RestoreValues, out: (line?: string) => void): Promise<void> {
  const dataDir = resolve(values['data-dir']);
  const backupsDir = join(dataDir, 'backups');
  const chosen = [values.list, values.day !== undefined, values.from !== undefined].filter(Boolean).length;
  if (chosen > 1) throw new StartError('Chỉ chọn một trong --list, --day, --from.');
  if (values.day === undefined && values.from === undefined) {
    await printList(backupsDir, out);
    return;
  }
  const file = values.from !== undefined ? fromFile(values.from, backupsDir) : await ofDay(values.day!, backupsDir);
  if (!existsSync(file)) throw new StartError(`Không có tệp ${file}. Xem các bản sao lưu: npm run restore -- --list`);
  await refuseWhileRunning(dataDir);
  prepareDataDir(dataDir);
  // Held while the files move: a hub started meanwhile is refused instead of opening half a restore.
  const lock = await lockDataDir(dataDir, () => null);
  try {
    restoreFile(file, dataDir, out);
  } finally {
    await lock.release();
  }
}

async function printList(dir: string, out: (line?: string) => void): Promise<void> {
  const backups = await listBackups(dir);
  if (backups.length === 0) {
    out(`Chưa có bản sao lưu nào trong ${dir}.`);
    return;
  }
  out(`Các bản sao lưu trong ${dir} (mới nhất trước):`);
  for (const b of backups) {
    out(`  ${b.file}  ngày ${b.day}  lúc ${wallClock(b.madeAt)}  ${mb(b.bytes)}  phiên bản ${b.schemaVersion ?? '?'}`);
    out(`      kiểm tra: ${CHECK_VI[b.check.state]}${b.check.message ? ` — ${b.check.message}` : ''}`);
    out(`      nơi thứ hai: ${COPY_VI[b.copy.state]}${b.copy.message ? ` — ${b.copy.message}` : ''}`);
  }
  out('Khôi phục: npm run restore -- --day YYYY-MM-DD  hoặc  --from TỆP (khi máy chủ đã dừng).');
}

/** A bare name is one in backups/; anything else is a path (a USB drive's copy). */
function fromFile(from: string, backupsDir: string): string {
  const inBackups = join(backupsDir, from);
  return basename(from) === from && existsSync(inBackups) ? inBackups : resolve(from);
}

async function ofDay(day: string, backupsDir: string): Promise<string> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new StartError(`--day cần một ngày dạng YYYY-MM-DD, không phải "${day}".`);
  const backups = await listBackups(backupsDir);
  const pick = backups.find((b) => b.day === day && b.check.state !== 'failed');
  if (!pick) {
    const days = [...new Set(backups.map((b) => b.day))].join(', ');
    throw new StartError(`Không có bản sao lưu tốt nào của ngày ${day}. ${days ? `Các ngày có bản sao lưu: ${days}.` : `Chưa có bản sao lưu nào trong ${backupsDir}.`}`);
  }
  return join(backupsDir, pick.file);
}

async function refuseWhileRunning(dataDir: string): Promise<void> {
  if (!existsSync(dataDir)) return;
  const hub = await dataDirHolder(dataDir);
  if (!hub) return;
  const who = hub.pid > 0 ? ` (PID ${hub.pid}${hub.port === null ? '' : `, cổng ${hub.port}`})` : '';
  throw new StartError(
    `Máy chủ xephang đang chạy trên thư mục dữ liệu ${dataDir}${who}. Hãy dừng nó trước (Ctrl+C, hoặc dừng dịch vụ: npm run service -- stop) ` +
      'rồi chạy lại lệnh khôi phục. Chưa có gì bị thay đổi.',
  );
}

/**
 * Copies the backup in beside the database, checks that copy (what will be used, not only
 * the source), brings it to this version and marks it restored, keeps the current database
 * aside with its WAL, then renames the copy into place.
 */
function restoreFile(file: string, dataDir: string, out: (line?: string) => void): void {
  const dbFile = join(dataDir, 'xephang.sqlite');
  const incoming = `${dbFile}.restoring`;
  const at = Date.now();
  const stamp = wallClock(at).replace(/[-: ]/g, '').replace(/^(\d{8})/, '$1-');
  removeWithJournals(incoming);
  copyFileSync(file, incoming);
  const check = checkBackupFile(incoming);
  if (!check.ok) {
    removeWithJournals(incoming);
    throw new StartError(`Không khôi phục từ ${file}: ${check.message} Chưa có gì bị thay đổi.`);
  }
  try {
    const db = openDatabase(incoming);
    try {
      // Issue 18 reads these: numbers after a restore must not be mistaken for the ones before it.
      const config = configStore(db);
      config.setMeta('restored_at', new Date(at).toISOString());
      config.setMeta('restored_from', basename(file));
    } finally {
      db.close();
    }
  } catch (error) {
    removeWithJournals(incoming);
    throw new StartError(`Không khôi phục từ ${file}: ${error instanceof Error ? error.message : String(error)}. Chưa có gì bị thay đổi.`);
  }
  syncFile(incoming);
  const aside = `${dbFile}.before-restore-${stamp}`;
  const moved: string[] = [];
  if (existsSync(dbFile)) {
    checkpoint(dbFile);
    renameSync(dbFile, aside);
    moved.push(aside);
    // A WAL the checkpoint could not fold in goes with its database (SQLite finds it by the name).
    if (existsSync(`${dbFile}-wal`)) {
      renameSync(`${dbFile}-wal`, `${aside}-wal`);
      moved.push(`${aside}-wal`);
    }
  }
  // Left beside the restored file, an old WAL would be replayed into it.
  const stale = [`${dbFile}-wal`, `${dbFile}-shm`, `${dbFile}-journal`].filter((f) => existsSync(f));
  for (const f of stale) rmSync(f);
  renameSync(incoming, dbFile);
  syncFile(dataDir);
  out(`Đã khôi phục cơ sở dữ liệu từ ${file}.`);
  out(`  Kiểm tra trước khi khôi phục: ${check.message}`);
  out(moved.length > 0 ? `  Cơ sở dữ liệu cũ được giữ lại (chưa xóa gì): ${moved.join(', ')}` : '  Thư mục dữ liệu chưa có cơ sở dữ liệu nào trước đó.');
  if (stale.length > 0) out(`  Đã xóa tệp nhật ký cũ: ${stale.map((f) => basename(f)).join(', ')}`);
  out('  Hãy khởi động lại máy chủ (npm start, hoặc khởi động dịch vụ). Các ki-ốt và màn hình tự kết nối lại.');
}

/**
 * Folds the current database's WAL into it before it moves aside; a broken one moves as it is.
 * The marks of the citizens' IDs go first: their key died with the hub, and the copy kept aside
 * is not a place for them to outlive their day.
 */
function checkpoint(dbFile: string): void {
  try {
    const db = new Database(dbFile, { fileMustExist: true });
    try {
      dropCitizenMarks(db);
      db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      db.close();
    }
  } catch {
    // Unreadable: kept aside whole, WAL included, for whoever looks at it later.
  }
}

function removeWithJournals(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) rmSync(f, { force: true });
}

/** fsync of a file or folder, where the system allows it (a folder on Windows does not). */
function syncFile(path: string): void {
  try {
    const fd = openSync(path, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // The rename is made; only its durability across a power cut in this second is not promised.
  }
}
