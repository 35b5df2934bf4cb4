import { useEffect, useEffectEvent, useMemo } from 'react';
import type { CommuneFigures, CommuneRow, ProvinceOverview } from '@xephang/protocol';
import { dateTimeVi, WEEKDAYS_SHORT_VI } from '@xephang/core';
import { isoToDmy } from '../shared/format';
import { BarChart } from '../shared/report/charts';
import { minutes } from '../shared/report/durations';
import { agoVi, behindVi, LINK_RANK, LINK_TEXT, percentVi, scoreVi } from './format';
import { SortableHead, useSort, type Column } from './SortableTable';
import { SATISFIED_DEFINITION } from './text';
import type { Period } from '../shared/report/usePeriod';
import { PrintHead, Toolbar } from './Toolbar';
import { useLoad } from './useLoad';

type Key =
  | 'name'
  | 'issued'
  | 'served'
  | 'received'
  | 'guidance'
  | 'noShow'
  | 'waitMedian'
  | 'waitP90'
  | 'serviceMedian'
  | 'serviceP90'
  | 'ratings'
  | 'satisfied'
  | 'legacy'
  | 'link'
  | 'lastPush'
  | 'behind';

/** The columns, in the order shown; figures sort largest first on the first click (who is overloaded, who waits longest). */
const COLUMNS: Column<CommuneRow, Key>[] = [
  { key: 'name', label: 'Xã', first: 'ascending', value: (r) => r.name },
  { key: 'issued', label: 'Phiếu phát', group: 'Lượt', value: (r) => r.figures.totals.issued },
  { key: 'served', label: 'Đã phục vụ', group: 'Lượt', value: (r) => r.figures.totals.served },
  { key: 'received', label: 'Tiếp nhận hồ sơ', group: 'Lượt', value: (r) => r.figures.totals.received },
  { key: 'guidance', label: 'Hướng dẫn', group: 'Lượt', value: (r) => r.figures.totals.guidance },
  { key: 'noShow', label: 'Vắng mặt', group: 'Lượt', value: (r) => r.figures.totals.noShow },
  { key: 'waitMedian', label: 'Trung vị', fullLabel: 'Chờ, trung vị (phút)', group: 'Chờ (phút)', value: (r) => r.figures.wait.medianMs },
  { key: 'waitP90', label: '90%', fullLabel: 'Chờ, 90% (phút)', group: 'Chờ (phút)', value: (r) => r.figures.wait.p90Ms },
  { key: 'serviceMedian', label: 'Trung vị', fullLabel: 'Phục vụ, trung vị (phút)', group: 'Phục vụ (phút)', value: (r) => r.figures.service.medianMs },
  { key: 'serviceP90', label: '90%', fullLabel: 'Phục vụ, 90% (phút)', group: 'Phục vụ (phút)', value: (r) => r.figures.service.p90Ms },
  { key: 'ratings', label: 'Lượt', fullLabel: 'Lượt đánh giá (thang 5 mức)', group: 'Đánh giá', value: (r) => r.figures.ratingV5.count },
  { key: 'satisfied', label: 'Hài lòng', fullLabel: 'Tỷ lệ hài lòng (thang 5 mức)', group: 'Đánh giá', value: (r) => r.figures.satisfiedShare, title: SATISFIED_DEFINITION },
  { key: 'legacy', label: 'Thang cũ', fullLabel: 'Lượt đánh giá theo thang 4 mức cũ', group: 'Đánh giá', value: (r) => r.figures.rating.count },
  { key: 'link', label: 'Trạng thái', fullLabel: 'Trạng thái kết nối', group: 'Kết nối', first: 'ascending', value: (r) => LINK_RANK[r.link.state] },
  { key: 'lastPush', label: 'Dữ liệu mới nhất', group: 'Kết nối', first: 'ascending', value: (r) => r.link.lastPushAt },
  { key: 'behind', label: 'Chậm', fullLabel: 'Số ngày chậm', group: 'Kết nối', value: (r) => r.link.daysBehind },
];

