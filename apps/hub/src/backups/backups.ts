import { performance } from 'node:perf_hooks';
import { mkdir, readdir, readFile, rename, rm, stat, statfs, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { QueueError } from '@xephang/core';
import type { BackupSettings, BackupsView, BackupView } from '@xephang/protocol';
import type { Result } from '../commit';
import type { Changes } from '../commands/changes';
import type { Stores } from '../store';
import { checkInChild, type ChildCheck } from './check';
import { copyToDir, secondDirProblem } from './copy';
import { backupFileName, backupNames, backupsToPrune, parseBackupName } from './names';
import { backupsWarning, mb } from './warning';

export const DEFAULT_KEEP_DAYS = 14;
/** How long without a command before a day's backup starts, and the longest it waits for that. */
export const QUIET_MS = 2_000;
export const QUIET_AT_MOST_MS = 60_000;

/**
 * What is known of a backup besides its bytes, kept beside it as `<file>.check.json`, not in
 * the database: it is about the file (it says the same wherever the file is listed from, by the
 * hub or by `restore` with the hub stopped), a restore from that file must not bring back stale
 * rows about backups, and the hub writes it with no transaction to wait for on the hot path.
 */
export interface BackupRecord {
  day: string;
  madeAt: number;
  schemaVersion: number | null;
  check: BackupView['check'];
  copy: BackupView['copy'];
}

export const recordFile = (file: string): string => `${file}.check.json`;

/** The backups' record beside `file`, or undefined when there is none (or it cannot be read). */
export async function readRecord(file: string): Promise<BackupRecord | undefined> {
  try {
    return JSON.parse(await readFile(recordFile(file), 'utf8')) as BackupRecord;
  } catch {
    return undefined;
  }
}

/** The kept backups of a folder as the admin sees them, newest first (shared with `restore --list`). */
export async function listBackups(dir: string): Promise<BackupView[]> {
  let files: string[];
  try {
    files = await readdir(dir);
  } catch {
    return [];
  }
  const views: BackupView[] = [];
  for (const n of backupNames(files)) {
    const file = join(dir, n.file);
    let info;
    try {
      info = await stat(file);
    } catch {
      continue;
    }
    const record = await readRecord(file);
    views.push({
      file: n.file,
      day: n.day,
      madeAt: record?.madeAt ?? info.mtimeMs,
      bytes: info.size,
      schemaVersion: record?.schemaVersion ?? null,
      check: record?.check ?? { state: 'pending', at: null, message: null },
      copy: record?.copy ?? { state: 'none', at: null, message: null },
    });
  }
  return views;
}

export interface BackupsDeps {
  db: Database.Database;
  dataDir: string;
  /** The hub's clock (the fake one under `--fake-clock`): names, days and times come from it. */
  now: () => number;
  /** The day the queue is on after the last commit (day.ts). */
  queueDay: () => string | undefined;
  /** The day a command now would be on: what a backup made now is for. */
  today: () => string;
  config: Pick<Stores['config'], 'meta' | 'setMeta'>;
  changes: Pick<Changes, 'adminChange'>;
  log: (line: string) => void;
  utcOffsetMinutes?: number;
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * The backups: one at the first moment the hub sees a new day (`committed`, after every commit,
 * notices the queue's day changed: at start-up, on the tick, inside a command, on `clock:set`),
 * at most one a hub day unless the admin asks; each made with SQLite's backup API (page steps
 * between which the hub keeps serving, writes included), checked in a child process, pruned by
 * the day in its name and copied to the admin's second destination. One job at a time.
 */
export function createBackups(deps: BackupsDeps) {
  const { db, dataDir, log } = deps;
  const dir = join(dataDir, 'backups');
  let queue: Promise<unknown> = Promise.resolve();
  let seenDay: string | undefined;
  /** The days this process saw, for "no backup for two days while the hub ran". */
  const seenDays: string[] = [];
  let closing = false;
  /** When the last command committed (performance.now()): a day's backup waits for a quiet moment. */
  let lastCommitAt = -Infinity;
  /** Set once the hub listens: a start refused (a busy port) makes no backup and runs no check. */
  let begun = false;
  let checking: ChildCheck | undefined;
  /** The last backup that could not be made at all (no file to list), until one is. */
  let lastFailure: { at: number; message: string } | undefined;

  /** Runs jobs one after the other; a job's failure is logged, never thrown into the next. */
  function enqueue<T>(job: () => Promise<T>): Promise<T | undefined> {
    const run = queue.then(
      () => (closing ? undefined : job()),
      () => undefined,
    );
    queue = run.catch((error: unknown) => log(`sao lưu: lỗi không lường trước: ${message(error)}`));
    return run;
  }

  function settings(): BackupSettings {
    const second = deps.config.meta('backup_second_dir');
    const keep = Number(deps.config.meta('backup_keep_days'));
    return { secondDir: second ? second : null, keepDays: Number.isInteger(keep) && keep >= 1 ? keep : DEFAULT_KEEP_DAYS };
  }

  async function writeRecord(file: string, record: BackupRecord): Promise<void> {
    const target = recordFile(file);
    await writeFile(`${target}.tmp`, JSON.stringify(record));
    await rename(`${target}.tmp`, target);
  }

  async function removeBackup(folder: string, name: string): Promise<void> {
    const file = join(folder, name);
    for (const f of [file, recordFile(file), `${file}-wal`, `${file}-shm`, `${file}-journal`]) await rm(f, { force: true });
  }

  /** Removes what the rule says is too old, in `folder`, never `keep`. */
  async function prune(folder: string, keep?: string): Promise<void> {
    const files = await readdir(folder);
    const old = backupsToPrune(files, deps.today(), settings().keepDays, keep);
    // A copy a pulled drive left half-written, when the drive came back.
    const partials = folder === dir ? [] : files.filter((f) => f.endsWith('.sqlite.partial') && parseBackupName(f.slice(0, -'.partial'.length)));
    for (const f of [...old, ...partials]) await removeBackup(folder, f);
    if (old.length > 0) log(`sao lưu: đã xóa ${old.length} bản cũ ở ${folder} (giữ ${settings().keepDays} ngày)`);
  }

  /** Makes, checks, prunes and copies one backup of `day`; what goes wrong is logged and shown on the page, never thrown. */
  async function make(day: string, why: string): Promise<void> {
    try {
      await makeOne(day, why);
    } catch (error) {
      failed(day, why, error);
    }
  }

  function failed(day: string, why: string, error: unknown): void {
    // A backup cut short by the hub stopping is made again at the next start: nothing to warn about.
    if (closing) return;
    lastFailure = { at: deps.now(), message: `Không sao lưu được (${why}, ngày ${day}): ${message(error)}` };
    log(`CẢNH BÁO: ${lastFailure.message}`);
  }

  async function makeOne(day: string, why: string): Promise<void> {
    const at = deps.now();
    const files = await mkdir(dir, { recursive: true }).then(() => readdir(dir));
    let seq = 1;
    let name = backupFileName(day, at, deps.utcOffsetMinutes, seq);
    while (files.includes(name) || files.includes(`${name}.partial`)) name = backupFileName(day, at, deps.utcOffsetMinutes, ++seq);
    const file = join(dir, name);
    // Made under a temporary name: a file with a backup's name is always a whole backup.
    const partial = `${file}.partial`;
    try {
      await db.backup(partial, {
        // 100 pages (400 KB) a step, better-sqlite3's own rate: commands run between the steps.
        progress: () => {
          if (closing) throw new Error('máy chủ đang dừng');
          return 100;
        },
      });
    } catch (error) {
      await removeBackup(dir, `${name}.partial`).catch(() => undefined);
      failed(day, why, error);
      return;
    }
    checking = checkInChild(partial, { prepare: true });
    const check = await checking.result;
    checking = undefined;
    if (closing) {
      // Unchecked: the next start on this day makes it again rather than keep a half-made one.
      await removeBackup(dir, `${name}.partial`);
      return;
    }
    if (check.discarded) {
      // The marks could not be deleted from it: the check deleted it; never renamed nor kept.
      await removeBackup(dir, `${name}.partial`);
      failed(day, why, new Error(check.message));
      return;
    }
    await rename(partial, file);
    lastFailure = undefined;
    const { secondDir } = settings();
    const copy: BackupView['copy'] = check.ok || !secondDir
      ? { state: 'none', at: null, message: null }
      : { state: 'none', at: deps.now(), message: 'Không chép sang nơi thứ hai: bản sao lưu này không qua kiểm tra.' };
    const record: BackupRecord = {
      day,
      madeAt: at,
      schemaVersion: check.schemaVersion,
      check: { state: check.ok ? 'ok' : 'failed', at: deps.now(), message: check.message },
      copy,
    };
    await writeRecord(file, record);
    const bytes = (await stat(file)).size;
    if (check.ok) log(`đã sao lưu ${name} (${mb(bytes)}, ${why}); kiểm tra: ${check.message}`);
    else log(`CẢNH BÁO: bản sao lưu ${name} không qua kiểm tra: ${check.message}`);
    await prune(dir, name);
    if (secondDir && check.ok) await copyOut(file, name, record, secondDir);
  }

  async function copyOut(file: string, name: string, record: BackupRecord, secondDir: string): Promise<void> {
    await writeRecord(file, { ...record, copy: { state: 'pending', at: deps.now(), message: null } });
    let copy: BackupView['copy'];
    try {
      await copyToDir(file, secondDir, name, { stopped: () => closing });
      copy = { state: 'copied', at: deps.now(), message: `Đã chép sang ${secondDir}.` };
      await prune(secondDir, name).catch((error: unknown) => log(`sao lưu: không dọn được bản cũ ở ${secondDir}: ${message(error)}`));
    } catch (error) {
      copy = { state: 'failed', at: deps.now(), message: message(error) };
      log(`CẢNH BÁO: ${copy.message}`);
    }
    await writeRecord(file, { ...record, copy });
  }

  /**
   * At start: what a hub stopped (or killed) mid-way left. Half-made files go; a backup without
   * its record (copied in by hand, the record lost) or whose check did not finish is checked
   * now, and a copy that did not finish says so.
   */
  async function recover(): Promise<void> {
    let files: string[];
    try {
      files = await readdir(dir);
    } catch {
      return;
    }
    for (const f of files.filter((f) => f.endsWith('.sqlite.partial'))) await removeBackup(dir, f);
    for (const n of backupNames(files)) {
      const file = join(dir, n.file);
      const record = await readRecord(file);
      if (record && record.check.state !== 'pending' && record.copy.state !== 'pending') continue;
      let next: BackupRecord = record ?? { day: n.day, madeAt: (await stat(file)).mtimeMs, schemaVersion: null, check: { state: 'pending', at: null, message: null }, copy: { state: 'none', at: null, message: null } };
      if (next.check.state === 'pending') {
        checking = checkInChild(file);
        const check = await checking.result;
        checking = undefined;
        if (closing) return;
        next = { ...next, schemaVersion: check.schemaVersion, check: { state: check.ok ? 'ok' : 'failed', at: deps.now(), message: check.message } };
        if (!check.ok) log(`CẢNH BÁO: bản sao lưu ${n.file} không qua kiểm tra: ${check.message}`);
      }
      if (next.copy.state === 'pending') {
        next = { ...next, copy: { state: 'failed', at: deps.now(), message: 'Máy chủ dừng khi đang chép sang nơi thứ hai; bản sao lưu sau sẽ được chép.' } };
      }
      await writeRecord(file, next);
    }
  }

  /** The day's backup, unless this hub day already has one. */
  async function daily(day: string): Promise<void> {
    const files = await readdir(dir).catch(() => [] as string[]);
    if (backupNames(files).some((n) => n.day === day)) return;
    await make(day, seenDays.length === 1 ? 'ngày mới, lúc máy chủ khởi động' : 'ngày mới');
  }

  /** The free space where the backups go; a second destination not there is said by its copy's state. */
  async function disks(): Promise<{ folder: string; freeBytes: number }[]> {
    const out: { folder: string; freeBytes: number }[] = [];
    for (const folder of [dir, settings().secondDir]) {
      if (!folder) continue;
      try {
        const fs = await statfs(folder);
        out.push({ folder, freeBytes: fs.bavail * fs.bsize });
      } catch {
        // Not mounted, not there yet.
      }
    }
    return out;
  }

  async function view(): Promise<BackupsView> {
    const backups = await listBackups(dir);
    const { secondDir, keepDays } = settings();
    const warning = backupsWarning({ lastFailure: lastFailure?.message, backups, seenDays, disks: await disks() });
    return { dir, secondDir, keepDays, backups, totalBytes: backups.reduce((sum, b) => sum + b.bytes, 0), warning };
  }

  /**
   * The day's backup starts once the hub has been quiet for QUIET_MS (at most QUIET_AT_MOST_MS
   * after the day was seen): the command that turns the day is often the morning's first ticket,
   * and a backup and its check beside its drawing made it 100–170 ms instead of 60–100
   * (npm run bench:first-ticket). What is committed meanwhile is in the backup.
   */
  function startDaily(day: string): void {
    const seenAt = performance.now();
    const attempt = (): void => {
      if (closing) return;
      const quietFor = performance.now() - lastCommitAt;
      if (quietFor >= QUIET_MS || performance.now() - seenAt >= QUIET_AT_MOST_MS) {
        void enqueue(() => daily(day));
        return;
      }
      setTimeout(attempt, QUIET_MS - quietFor).unref();
    };
    attempt();
  }

  return {
    /** The hub is up: what a stop left is looked at, then the day seen at start-up gets its backup. */
    begin(): void {
      begun = true;
      void enqueue(recover);
      if (seenDay !== undefined) startDaily(seenDay);
    },

    /**
     * After every commit: when the queue's day is not the one last seen (the first commit after
     * the start, or one that turned the day), the day's backup is started, after this command.
     */
    committed(): void {
      lastCommitAt = performance.now();
      const day = deps.queueDay();
      if (day === undefined || day === seenDay) return;
      seenDay = day;
      seenDays.push(day);
      if (seenDays.length > 2) seenDays.shift();
      if (begun) startDaily(day);
    },

    view,

    /** The admin's "back up now": made, checked and copied, then the view. */
    async backupNow(): Promise<BackupsView> {
      await enqueue(() => make(deps.today(), 'quản trị yêu cầu'));
      return view();
    },

    /**
     * The second destination and the days kept, checked (the folder is real, takes a write, is
     * not in the data folder), stored and logged as an admin change.
     * @throws QueueError (invalid_payload) saying what is wrong with the folder; nothing is changed.
     */
    async setSettings(cmd: BackupSettings, by: string): Promise<Result<BackupsView>> {
      const problem = cmd.secondDir === null ? undefined : await secondDirProblem(cmd.secondDir, dataDir);
      if (problem) throw new QueueError('invalid_payload', problem);
      const before = settings();
      const changes: string[] = [];
      if (before.secondDir !== cmd.secondDir) changes.push(`nơi sao lưu thứ hai ${before.secondDir ?? '(không có)'} → ${cmd.secondDir ?? '(không có)'}`);
      if (before.keepDays !== cmd.keepDays) changes.push(`giữ ${before.keepDays} → ${cmd.keepDays} ngày`);
      const result = deps.changes.adminChange('admin:backup', { by, what: `Đổi cài đặt sao lưu: ${changes.join('; ') || 'không đổi gì'}` }, () => {
        deps.config.setMeta('backup_second_dir', cmd.secondDir ?? '');
        deps.config.setMeta('backup_keep_days', String(cmd.keepDays));
      });
      // After a backup under way, if one is: the reply does not wait for it.
      void enqueue(() => prune(dir).catch(() => undefined));
      return { reply: await view(), events: result.events };
    },

    /** The hub stopping: a backup in its steps ends (its half-made file removed), a check is ended, the rest waits. */
    async close(): Promise<void> {
      closing = true;
      checking?.kill();
      await queue;
    },
  };
}

export type Backups = ReturnType<typeof createBackups>;
