import { QueueError } from '@xephang/core';
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

/** RFC 4180 CSV with the delimiter guessed from the first line; each row keeps the line it starts on. */
export function csvRows(text: string): RawRow[] {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = [',', ';', '\t'].map((d) => [d, firstLine.split(d).length] as const).sort((a, b) => b[1] - a[1])[0]![0];
  const rows: RawRow[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const start = line;
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    let problem: string | undefined;
    for (;;) {
      if (i >= text.length) {
        if (quoted) problem = 'có dấu ngoặc kép (") mở mà không đóng; dữ liệu từ dòng này đến hết tệp không đọc được';
        cells.push(cell);
        break;
      }
      const c = text[i]!;
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') {
          cell += '"';
          i += 2;
        } else if (c === '"') {
          quoted = false;
          i++;
        } else {
          if (c === '\n') line++;
          cell += c;
          i++;
        }
        continue;
      }
      if (c === '"' && cell.trim() === '') {
        quoted = true;
        cell = '';
        i++;
      } else if (c === delimiter) {
        cells.push(cell);
        cell = '';
        i++;
      } else if (c === '\n' || c === '\r') {
        cells.push(cell);
        i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
        line++;
        break;
      } else {
        cell += c;
        i++;
      }
    }
    rows.push({ line: start, cells, ...(problem ? { problem } : {}) });
  }
  return rows;
}
