import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, write, writeSync } from 'node:fs';
import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The hub's own log, in its data folder: what it prints, one file a day, each line with its time.
 * A service's output also goes to journald or WinSW, but those keep it by their own rules and a
 * technician looking at the data folder (or copying it to a USB stick) finds this one.
 */

/** The folder inside the data folder. */
export const LOG_DIR = 'logs';
export const DEFAULT_LOG_DAYS = 30;
export const DEFAULT_LOG_MAX_MB = 10;
/** Size-rotated files kept per day (hub-DAY.1.log … .9.log): a runaway day cannot fill the disk. */
export const MAX_ROTATED = 9;
/** Lines waiting for a slow disk past this are dropped (and counted) rather than held in memory. */
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;
/** After a failure (a full disk), how long before the next try. */
const RETRY_MS = 60_000;

const FILE_NAME = /^hub-(\d{4}-\d{2}-\d{2})(?:\.(\d+))?\.log$/;

export interface LogFileOptions {
  /** The folder the files go in (`<data>/logs`); created if missing. */
  dir: string;
  /** Files of days more than this many days before today are removed. */
  keepDays: number;
  /** A day's file past this size is renamed .1 (and .1 → .2 …) and a new one begun. */
  maxBytes: number;
  /** The PC's clock (tests pass a fake one). */
  now?: () => number;
  /** Where the log's own troubles are said, once each (stderr). */
  warn?: (line: string) => void;
}

