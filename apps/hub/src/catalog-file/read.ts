import { QueueError } from '@xephang/core';
import { fold } from '@xephang/catalog';
import { OfficialCodeSchema, ProcedureCodeSchema, type CatalogImportProblem, type ProcedureView, type ServiceView } from '@xephang/protocol';
import { csvRows, decodeText } from './csv';
import type { RawRow } from './raw-row';
import { xlsxRows } from './xlsx';

const MAX_NAME = 300;
const MAX_PAPER = 300;
const MAX_PAPERS = 30;

/** What the reader needs of a field: the words people write it with. */
export type FieldNames = Pick<ServiceView, 'id' | 'nameVi' | 'nameEn'>;

/** A file read row by row: the procedures it holds and the rows that could not be read. */
export interface ReadCatalog {
  format: 'csv' | 'xlsx';
  rows: number;
  procedures: ProcedureView[];
  problems: CatalogImportProblem[];
  /**
   * The official codes the file gives its fields (the optional column "mã lĩnh vực"), by field
   * id, each from the first row that gave it. A field the file gives no code is not listed.
   */
  fieldCodes: Map<string, { code: string; line: number }>;
}

type Column = 'code' | 'name' | 'field' | 'fieldCode' | 'papers';
const HEADERS: Record<Column, readonly string[]> = {
  code: ['ma', 'ma thu tuc', 'ma tthc', 'ma so', 'code'],
  name: ['ten thu tuc', 'ten', 'ten thu tuc hanh chinh', 'ten tthc', 'name'],
  field: ['linh vuc', 'field', 'service'],
  // The field's code in the national procedure catalogue, repeated on each of its procedures' rows.
  fieldCode: ['ma linh vuc', 'ma linh vuc quoc gia', 'field code', 'official field code'],
  papers: ['giay to can mang', 'giay to', 'thanh phan ho so', 'ho so can mang', 'papers'],
};
const HEADER_TEXT: Record<Column, string> = { code: 'mã', name: 'tên thủ tục', field: 'lĩnh vực', fieldCode: 'mã lĩnh vực', papers: 'giấy tờ cần mang' };

/**
 * Reads a CSV (UTF-8, or UTF-16 with its mark; comma, semicolon or tab) or XLSX file whose
 * first row names the columns mã, tên thủ tục, lĩnh vực and optionally giấy tờ cần mang and
 * mã lĩnh vực (the field's official code: every row of a field that gives one gives the same).
 * A field may be given by id (`civil`), by name (`Tư pháp – Hộ tịch`) or by one part of its
 * name (`Hộ tịch`). Papers are separated by line breaks or semicolons.
 * @throws QueueError `invalid_payload` when the file as a whole cannot be read.
 */
export async function readCatalogFile(fileName: string, bytes: Uint8Array, services: readonly FieldNames[]): Promise<ReadCatalog> {
  const isXlsx = /\.xlsx$/i.test(fileName) || (bytes[0] === 0x50 && bytes[1] === 0x4b);
  const table = isXlsx ? await xlsxRows(bytes) : csvRows(decodeText(bytes));
  return { format: isXlsx ? 'xlsx' : 'csv', ...readRows(table, services) };
}

function readRows(table: RawRow[], services: readonly FieldNames[]): Omit<ReadCatalog, 'format'> {
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
  const fieldCodes: ReadCatalog['fieldCodes'] = new Map();
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
    const rawFieldCode = cell('fieldCode');
    let fieldCode: string | undefined;
    if (rawFieldCode) {
      const parsed = OfficialCodeSchema.safeParse(rawFieldCode);
      if (!parsed.success) {
        fail(`mã lĩnh vực "${shorten(rawFieldCode)}" không hợp lệ: chỉ gồm chữ không dấu, số, dấu chấm, gạch ngang, gạch chéo, gạch dưới, tối đa 40 ký tự`);
        continue;
      }
      // "Mã lĩnh vực" is also what xephang calls a field's own id (the admin's "Mã", the province's
      // sheet): a file that carries the id there would store it as the official code, an invented one.
      const ownId = services.find((s) => s.id.toLowerCase() === parsed.data.toLowerCase());
      if (ownId) {
        fail(`mã lĩnh vực "${parsed.data}" là mã riêng của lĩnh vực trong xephang (${ownId.nameVi}), không phải mã trong Cơ sở dữ liệu quốc gia về thủ tục hành chính; để trống nếu chưa có mã quốc gia`);
        continue;
      }
      const given = fieldCodes.get(serviceId);
      if (given && given.code !== parsed.data) {
        fail(`mã lĩnh vực ${parsed.data} khác mã ${given.code} đã ghi cho cùng lĩnh vực ở dòng ${given.line}`);
        continue;
      }
      fieldCode = parsed.data;
    }
    seen.set(code.data, row.line);
    if (fieldCode && !fieldCodes.has(serviceId)) fieldCodes.set(serviceId, { code: fieldCode, line: row.line });
    procedures.push({ code: code.data, name: name.normalize('NFC'), serviceId, papers: papers.map((p) => p.normalize('NFC')) });
  }
  return { rows: rows.length, procedures, problems, fieldCodes };
}

/** Reads a field the way people write it: id, Vietnamese or English name, or one part of the name. */
function fieldResolver(services: readonly FieldNames[]) {
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
