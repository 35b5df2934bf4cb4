import { QueueError } from '@xephang/core';
import { CsvError, parse, type CsvErrorCode } from 'csv-parse/sync';
import type { RawRow } from './raw-row';

/**
 * A CSV file's text: UTF-8 (with or without its mark) or UTF-16 with its mark, as Excel saves them.
 * @throws QueueError when it is neither (an old "CSV" saved in a Windows code page).
 */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new QueueError(
      'invalid_payload',
      'Tệp CSV không phải mã UTF-8 nên chữ tiếng Việt sẽ bị lỗi. Trong Excel hãy chọn "Lưu thành" → "CSV UTF-8 (phân cách bằng dấu phẩy)", hoặc gửi tệp .xlsx.',
    );
  }
}

const DELIMITERS = [',', ';', '\t'] as const;

const UNCLOSED_QUOTE = 'có dấu ngoặc kép (") mở mà không đóng; dữ liệu từ dòng này đến hết tệp không đọc được';
/** Why a row csv-parse stopped on cannot be read, by its error code. */
const UNREADABLE: Partial<Record<CsvErrorCode, string>> = {
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE:
    'có chữ ngay sau dấu ngoặc kép (") đóng ô nên dòng này không đọc được; dấu ngoặc kép nằm trong ô phải viết thành hai dấu ("")',
};
const UNREADABLE_ROW = 'dòng này không đọc được theo định dạng CSV; hãy mở tệp bằng Excel và lưu lại dạng "CSV UTF-8"';

/**
 * Lines handed to csv-parse at once. It stops at a row it cannot read and is started again on the
 * next line: on a window, not on the whole rest of the file, so that costs one window per bad row.
 */
const WINDOW_LINES = 256;
/**
 * Rows csv-parse may stop on before the rest of the file is given up. Each costs a fresh start
 * (a fraction of a millisecond); a file of a hundred thousand would hold the hub, and with it
 * every kiosk, for a minute.
 */
const MAX_UNREADABLE = 100;
const TOO_MANY_UNREADABLE = `đã có ${MAX_UNREADABLE} dòng không đọc được theo định dạng CSV nên dữ liệu từ dòng này đến hết tệp không đọc được; hãy mở tệp bằng Excel và lưu lại dạng "CSV UTF-8"`;

/**
 * RFC 4180 CSV (read by csv-parse) with the delimiter guessed from the first line; each row keeps
 * the line it starts on, and blank rows are left out. A row the parser cannot read becomes a row
 * with a `problem`, and reading goes on from the next line: one stray quote costs one row, not
 * the rest of the file. `window` is how many lines are parsed at once (small in tests, to cross
 * its edges).
 */
export function csvRows(text: string, window = WINDOW_LINES): RawRow[] {
  // One kind of line break, so that csv-parse's line count is the spreadsheet's: it counts a
  // CRLF inside a quoted cell as two lines. The cells lose nothing a procedure keeps: papers
  // split on any line break, and a name's line breaks become spaces.
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const firstLine = lines[0]!;
  const delimiter = DELIMITERS.map((d) => [d, firstLine.split(d).length] as const).sort((a, b) => b[1] - a[1])[0]![0];
  const rows: RawRow[] = [];
  let unreadable = 0;
  for (let from = 0; from < lines.length; ) {
    if (unreadable === MAX_UNREADABLE) {
      rows.push({ line: from + 1, cells: [], problem: TOO_MANY_UNREADABLE });
      break;
    }
    const read = readLines(lines, from, window, delimiter, rows);
    if (read.unreadable) unreadable++;
    from = read.next;
  }
  return rows;
}

/**
 * Parses up to `window` lines from index `from` into `rows`, a row csv-parse stops on included
 * (with its problem); says where to go on from, and whether it stopped.
 */
function readLines(lines: readonly string[], from: number, window: number, delimiter: string, rows: RawRow[]): { next: number; unreadable: boolean } {
  const to = Math.min(from + window, lines.length);
  // The last line read so far (1-based): the next row, good or bad, starts on the line after it,
  // because csv-parse gives a blank line a row of its own ([""]).
  let last = from;
  try {
    parse(lines.slice(from, to).join('\n'), {
      delimiter,
      trim: true,
      // Excel's quotes, and a quote inside an unquoted cell kept as a character (Tivi 32" cũ).
      relax_quotes: true,
      relax_column_count: true,
      on_record: (cells: string[], info) => {
        const breaks = cells.reduce((n, c) => n + c.split('\n').length - 1, 0);
        if (cells.some((c) => c !== '')) rows.push({ line: from + info.lines - breaks, cells });
        last = from + info.lines;
        return null;
      },
    });
    return { next: to, unreadable: false };
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = last + 1;
    if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
      // The window may have ended inside a quoted cell: go on from that row, in a window that holds it.
      if (to < lines.length) return last > from ? { next: last, unreadable: false } : readLines(lines, from, window * 2, delimiter, rows);
      rows.push({ line, cells: [], problem: UNCLOSED_QUOTE });
      return { next: lines.length, unreadable: true };
    }
    rows.push({ line, cells: [], problem: UNREADABLE[error.code] ?? UNREADABLE_ROW });
    // The parser stopped on the line it names: the rows below it are read afresh.
    const stoppedAt = typeof error.lines === 'number' ? from + error.lines : line;
    return { next: Math.max(stoppedAt, line), unreadable: true };
  }
}
