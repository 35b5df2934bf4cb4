import { useState } from 'react';
import { CATALOG_PART_CHARS, type CatalogImportReport } from '@xephang/protocol';
import { requestId } from '../shared/useHub';
import { useAdmin } from './api';

type Mode = CatalogImportReport['mode'];

/** The file as base64, cut into parts small enough for one socket.io message each. */
async function partsOf(file: File): Promise<string[]> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  const base64 = btoa(binary);
  // A part boundary on a multiple of 4 keeps each part valid base64 on its own.
  const size = CATALOG_PART_CHARS - (CATALOG_PART_CHARS % 4);
  const parts: string[] = [];
  for (let i = 0; i < base64.length; i += size) parts.push(base64.slice(i, i + size));
  return parts.length ? parts : [''];
}

/** The center's list of procedures: import it from CSV or XLSX, checked before it is applied. */
export function CatalogTab() {
  const { send } = useAdmin();
  const [file, setFile] = useState<File>();
  const [report, setReport] = useState<CatalogImportReport>();
  const [progress, setProgress] = useState<string>();
  const [error, setError] = useState<string>();

  const upload = async (mode: Mode) => {
    if (!file) return;
    setError(undefined);
    const parts = await partsOf(file);
    const uploadId = requestId();
    for (const [part, data] of parts.entries()) {
      setProgress(`Đang gửi phần ${part + 1}/${parts.length}…`);
      const reply = await send('catalog:import', { uploadId, fileName: file.name, part, parts: parts.length, data, mode });
      if (!reply.ok) {
        setProgress(undefined);
        return setError(reply.error.message);
      }
      if (reply.data.complete) setReport(reply.data.report);
    }
    setProgress(undefined);
  };

  return (
    <section className="admin-section" data-testid="catalog-tab">
      <h2>Thủ tục hành chính <small>Procedures</small></h2>
      <p className="hint">
        Tệp CSV hoặc Excel (XLSX) với các cột: <strong>mã</strong>, <strong>tên thủ tục</strong>, <strong>lĩnh vực</strong>,{' '}
        <strong>giấy tờ cần mang</strong>, và nếu có, <strong>mã lĩnh vực</strong> (mã của lĩnh vực trong Cơ sở dữ liệu quốc gia về thủ tục
        hành chính, ghi giống nhau ở mọi dòng của lĩnh vực; ô trống giữ nguyên mã đang dùng). Bấm “Kiểm tra” để xem trước; chưa có gì thay
        đổi cho đến khi bấm “Nhập”.
      </p>
      <div className="admin-row">
        {/* The browser's own button says "Choose file" / "No file chosen" in its language: ours speaks Vietnamese. */}
        <label className="file-pick">
          <input
            type="file"
            className="visually-hidden"
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            aria-label="Tệp danh mục thủ tục"
            onChange={(e) => {
              setFile(e.target.files?.[0]);
              setReport(undefined);
            }}
          />
          <span aria-hidden="true">Chọn tệp CSV hoặc Excel…</span>
        </label>
        <span className="file-name" data-testid="catalog-file">
          {file ? file.name : 'Chưa chọn tệp nào'}
        </span>
        <button type="button" disabled={!file || progress !== undefined} onClick={() => void upload('check')}>
          Kiểm tra
        </button>
        <button type="button" disabled={!report || report.mode !== 'check' || progress !== undefined} onClick={() => void upload('merge')}>
          Nhập (thêm và cập nhật)
        </button>
        <button
          type="button"
          disabled={!report || report.mode !== 'check' || report.problems.length > 0 || progress !== undefined}
          onClick={() => void upload('replace')}
        >
          Thay toàn bộ danh mục
        </button>
      </div>
      {progress && <p className="loading">{progress}</p>}
      {error && <p className="message error" role="alert">{error}</p>}
      {report && (
        <div data-testid="catalog-report">
          <p className={report.problems.length ? 'message error' : 'message info'}>{report.message}</p>
          <p>
            {report.readable}/{report.rows} dòng đọc được
            {report.applied ? ` · thêm ${report.added}, cập nhật ${report.updated}, bỏ ${report.removed} · danh mục có ${report.total} thủ tục` : ''}
          </p>
          {report.fieldCodes.length > 0 && (
            <table className="admin-table narrow" data-testid="catalog-field-codes" aria-label="Mã lĩnh vực trong tệp">
              <thead>
                <tr>
                  <th>Lĩnh vực</th>
                  <th>Mã trong tệp</th>
                  <th>Mã đang dùng</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {report.fieldCodes.map((f) => (
                  <tr key={f.serviceId} data-service={f.serviceId}>
                    <td>{f.nameVi}</td>
                    <td><code>{f.code}</code></td>
                    <td>{f.before ? <code>{f.before}</code> : '(chưa có)'}</td>
                    <td>{f.set ? 'đã đặt' : f.before === f.code ? 'giữ nguyên' : 'sẽ đặt khi nhập'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {report.problems.length > 0 && (
            <table className="admin-table">
              <thead>
                <tr>
                  <th>Dòng</th>
                  <th>Không đọc được vì</th>
                </tr>
              </thead>
              <tbody>
                {report.problems.map((p) => (
                  <tr key={p.line}>
                    <td>{p.line}</td>
                    <td>{p.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}
