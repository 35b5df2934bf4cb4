import { QueueError } from '@xephang/core';
import type { CatalogFieldCode, CatalogImportReply, CatalogImportReport, ParsedCommand, ServiceView, VisitLogType } from '@xephang/protocol';
import { readCatalogFile, type ReadCatalog } from '../catalog-file';
import type { Result } from '../commit';
import type { CatalogStore } from '../store/catalog-store';

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
 * it, reports every unreadable row, and applies the readable ones as the mode says. The fields'
 * official codes the file gives are stored with an applied import, as one logged admin change
 * that reaches every screen (config:updated); a code left empty in the file is left as it was.
 */
export function catalogImports(deps: {
  catalog: CatalogStore;
  services: () => ServiceView[];
  now: () => number;
  /** Appends a line to the visit log (the audit trail). */
  log: (type: VisitLogType, detail: Record<string, unknown>) => void;
  /** Stores fields' official codes as one logged admin change (`what` says it in Vietnamese). */
  setOfficialCodes: (codes: ReadonlyMap<string, string>, what: string, by: string) => Result<unknown>;
}) {
  const uploads = new Map<string, Upload>();

  return async (cmd: ParsedCommand<'catalog:import'>, by: string): Promise<Result<CatalogImportReply>> => {
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
    if (received < upload.parts.length) return { reply: { complete: false, received, parts: upload.parts.length }, events: [] };
    uploads.delete(cmd.uploadId);

    const bytes = Buffer.concat(upload.parts.map((p) => Buffer.from(p!, 'base64')));
    const services = deps.services();
    const read = await readCatalogFile(upload.fileName, bytes, services);
    const report = decide(read, upload, deps.catalog, now, services);
    const toSet = new Map(report.fieldCodes.filter((f) => f.set).map((f) => [f.serviceId, f.code]));
    const events = toSet.size
      ? deps.setOfficialCodes(
          toSet,
          `Nhập danh mục "${report.fileName}": mã lĩnh vực ${report.fieldCodes
            .filter((f) => f.set)
            .map((f) => `${f.nameVi} ${f.before ?? '(chưa có)'} → ${f.code}`)
            .join('; ')}`,
          by,
        ).events
      : [];
    deps.log('catalog:imported', {
      fileName: report.fileName,
      mode: report.mode,
      applied: report.applied,
      rows: report.rows,
      problems: report.problems.length,
      added: report.added,
      updated: report.updated,
      removed: report.removed,
      fieldCodes: toSet.size,
    });
    return { reply: { complete: true, report }, events };
  };
}

function decide(read: ReadCatalog, upload: Upload, catalog: CatalogStore, now: number, services: readonly ServiceView[]): CatalogImportReport {
  // The codes the file gives, in kiosk order; `set` only once the import is applied.
  const codes = (applied: boolean): CatalogFieldCode[] =>
    services.flatMap((s) => {
      const given = read.fieldCodes.get(s.id);
      return given ? [{ serviceId: s.id, nameVi: s.nameVi, code: given.code, before: s.officialCode, set: applied && s.officialCode !== given.code }] : [];
    });
  const readCodes = codes(false);
  const fieldNote = (list: CatalogFieldCode[], applied: boolean): string => {
    if (list.length === 0) return '';
    const changed = list.filter((f) => f.before !== f.code).length;
    if (!applied) return ` Tệp ghi mã lĩnh vực cho ${list.length} lĩnh vực (${changed} mã mới hoặc khác mã đang dùng).`;
    return changed ? ` Đã đặt mã lĩnh vực cho ${changed} lĩnh vực.` : ' Mã lĩnh vực trong tệp đã đúng như đang dùng.';
  };
  const base = {
    fileName: upload.fileName,
    format: read.format,
    mode: upload.mode,
    rows: read.rows,
    readable: read.procedures.length,
    problems: read.problems,
    fieldCodes: readCodes,
  };
  const bad = read.problems.length ? ` ${read.problems.length} dòng không đọc được (xem danh sách).` : '';
  const unchanged = { applied: false, added: 0, updated: 0, removed: 0, total: catalog.list().length };
  if (upload.mode === 'check') {
    return { ...base, ...unchanged, message: `Đã kiểm tra: ${read.procedures.length} thủ tục đọc được.${bad}${fieldNote(readCodes, false)} Danh mục chưa thay đổi.` };
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
  const fieldCodes = codes(true);
  return {
    ...base,
    applied: true,
    ...result,
    fieldCodes,
    message:
      `Đã nhập: ${result.added} thủ tục mới, ${result.updated} thủ tục cập nhật` +
      (upload.mode === 'replace' ? `, ${result.removed} thủ tục bỏ khỏi danh mục` : '') +
      `; danh mục có ${result.total} thủ tục.${bad}${fieldNote(fieldCodes, true)}`,
  };
}
