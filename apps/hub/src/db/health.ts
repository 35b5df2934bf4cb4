import type Database from 'better-sqlite3';
import { currentUser, StartError } from '../data-dir';
import type { Stores } from '../store';

/** What /health says about the write path: whether the database took a write just now. */
export interface WriteState {
  writable: boolean;
  /** Why it did not, for the technician. */
  error?: string;
}

/** How long a successful write check stands before /health checks again. */
const WRITE_CHECK_MS = 5_000;

/**
 * Checks for real that the database takes a write (a row in meta), at most every few seconds
 * while it does and at every ask while it does not, so /health turns healthy as soon as the
 * cause is gone. The check waits briefly for a lock another program holds instead of the
 * commands' five seconds: /health must answer, and a lock held that long is the problem.
 */
export function writeProbe(db: Database.Database, config: Pick<Stores['config'], 'setMeta'>): () => WriteState {
  let okAt = -Infinity;
  return () => {
    if (Date.now() - okAt < WRITE_CHECK_MS) return { writable: true };
    const timeout = db.pragma('busy_timeout', { simple: true }) as number;
    db.pragma('busy_timeout = 250');
    try {
      config.setMeta('write_checked_at', new Date().toISOString());
      okAt = Date.now();
      return { writable: true };
    } catch (error) {
      okAt = -Infinity;
      return { writable: false, error: databaseProblem(error) };
    } finally {
      db.pragma(`busy_timeout = ${timeout}`);
    }
  };
}

/** A Vietnamese sentence for what keeps SQLite from writing, or the error's own message. */
function databaseProblem(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code !== 'string') return message;
  if (code.startsWith('SQLITE_READONLY')) return 'cơ sở dữ liệu chỉ đọc được, không ghi được (quyền của tệp, của thư mục, hoặc ổ đĩa chỉ đọc)';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'một chương trình khác đang khóa cơ sở dữ liệu để ghi';
  if (code === 'SQLITE_FULL') return 'ổ đĩa đã đầy';
  if (code.startsWith('SQLITE_CANTOPEN')) return 'không mở được tệp cơ sở dữ liệu (quyền của tệp hoặc của thư mục)';
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) return 'tệp không phải cơ sở dữ liệu xephang, hoặc đã hỏng';
  if (code.startsWith('SQLITE_IOERR')) return `lỗi đọc ghi ổ đĩa (${code})`;
  return `${message} (${code})`;
}

/** The database could not be opened or written at start: what to fix. */
export function startProblem(error: unknown, dbFile: string): Error {
  if (error instanceof StartError) return error;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return error instanceof Error ? error : new Error(String(error));
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new StartError(`Không mở được ${dbFile}: ${databaseProblem(error)}. Hãy chọn đúng thư mục dữ liệu (--data-dir), hoặc khôi phục một bản sao lưu trong backups/ (node apps/hub/dist/src/cli.js restore --data-dir … --list).`);
  }
  return new StartError(
    `Không ghi được vào ${dbFile}: ${databaseProblem(error)}. Hãy cho người dùng "${currentUser()}" quyền ghi tệp này, ` +
      'các tệp xephang.sqlite-wal, -shm bên cạnh và thư mục chứa chúng, rồi chạy lại.',
  );
}
