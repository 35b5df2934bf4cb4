import type { Database } from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { QueueError } from '@xephang/core';
import { fold, STARTER_CATALOG } from '@xephang/catalog';
import {
  ProcedureCodeSchema,
  type CatalogImportProblem,
  type CatalogImportReply,
  type CatalogImportReport,
  type CatalogReply,
  type ParsedCommand,
  type ProcedureView,
  type ServiceView,
} from '@xephang/protocol';

interface ProcedureRow {
  code: string;
  name: string;
  service_id: string;
  papers: string;
  keywords: string;
}

const MAX_NAME = 300;
const MAX_PAPER = 300;
const MAX_PAPERS = 30;

/**
 * The center's catalog of procedures in SQLite: the starter catalog on first start, the
 * admin's imports after that. `version` grows with every change so kiosks fetch it only then.
 */
export function catalogStore(db: Database) {
  const getMeta = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
  const setMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  const all = db.prepare<[], ProcedureRow>('SELECT code, name, service_id, papers, keywords FROM procedures ORDER BY position, code');
  const one = db.prepare<[string], ProcedureRow>('SELECT code, name, service_id, papers, keywords FROM procedures WHERE code = ?');
  const serviceIds = db.prepare<[], { id: string }>('SELECT id FROM services');
  const maxPosition = db.prepare<[], { p: number | null }>('SELECT max(position) AS p FROM procedures');
  const upsert = db.prepare(
    `INSERT INTO procedures (code, name, service_id, papers, keywords, position, updated_at)
     VALUES (@code, @name, @serviceId, @papers, @keywords, @position, @at)
     ON CONFLICT (code) DO UPDATE SET name = excluded.name, service_id = excluded.service_id,
       papers = excluded.papers, keywords = excluded.keywords, updated_at = excluded.updated_at`,
  );
  const removeAll = db.prepare('DELETE FROM procedures');
  const setTicket = db.prepare('UPDATE tickets SET procedure_code = ? WHERE id = ?');
  const ofTicket = db.prepare<[string], ProcedureRow>(
    `SELECT p.code, p.name, p.service_id, p.papers, p.keywords FROM tickets t JOIN procedures p ON p.code = t.procedure_code WHERE t.id = ?`,
  );

  const insertEvent = db.prepare(
    `INSERT INTO events (seq, at, type, detail) VALUES ((SELECT coalesce(max(seq), 0) FROM broadcasts), ?, ?, ?)`,
  );

  const version = (): number => Number(getMeta.get('catalog_version')?.value ?? 0);
  const bump = () => setMeta.run('catalog_version', String(version() + 1));

  const write = (procedures: readonly ProcedureView[], at: number, from: number) =>
    procedures.forEach((p, i) =>
      upsert.run({
        code: p.code,
        name: p.name,
        serviceId: p.serviceId,
        papers: JSON.stringify(p.papers),
        keywords: JSON.stringify(p.keywords ?? []),
        position: from + i,
        at,
      }),
    );

  /** Writes the starter catalog once, on the first start with this table (for the fields that exist). */
  const seed = db.transaction((at: number): boolean => {
    if (getMeta.get('catalog_version')) return false;
    const ids = new Set(serviceIds.all().map((s) => s.id));
    write(
      STARTER_CATALOG.filter((p) => ids.has(p.serviceId)),
      at,
      1,
    );
    bump();
    return true;
  });

  const apply = db.transaction((procedures: readonly ProcedureView[], mode: 'merge' | 'replace', at: number) => {
    const before = new Map(all.all().map((r) => [r.code, r]));
    // A file has no keywords column: a procedure it updates keeps the ones it had.
    const rows = procedures.map((p) => (p.keywords || !before.has(p.code) ? p : { ...p, keywords: JSON.parse(before.get(p.code)!.keywords) as string[] }));
    if (mode === 'replace') removeAll.run();
    // New codes go after the existing ones (an update keeps its place); a replace takes the file's order.
    const from = mode === 'replace' ? 1 : (maxPosition.get()!.p ?? 0) + 1;
    write(mode === 'replace' ? rows : rows.filter((p) => !before.has(p.code)), at, from);
    if (mode === 'merge') write(rows.filter((p) => before.has(p.code)), at, 0);
    const added = procedures.filter((p) => !before.has(p.code)).length;
    const kept = new Set(procedures.map((p) => p.code));
    const removed = mode === 'replace' ? [...before.keys()].filter((c) => !kept.has(c)).length : 0;
    bump();
    return { added, updated: procedures.length - added, removed, total: all.all().length };
  });

  return {
    version,
    list: (): ProcedureView[] => all.all().map(toView),
    get: (code: string): ProcedureView | undefined => {
      const row = one.get(code);
      return row && toView(row);
    },
    /** What a client holding `since` needs. */
    reply: (since: number | undefined): CatalogReply => {
      const v = version();
      return since === v ? { version: v } : { version: v, procedures: all.all().map(toView) };
    },
    seedStarter: (at: number): boolean => seed.immediate(at),
    /** Call inside the issuing transaction. */
    setTicketProcedure: (ticketId: string, code: string) => void setTicket.run(code, ticketId),
    /** The procedure a ticket was taken for, if it is still in the catalog. */
    ticketProcedure: (ticketId: string): ProcedureView | undefined => {
      const row = ofTicket.get(ticketId);
      return row && toView(row);
    },
    apply: (procedures: readonly ProcedureView[], mode: 'merge' | 'replace', at: number) => apply.immediate(procedures, mode, at),
    /** Appends a line to the visit log, after the last broadcast (it is not one). */
    audit: (type: string, detail: Record<string, unknown>, at: number) => void insertEvent.run(at, type, JSON.stringify(detail)),
  };
}

