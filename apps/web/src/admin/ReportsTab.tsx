import { useEffect, useState } from 'react';
import type { Report, ReportGet } from '@xephang/protocol';
import { ReportView } from '../shared/report/ReportView';
import { downloadFile } from '../shared/report/download';
import { periodParams } from '../shared/report/period';
import { usePeriod } from '../shared/report/usePeriod';
import { useAdmin } from './api';

/** Reports for a day, week, month or range: tables, charts, CSV/XLSX export and a printable page. */
export function ReportsTab() {
  const { send } = useAdmin();
  const { query, fields } = usePeriod();
  const [report, setReport] = useState<Report>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(false);

  const load = async () => {
    if (!query) return;
    setLoading(true);
    const reply = await send('report:get', query);
    setLoading(false);
    if (reply.ok) {
      setReport(reply.data);
      setError(undefined);
    } else {
      setError(reply.error.message);
    }
  };
  // Today's report when the tab opens; after that only the button reloads (not every keystroke).
  useEffect(() => void load(), []);

  return (
    <section className="admin-section reports">
      <form
        className="admin-form row report-picker no-print"
        onSubmit={(e) => {
          e.preventDefault();
          void load();
        }}
      >
        {fields}
        <button type="submit" className="primary" disabled={loading || !query}>
          {loading ? 'Đang tính…' : 'Xem báo cáo'}
        </button>
        {report && query && <Exports query={query} />}
        {report && (
          <button type="button" onClick={() => window.print()}>
            In báo cáo
          </button>
        )}
      </form>
      {error && <div className="message error" role="alert">{error}</div>}
      {report && <ReportView report={report} />}
    </section>
  );
}

function Exports({ query }: { query: ReportGet }) {
  const { password, session } = useAdmin();
  const [failed, setFailed] = useState<string>();
  // With this screen's session, else the password (HTTP Basic).
  const download = async (ext: 'csv' | 'xlsx') => {
    const auth = session ? `Bearer ${session}` : `Basic ${btoa(String.fromCharCode(...new TextEncoder().encode(`admin:${password}`)))}`;
    setFailed(await downloadFile(`/api/reports/export.${ext}?${periodParams(query)}`, auth, `bao-cao.${ext}`));
  };
  return (
    <>
      <button type="button" onClick={() => void download('csv')} data-export="csv">Tải CSV</button>
      <button type="button" onClick={() => void download('xlsx')} data-export="xlsx">Tải Excel (XLSX)</button>
      {failed && <span className="error">{failed}</span>}
    </>
  );
}
