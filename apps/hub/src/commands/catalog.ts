import { QueueError } from '@xephang/core';
import type { CatalogImportReply, CatalogImportReport, ParsedCommand, ServiceView, VisitLogType } from '@xephang/protocol';
import { readCatalogFile, type ReadCatalog } from '../catalog-file';
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
 * it, reports every unreadable row, and applies the readable ones as the mode says.
 */
export function catalogImports(deps: {
  catalog: CatalogStore;
  services: () => ServiceView[];
  now: () => number;
  /** Appends a line to the visit log (the audit trail). */
  log: (type: VisitLogType, detail: Record<string, unknown>) => void;
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