/** Every commune's figures for the period, sortable, with the province total and the load charts. */
export function OverviewPage({ period, onOpen }: { period: Period; onOpen: (code: string) => void }) {
  const { data, error, loading, load } = useLoad<ProvinceOverview>('/api/v1/overview', period);
  const [sort, clickSort] = useSort<CommuneRow, Key>({ key: 'name', direction: 'ascending' }, COLUMNS);
  // The period's figures when the page opens; after that only "Xem" reloads (not every keystroke).
  const opened = useEffectEvent(() => void load());
  useEffect(() => opened(), []);
  const rows = useMemo(() => (data ? sort.apply(data.communes) : []), [data, sort]);

  return (
    <section className="admin-section reports province-page" data-testid="province-overview">
      <Toolbar period={period} loading={loading} onLoad={() => void load()} exportPath={data ? '/api/v1/overview' : undefined} fileStem="tinh-tong-hop" />
      {error && (
        <div className="message error" role="alert">
          {error}
        </div>
      )}
      {data && (
        <article className="report">
          <PrintHead title="Tổng hợp các xã" rangeLabel={data.range.label} generatedAt={data.generatedAt} />
          <div className="table-scroll">
            <table className="admin-table report-table province-table" data-testid="overview-table" aria-label="Số liệu các xã">
              <SortableHead columns={COLUMNS} sort={sort} onSort={clickSort} />
              <tbody>
                {rows.length === 0 && (
                  <tr>
                    <td colSpan={COLUMNS.length} className="hint">
                      Chưa có xã nào. Quản trị tỉnh thêm xã ở trang Quản trị.
                    </td>
                  </tr>
                )}
                {rows.map((r) => (
                  <tr key={r.code} data-commune={r.code}>
                    <th scope="row" className="commune-name">
                      <button type="button" className="link" onClick={() => onOpen(r.code)} aria-label={`Xem báo cáo xã ${r.name}`}>
                        {r.name}
                      </button>
                      <small className="code">{r.code}</small>
                    </th>
                    <Figures f={r.figures} />
                    <td data-col="link">
                      <LinkBadge state={r.link.state} />
                    </td>
                    <td className="nowrap" data-col="lastPush" title={r.link.lastPushAt ? dateTimeVi(r.link.lastPushAt, { seconds: true }) : undefined}>
                      {agoVi(r.link.lastPushAt, data.generatedAt)}
                      {r.link.newestDay && <small className="block">đến ngày {isoToDmy(r.link.newestDay)}</small>}
                    </td>
                    <td className={r.link.daysBehind ? 'num behind' : 'num'} data-col="behind">{behindVi(r.link.daysBehind)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr data-testid="province-total">
                  <th scope="row">Toàn tỉnh ({data.communes.length} xã)</th>
                  <Figures f={data.total} />
                  <td colSpan={3} className="hint">
                    {countStates(data.communes)}
                  </td>
                </tr>
              </tfoot>
            </table>
          </div>
          <p className="hint definition" data-testid="satisfied-definition">
            {SATISFIED_DEFINITION} Chờ: từ lúc lấy số đến khi được gọi; phục vụ: từ lúc bắt đầu đến khi kết thúc; trung vị và 90% tính trên mọi lượt của tất cả các xã, không lấy
            trung bình của các xã.
          </p>
          <h3>Lượng công dân toàn tỉnh</h3>
          <div className="charts">
            <HourChart byHour={data.load.byHour} title="Phiếu phát theo giờ trong ngày (toàn tỉnh)" />
            <BarChart title="Phiếu phát theo thứ trong tuần (toàn tỉnh)" labels={WEEKDAYS_SHORT_VI} series={[{ name: 'Phiếu', colour: '#0b3a82', values: data.load.byWeekday }]} />
          </div>
        </article>
      )}
    </section>
  );
}

/** The figure cells of a row, in COLUMNS' order (name and link cells apart). */
export function Figures({ f }: { f: CommuneFigures }) {
  return (
    <>
      <td className="num" data-col="issued">{f.totals.issued}</td>
      <td className="num" data-col="served">{f.totals.served}</td>
      <td className="num" data-col="received">{f.totals.received}</td>
      <td className="num" data-col="guidance">{f.totals.guidance}</td>
      <td className="num" data-col="noShow">{f.totals.noShow}</td>
      <td className="num" data-col="waitMedian">{minutes(f.wait.medianMs)}</td>
      <td className="num" data-col="waitP90">{minutes(f.wait.p90Ms)}</td>
      <td className="num" data-col="serviceMedian">{minutes(f.service.medianMs)}</td>
      <td className="num" data-col="serviceP90">{minutes(f.service.p90Ms)}</td>
      <td className="num" data-col="ratings">{f.ratingV5.count}</td>
      <td className="num" data-col="satisfied">{percentVi(f.satisfiedShare)}</td>
      <td className="num" data-col="legacy" title={f.rating.count ? `Điểm trung bình ${scoreVi(f.rating.mean)}/4` : undefined}>
        {f.rating.count}
      </td>
    </>
  );
}

export function LinkBadge({ state }: { state: keyof typeof LINK_TEXT }) {
  const t = LINK_TEXT[state];
  return (
    <span className={`link-badge ${state}`} title={t.hint} data-link={state}>
      {t.vi} <small lang="en">{t.en}</small>
    </span>
  );
}

function countStates(rows: CommuneRow[]): string {
  const n = (s: keyof typeof LINK_TEXT) => rows.filter((r) => r.link.state === s).length;
  return (['ok', 'late', 'never', 'revoked'] as const)
    .filter((s) => n(s) > 0)
    .map((s) => `${n(s)} ${LINK_TEXT[s].vi.toLowerCase()}`)
    .join(', ');
}

/** Issued per hour, opening hours and whatever was issued outside them (never narrower than 07:00–17:00, as the commune's report). */
export function HourChart({ byHour, title }: { byHour: readonly number[]; title: string }) {
  if (byHour.length === 0) return null;
  const busy = byHour.flatMap((n, h) => (n > 0 ? [h] : []));
  const first = Math.min(7, ...busy);
  const last = Math.max(16, ...busy);
  const hours = byHour.slice(first, last + 1);
  return <BarChart title={title} labels={hours.map((_, i) => `${first + i}h`)} series={[{ name: 'Phiếu', colour: '#0b3a82', values: hours }]} />;
}
