/**
 * What the hub does with an error nobody caught: one hostile or broken client must not stop the
 * center, so the error is logged with its context and the hub keeps serving. Only a database
 * that can no longer be read or written ends the process, with a message saying so: serving on
 * would hand out numbers that are never stored.
 */

/** SQLite result codes (and their extended forms, e.g. SQLITE_IOERR_WRITE) that mean the file is unusable. */
const BROKEN_DATABASE = ['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_IOERR', 'SQLITE_FULL', 'SQLITE_CANTOPEN', 'SQLITE_READONLY', 'SQLITE_PERM'];

/** Whether an error says the database itself is broken (not a constraint or a bad query). */
export function isBrokenDatabase(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as Error & { code?: unknown }).code;
  if (typeof code === 'string' && BROKEN_DATABASE.some((c) => code === c || code.startsWith(`${c}_`))) return true;
  return error.name === 'TypeError' && /database connection is not open/.test(error.message);
}

/** Installs the process-wide handlers; `exit` ends the process (tests pass a fake). */
export function keepServing(log: (line: string) => void, exit: (code: number) => void = (code) => process.exit(code)): void {
  // A log pipe that closed (whoever read it went away) must not stop the hub, nor turn each
  // line written after it into an error about the line before: a loop that starves the hub.
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);
  let handling = false;
  const onError = (kind: string) => (error: unknown) => {
    if (handling) return;
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    if (isBrokenDatabase(error)) {
      log(`CƠ SỞ DỮ LIỆU HỎNG hoặc không ghi được, máy chủ dừng để không phát số mà không lưu được: ${text}`);
      log('Hãy kiểm tra ổ đĩa (còn chỗ trống, quyền ghi) rồi khởi động lại; nếu tệp hỏng, khôi phục bản sao lưu tốt mới nhất trong thư mục backups/ bằng lệnh restore (node apps/hub/dist/src/cli.js restore --list), đừng chép đè bằng tay.');
      exit(1);
      return;
    }
    handling = true;
    try {
      log(`lỗi không ai bắt (${kind}), máy chủ vẫn chạy tiếp: ${text}`);
    } finally {
      handling = false;
    }
  };
  process.on('uncaughtException', onError('uncaughtException'));
  process.on('unhandledRejection', onError('unhandledRejection'));
}
