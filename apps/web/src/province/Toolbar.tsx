import { useState, type ReactNode } from 'react';
import { dateVi, timeVi } from '../shared/format';
import { periodParams } from '../shared/report/period';
import type { Period } from '../shared/report/usePeriod';
import { useProvince } from './api';

/**
 * A page's period picker, "Xem" button, its table's CSV and XLSX (fetched with the session,
 * then saved as a file) and the printable page. `exportPath` is the JSON path without its
 * extension (`/api/v1/overview` → `/api/v1/overview.csv?…`); no export until a result is shown.
 */
export function Toolbar({ period, loading, onLoad, exportPath, fileStem, children }: { period: Period; loading: boolean; onLoad: () => void; exportPath: string | undefined; fileStem: string; children?: ReactNode }) {
  const { download } = useProvince();
  const [failed, setFailed] = useState<string>();
  const get = async (ext: 'csv' | 'xlsx') => {
    if (!exportPath || !period.query) return;
    setFailed(await download(`${exportPath}.${ext}?${periodParams(period.query)}`, `${fileStem}.${ext}`));
  };
  return (
    <form
      className="admin-form row report-picker no-print"
      onSubmit={(e) => {
        e.preventDefault();
        onLoad();
      }}
    >
      {children}
      {period.fields}
      <button type="submit" className="primary" disabled={loading || !period.query}>
        {loading ? 'Đang tính…' : 'Xem'}
      </button>
      {exportPath && (
        <>
          <button type="button" onClick={() => void get('csv')} data-export="csv">
            Tải CSV
          </button>
          <button type="button" onClick={() => void get('xlsx')} data-export="xlsx">
            Tải Excel (XLSX)
          </button>
          <button type="button" onClick={() => window.print()}>
            In (A4) <small>Print</small>
          </button>
        </>
      )}
      {failed && (
        <span className="error" role="alert">
          {failed}
        </span>
      )}
    </form>
  );
}

/** The printed page's heading: what, which range, when it was computed. */
export function PrintHead({ title, rangeLabel, generatedAt }: { title: string; rangeLabel: string; generatedAt: number }) {
  return (
    <header className="report-head">
      <h1>Tổng hợp trung tâm phục vụ hành chính công các xã</h1>
      <h2>
        {title} — {rangeLabel}
      </h2>
      <p className="hint" data-testid="generated-at">
        Lập lúc {timeVi(generatedAt)}, {dateVi(generatedAt)}
      </p>
    </header>
  );
}