export interface LogFile {
  /** Appends a line with its time; never blocks on the disk, never throws. */
  write: (line: string) => void;
  /** Writes what is queued and closes the file. */
  close: () => Promise<void>;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The local calendar day of `at`, YYYY-MM-DD, on the PC's own time zone (what its file list shows). */
export function localDay(at: number): string {
  const d = new Date(at);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** `at` as local ISO time with its offset, e.g. 2026-12-06T20:31:02.123+07:00. */
export function localStamp(at: number): string {
  const d = new Date(at);
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return (
    `${localDay(at)}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

/** The file of a day, or its n-th size-rotated file. */
export function logFileName(day: string, n = 0): string {
  return n === 0 ? `hub-${day}.log` : `hub-${day}.${n}.log`;
}

/** The day `days` calendar days before `day` (YYYY-MM-DD), counted in UTC so no offset shifts it. */
function daysBefore(day: string, days: number): string {
  const at = Date.parse(`${day}T00:00:00Z`) - days * 86_400_000;
  return new Date(at).toISOString().slice(0, 10);
}

/** Removes the log files of days more than `keepDays` before `today`; other files are left alone. */
export async function pruneLogs(dir: string, today: string, keepDays: number): Promise<string[]> {
  const oldest = daysBefore(today, keepDays);
  const removed: string[] = [];
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const day = FILE_NAME.exec(name)?.[1];
    if (day === undefined || day >= oldest) continue;
    try {
      await unlink(join(dir, name));
      removed.push(name);
    } catch {
      // Open elsewhere or already gone: the next day's pruning tries again.
    }
  }
  return removed;
}

/**
 * Opens the hub's log in `dir`. Lines are queued and appended by one asynchronous write at a
 * time, so a slow disk never holds the event loop; what is still queued when the process exits
 * (process.exit after a fatal error) is written synchronously then, so the last words are kept.
 */
export function openLogFile(options: LogFileOptions): LogFile {
  const now = options.now ?? Date.now;
  const warn = options.warn ?? ((line: string) => process.stderr.write(`${line}\n`));
  const { dir, maxBytes, keepDays } = options;
  let queue: { day: string; text: string }[] = [];
  let queuedBytes = 0;
  let fd: number | undefined;
  let openDay = '';
  let size = 0;
  /** The batch being written by the thread pool, and where the file ends once it is written. */
  let writing: { text: string; end: number } | undefined;
  let broken: number | undefined;
  let dropped = 0;
  let closing: (() => void) | undefined;

  const fail = (what: string, error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
    if (broken === undefined) {
      warn(
        `Không ${what} nhật ký trong ${dir} (${code}); máy chủ vẫn chạy, nhật ký chỉ còn ở cửa sổ dòng lệnh hoặc nhật ký hệ thống ` +
          `và thử ghi lại sau ${RETRY_MS / 1000} giây. Hãy kiểm tra ổ đĩa còn chỗ trống. (Cannot write the log file; the hub keeps serving.)`,
      );
    }
    broken = now();
    dropped += queue.length;
    queue = [];
    queuedBytes = 0;
    closeFd();
  };

  const closeFd = () => {
    if (fd === undefined) return;
    try {
      closeSync(fd);
    } catch {
      // Closing a file whose disk went away: nothing more to do with it.
    }
    fd = undefined;
  };

  /** Opens today's file (new day: yesterday's closes and old days are pruned, off the event loop). */
  const openFor = (day: string) => {
    closeFd();
    mkdirSync(dir, { recursive: true });
    fd = openSync(join(dir, logFileName(day)), 'a', 0o640);
    size = fstatSync(fd).size;
    if (openDay !== day) void pruneLogs(dir, day, keepDays);
    openDay = day;
  };

  /** hub-DAY.log → .1.log, .1 → .2 …, the oldest past MAX_ROTATED removed; then a new hub-DAY.log. */
  const rotate = () => {
    closeFd();
    rmSync(join(dir, logFileName(openDay, MAX_ROTATED)), { force: true });
    for (let n = MAX_ROTATED - 1; n >= 0; n--) {
      try {
        renameSync(join(dir, logFileName(openDay, n)), join(dir, logFileName(openDay, n + 1)));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    openFor(openDay);
  };

  /** Takes the queued lines of one day, up to what fits the file; rotating or opening first if needed. */
  const nextBatch = (): string => {
    const day = queue[0]!.day;
    if (fd === undefined || day !== openDay) openFor(day);
    else if (size > 0 && size + Buffer.byteLength(queue[0]!.text) > maxBytes) rotate();
    let text = '';
    let bytes = 0;
    while (queue.length > 0 && queue[0]!.day === day) {
      const next = Buffer.byteLength(queue[0]!.text);
      if (bytes > 0 && size + bytes + next > maxBytes) break;
      text += queue.shift()!.text;
      bytes += next;
    }
    queuedBytes -= bytes;
    size += bytes;
    return text;
  };

  const pump = () => {
    if (writing) return;
    if (queue.length === 0) {
      if (closing) {
        closeFd();
        closing();
      }
      return;
    }
    let text: string;
    try {
      text = nextBatch();
    } catch (error) {
      fail('mở được tệp', error);
      pump();
      return;
    }
    writing = { text, end: size };
    write(fd!, text, null, 'utf8', (error) => {
      writing = undefined;
      if (error) fail('ghi được', error);
      pump();
    });
  };

  const enqueue = (at: number, line: string) => {
    const text = `${localStamp(at)} ${line.replace(/\r?\n/g, '\n    ')}\n`;
    queue.push({ day: localDay(at), text });
    queuedBytes += Buffer.byteLength(text);
  };

  const flushAtExit = () => {
    if ((queue.length === 0 && !writing) || broken !== undefined) return;
    try {
      let text = queue.map((q) => q.text).join('');
      if (writing && fd !== undefined) {
        // A batch is in the thread pool's hands: wait for the file to grow by it (microseconds
        // on a working disk), so the last lines come after it; if it never does, write it here
        // too (a line twice rather than none).
        const deadline = Date.now() + 200;
        while (fstatSync(fd).size < writing.end && Date.now() < deadline);
        if (fstatSync(fd).size < writing.end) text = writing.text + text;
      }
      if (text === '') return;
      if (fd === undefined || (queue.length > 0 && queue[0]!.day !== openDay)) openFor(queue[0]!.day);
      writeSync(fd!, text);
    } catch {
      // The process is ending: stderr already has these lines.
    }
  };
  process.on('exit', flushAtExit);

  return {
    write: (line) => {
      if (line.trim() === '' || closing) return;
      const at = now();
      if (broken !== undefined) {
        if (at - broken < RETRY_MS) {
          dropped += 1;
          return;
        }
        broken = undefined;
      }
      if (queuedBytes > MAX_QUEUED_BYTES) {
        dropped += 1;
        return;
      }
      if (dropped > 0) {
        enqueue(at, `(${dropped} dòng nhật ký trước đây không ghi được vào tệp — ${dropped} log lines were lost)`);
        dropped = 0;
      }
      enqueue(at, line);
      pump();
    },
    close: () =>
      new Promise<void>((resolve) => {
        process.off('exit', flushAtExit);
        closing = resolve;
        pump();
      }),
  };
}

/** The last `count` lines of the newest log file in `dir`; empty when there is none. */
export function lastLogLines(dir: string, count: number): { file: string; lines: string[] } | undefined {
  let newest: { name: string; mtime: number } | undefined;
  for (const name of readdirSync(dir)) {
    const m = FILE_NAME.exec(name);
    if (!m) continue;
    const mtime = statSync(join(dir, name)).mtimeMs;
    if (!newest || mtime > newest.mtime || (mtime === newest.mtime && m[2] === undefined)) newest = { name, mtime };
  }
  if (!newest) return undefined;
  const file = join(dir, newest.name);
  // A day's file is at most --log-max-mb: read whole, once, by a command a person typed.
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
  return { file, lines: lines.slice(-count) };
}