export type CatalogStore = ReturnType<typeof catalogStore>;

function toView(row: ProcedureRow): ProcedureView {
  const keywords = JSON.parse(row.keywords) as string[];
  return { code: row.code, name: row.name, serviceId: row.service_id, papers: JSON.parse(row.papers) as string[], ...(keywords.length ? { keywords } : {}) };
}

/** A file read row by row: the procedures it holds and the rows that could not be read. */
export interface ReadCatalog {
  format: 'csv' | 'xlsx';
  rows: number;
  procedures: ProcedureView[];
  problems: CatalogImportProblem[];
}

type Column = 'code' | 'name' | 'field' | 'papers';
const HEADERS: Record<Column, readonly string[]> = {
  code: ['ma', 'ma thu tuc', 'ma tthc', 'ma so', 'code'],
  name: ['ten thu tuc', 'ten', 'ten thu tuc hanh chinh', 'ten tthc', 'name'],
  field: ['linh vuc', 'field', 'service'],
  papers: ['giay to can mang', 'giay to', 'thanh phan ho so', 'ho so can mang', 'papers'],
};
const HEADER_TEXT: Record<Column, string> = { code: 'mã', name: 'tên thủ tục', field: 'lĩnh vực', papers: 'giấy tờ cần mang' };

/**
 * Reads a CSV (UTF-8, or UTF-16 with its mark; comma, semicolon or tab) or XLSX file whose
 * first row names the columns mã, tên thủ tục, lĩnh vực and optionally giấy tờ cần mang.
 * A field may be given by id (`civil`), by name (`Tư pháp – Hộ tịch`) or by one part of its
 * name (`Hộ tịch`). Papers are separated by line breaks or semicolons.
 * @throws QueueError `invalid_payload` when the file as a whole cannot be read.
 */
export async function readCatalogFile(fileName: string, bytes: Uint8Array, services: readonly ServiceView[]): Promise<ReadCatalog> {
  const isXlsx = /\.xlsx$/i.test(fileName) || (bytes[0] === 0x50 && bytes[1] === 0x4b);
  const table = isXlsx ? await xlsxRows(bytes) : csvRows(decodeText(bytes));
  return { format: isXlsx ? 'xlsx' : 'csv', ...readRows(table, services) };
}

interface RawRow {
  line: number;
  cells: string[];
  problem?: string;
}

