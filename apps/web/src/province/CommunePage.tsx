import { useEffect, useState } from 'react';
import type { ProvinceOverview, Report } from '@xephang/protocol';
import { compareTextVi, localDate } from '@xephang/core';
import { ReportView } from '../shared/report/ReportView';
import { periodParams } from '../shared/report/period';
import { useProvince } from './api';
import type { Period } from '../shared/report/usePeriod';
import { Toolbar } from './Toolbar';

/** One commune's report, the same `ReportView` its own hub shows, with the hub's own CSV/XLSX. */
export function CommunePage({ period, code, onChoose }: { period: Period; code: string | undefined; onChoose: (code: string) => void }) {
  const { get } = useProvince();
  const [communes, setCommunes] = useState<{ code: string; name: string }[]>();
  const [report, setReport] = useState<Report>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(false);

  // The list to choose from is the overview's (a viewer may read it; the admin list is the admins'),
  // of one day: every commune is listed whatever the range, and a day costs the server least.
  useEffect(() => {
    void get<ProvinceOverview>(`/api/v1/overview?day=${localDate(Date.now())}`).then((r) => {
      if (r.ok) setCommunes(r.data.communes.map((c) => ({ code: c.code, name: c.name })).sort((a, b) => compareTextVi(a.name, b.name)));
    });
  }, []);

  const load = async (which = code) => {
    if (!which || !period.query) return;
    setLoading(true);
    const r = await get<Report>(`/api/v1/communes/${encodeURIComponent(which)}/report?${periodParams(period.query)}`);
    setLoading(false);
    if (r.ok) {
      setReport(r.data);
      setError(undefined);
    } else {
      setReport(undefined);
      setError(r.error.message);
    }
  };
  // A commune chosen (or opened from the overview) shows at once; a new period waits for "Xem".
  useEffect(() => void load(), [code]);

  return (
    <section className="admin-section reports province-page" data-testid="province-commune">
      <Toolbar period={period} loading={loading} onLoad={() => void load()} exportPath={report && code ? `/api/v1/communes/${encodeURIComponent(code)}/report` : undefined} fileStem={`xa-${code ?? ''}`}>
        <select value={code ?? ''} onChange={(e) => e.target.value && onChoose(e.target.value)} aria-label="Xã">
          <option value="">— Chọn xã —</option>
          {/* The commune in the address stays listed even before the list arrives. */}
          {code && !communes?.some((c) => c.code === code) && <option value={code}>{code}</option>}
          {communes?.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name} ({c.code})
            </option>
          ))}
        </select>
      </Toolbar>
      {!code && <p className="hint">Chọn một xã để xem báo cáo của xã đó, giống hệt báo cáo trên máy chủ của xã.</p>}
      {error && (
        <div className="message error" role="alert">
          {error}
        </div>
      )}
      {report && <ReportView report={report} />}
    </section>
  );
}