function readRows(table: RawRow[], services: readonly ServiceView[]): Omit<ReadCatalog, 'format'> {
  const rows = table.filter((r) => r.problem !== undefined || r.cells.some((c) => c.trim() !== ''));
  const header = rows.shift();
  if (!header) throw new QueueError('invalid_payload', 'Tệp không có dòng nào. Dòng đầu tiên phải là tiêu đề: mã, tên thủ tục, lĩnh vực, giấy tờ cần mang.');
  const col: Partial<Record<Column, number>> = {};
  header.cells.forEach((cell, i) => {
    const h = fold(cell).replace(/[^a-z0-9]+/g, ' ').trim();
    for (const c of Object.keys(HEADERS) as Column[]) if (col[c] === undefined && HEADERS[c].includes(h)) col[c] = i;
  });
  const missing = (['code', 'name', 'field'] as const).filter((c) => col[c] === undefined);
  if (missing.length) {
    throw new QueueError(
      'invalid_payload',
      `Dòng tiêu đề (dòng ${header.line}) thiếu cột ${missing.map((c) => `"${HEADER_TEXT[c]}"`).join(', ')}. ` +
        'Dòng đầu tiên phải có các cột: mã, tên thủ tục, lĩnh vực, giấy tờ cần mang.',
    );
  }

  const fieldOf = fieldResolver(services);
  const procedures: ProcedureView[] = [];
  const problems: CatalogImportProblem[] = [];
  const seen = new Map<string, number>();
  for (const row of rows) {
    const fail = (reason: string) => problems.push({ line: row.line, reason });
    if (row.problem) {
      fail(row.problem);
      continue;
    }
    const cell = (c: Column) => (col[c] === undefined ? '' : (row.cells[col[c]!] ?? '').trim());
    const rawCode = cell('code');
    const name = cell('name').replace(/\s+/g, ' ');
    const field = cell('field');
    if (!rawCode) {
      fail('thiếu mã thủ tục');
      continue;
    }
    const code = ProcedureCodeSchema.safeParse(rawCode);
    if (!code.success) {
      fail(`mã thủ tục "${rawCode.slice(0, 50)}" không hợp lệ: chỉ gồm chữ, số, dấu chấm, gạch ngang, gạch chéo, tối đa 40 ký tự`);
      continue;
    }
    if (!name) {
      fail(`thiếu tên thủ tục (mã ${code.data})`);
      continue;
    }
    if (name.length > MAX_NAME) {
      fail(`tên thủ tục dài ${name.length} ký tự, tối đa ${MAX_NAME}`);
      continue;
    }
    if (!field) {
      fail(`thiếu lĩnh vực cho thủ tục "${shorten(name)}"`);
      continue;
    }
    const serviceId = fieldOf(field);
    if (typeof serviceId !== 'string') {
      fail(serviceId.reason);
      continue;
    }
    const first = seen.get(code.data);
    if (first !== undefined) {
      fail(`mã ${code.data} trùng với dòng ${first}`);
      continue;
    }
    const papers = cell('papers')
      .split(/\r?\n|;/)
      .map((p) => p.replace(/^\s*[-•+*]\s*/, '').replace(/\s+/g, ' ').trim())
      .filter((p) => p !== '');
    if (papers.length > MAX_PAPERS || papers.some((p) => p.length > MAX_PAPER)) {
      fail(`giấy tờ cần mang quá dài (tối đa ${MAX_PAPERS} mục, mỗi mục ${MAX_PAPER} ký tự)`);
      continue;
    }
    seen.set(code.data, row.line);
    procedures.push({ code: code.data, name: name.normalize('NFC'), serviceId, papers: papers.map((p) => p.normalize('NFC')) });
  }
  return { rows: rows.length, procedures, problems };
}

/** Reads a field the way people write it: id, Vietnamese or English name, or one part of the name. */
function fieldResolver(services: readonly ServiceView[]) {
  const key = (s: string) => fold(s).replace(/[^a-z0-9]+/g, ' ').trim();
  const names = new Map<string, Set<string>>();
  const add = (k: string, id: string) => {
    if (!k) return;
    const set = names.get(k) ?? new Set<string>();
    set.add(id);
    names.set(k, set);
  };
  for (const s of services) {
    add(key(s.id), s.id);
    add(key(s.nameVi), s.id);
    add(key(s.nameEn), s.id);
    for (const part of s.nameVi.split(/[–—-]/)) add(key(part), s.id);
  }
  const list = services.map((s) => s.nameVi).join('; ');
  return (value: string): string | { reason: string } => {
    const found = names.get(key(value));
    if (!found) return { reason: `lĩnh vực "${shorten(value)}" không có ở trung tâm; hãy dùng một trong: ${list}` };
    if (found.size > 1) return { reason: `lĩnh vực "${shorten(value)}" khớp nhiều lĩnh vực; hãy ghi đủ tên lĩnh vực` };
    return [...found][0]!;
  };
}

const shorten = (s: string) => (s.length > 60 ? `${s.slice(0, 57)}…` : s);

/**
 * A CSV file's text: UTF-8 (with or without its mark) or UTF-16 with its mark, as Excel saves them.
 * @throws QueueError when it is neither (an old "CSV" saved in a Windows code page).
 */
function decodeText(bytes: Uint8Array): string {
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

/**
 * The first worksheet's rows as text, numbered as Excel numbers them.
 * @throws QueueError when the file is not a readable XLSX workbook.
 */
async function xlsxRows(bytes: Uint8Array): Promise<RawRow[]> {
  const wb = new ExcelJS.Workbook();
  try {
    // exceljs types its argument as an ArrayBuffer; what it reads is a Node Buffer.
    await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch (error) {
    throw new QueueError(
      'invalid_payload',
      `Không đọc được tệp XLSX (${error instanceof Error ? error.message.slice(0, 120) : 'tệp hỏng'}). Hãy mở tệp bằng Excel và lưu lại dạng .xlsx, hoặc lưu thành CSV UTF-8.`,
    );
  }
  const ws = wb.worksheets[0];
  if (!ws) throw new QueueError('invalid_payload', 'Tệp XLSX không có trang tính nào.');
  const rows: RawRow[] = [];
  ws.eachRow({ includeEmpty: false }, (row, line) => {
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(row.getCell(c).text ?? '');
    rows.push({ line, cells });
  });
  return rows;
}

/** How long an unfinished upload is kept. */
const UPLOAD_TTL_MS = 10 * 60_000;
const MAX_UPLOADS = 4;

interface Upload {
  fileName: string;
  parts: (string | undefined)[];
  mode: 'check' | 'merge' | 'replace';
  touched: number;
}

/**
 * `catalog:import`: collects a file's parts (socket.io messages are capped at 16 KB), then reads
 * it, reports every unreadable row, and applies the readable ones as the mode says.
 */
export function catalogImports(deps: {
  catalog: CatalogStore;
  services: () => ServiceView[];
  now: () => number;
  /** Appends a line to the visit log (the audit trail). */
  log: (type: string, detail: Record<string, unknown>) => void;
}) {
  const uploads = new Map<string, Upload>();

  return async (cmd: ParsedCommand<'catalog:import'>): Promise<CatalogImportReply> => {
    const now = deps.now();
    for (const [id, u] of uploads) if (now - u.touched > UPLOAD_TTL_MS) uploads.delete(id);
    let upload = uploads.get(cmd.uploadId);
    if (!upload) {
      if (uploads.size >= MAX_UPLOADS) throw new QueueError('rate_limited', 'Đang có quá nhiều tệp được tải lên cùng lúc. Hãy chờ vài phút rồi thử lại.');
      upload = { fileName: cmd.fileName, parts: new Array<string | undefined>(cmd.parts).fill(undefined), mode: cmd.mode, touched: now };
      uploads.set(cmd.uploadId, upload);
    }
    if (upload.parts.length !== cmd.parts || upload.fileName !== cmd.fileName || upload.mode !== cmd.mode) {
      throw new QueueError('invalid_payload', 'Các phần của cùng một tệp phải có cùng tên tệp, cùng tổng số phần và cùng chế độ.');
    }
    upload.parts[cmd.part] = cmd.data;
    upload.touched = now;
    const received = upload.parts.filter((p) => p !== undefined).length;
    if (received < upload.parts.length) return { complete: false, received, parts: upload.parts.length };
    uploads.delete(cmd.uploadId);

    const bytes = Buffer.concat(upload.parts.map((p) => Buffer.from(p!, 'base64')));
    const read = await readCatalogFile(upload.fileName, bytes, deps.services());
    const report = decide(read, upload, deps.catalog, now);
    deps.log('catalog:imported', {
      fileName: report.fileName,
      mode: report.mode,
      applied: report.applied,
      rows: report.rows,
      problems: report.problems.length,
      added: report.added,
      updated: report.updated,
      removed: report.removed,
    });
    return { complete: true, report };
  };
}

function decide(read: ReadCatalog, upload: Upload, catalog: CatalogStore, now: number): CatalogImportReport {
  const base = {
    fileName: upload.fileName,
    format: read.format,
    mode: upload.mode,
    rows: read.rows,
    readable: read.procedures.length,
    problems: read.problems,
  };
  const bad = read.problems.length ? ` ${read.problems.length} dòng không đọc được (xem danh sách).` : '';
  const unchanged = { applied: false, added: 0, updated: 0, removed: 0, total: catalog.list().length };
  if (upload.mode === 'check') {
    return { ...base, ...unchanged, message: `Đã kiểm tra: ${read.procedures.length} thủ tục đọc được.${bad} Danh mục chưa thay đổi.` };
  }
  if (read.procedures.length === 0) {
    return { ...base, ...unchanged, message: `Không có dòng nào đọc được nên danh mục chưa thay đổi.${bad}` };
  }
  if (upload.mode === 'replace' && read.problems.length) {
    return {
      ...base,
      ...unchanged,
      message: `Chưa thay danh mục vì${bad} Hãy sửa các dòng đó rồi nhập lại (hoặc dùng chế độ "bổ sung" để nhập các dòng đọc được).`,
    };
  }
  const result = catalog.apply(read.procedures, upload.mode, now);
  return {
    ...base,
    applied: true,
    ...result,
    message:
      `Đã nhập: ${result.added} thủ tục mới, ${result.updated} thủ tục cập nhật` +
      (upload.mode === 'replace' ? `, ${result.removed} thủ tục bỏ khỏi danh mục` : '') +
      `; danh mục có ${result.total} thủ tục.${bad}`,
  };
}
