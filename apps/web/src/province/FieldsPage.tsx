import { useEffect, useEffectEvent, useMemo, useState } from 'react';
import type { FieldAcross, FieldTotal, ProvinceFields, TimeStats } from '@xephang/protocol';
import { WEEKDAYS_SHORT_VI } from '@xephang/core';
import { BarChart } from '../shared/report/charts';
import { minutes } from '../shared/report/durations';
import { HourChart } from './OverviewPage';
import { SortableHead, useSort, type Column } from './SortableTable';
import type { Period } from '../shared/report/usePeriod';
import { PrintHead, Toolbar } from './Toolbar';
import { useLoad } from './useLoad';

type Key = 'name' | 'issued' | 'served' | 'received' | 'guidance' | 'noShow' | 'waitMedian' | 'waitP90' | 'serviceMedian' | 'serviceP90';

interface Line {
  key: string;
  name: string;
  /** The field's code in the national procedure catalogue, shown beside its name. */
  code?: string | null;
  totals: FieldTotal;
  wait: TimeStats;
  service: TimeStats;
}

const COLUMNS = (first: string): Column<Line, Key>[] => [
  { key: 'name', label: first, first: 'ascending', value: (r) => r.name },
  { key: 'issued', label: 'Phiếu phát', group: 'Lượt', value: (r) => r.totals.issued },
  { key: 'served', label: 'Đã phục vụ', group: 'Lượt', value: (r) => r.totals.served },
  { key: 'received', label: 'Tiếp nhận hồ sơ', group: 'Lượt', value: (r) => r.totals.received },
  { key: 'guidance', label: 'Hướng dẫn', group: 'Lượt', value: (r) => r.totals.guidance },
  { key: 'noShow', label: 'Vắng mặt', group: 'Lượt', value: (r) => r.totals.noShow },
  { key: 'waitMedian', label: 'Trung vị', fullLabel: 'Chờ, trung vị (phút)', group: 'Chờ (phút)', value: (r) => r.wait.medianMs },
  { key: 'waitP90', label: '90%', fullLabel: 'Chờ, 90% (phút)', group: 'Chờ (phút)', value: (r) => r.wait.p90Ms },
  { key: 'serviceMedian', label: 'Trung vị', fullLabel: 'Phục vụ, trung vị (phút)', group: 'Phục vụ (phút)', value: (r) => r.service.medianMs },
  { key: 'serviceP90', label: '90%', fullLabel: 'Phục vụ, 90% (phút)', group: 'Phục vụ (phút)', value: (r) => r.service.p90Ms },
];
const FIELD_COLUMNS = COLUMNS('Lĩnh vực');
const COMMUNE_COLUMNS = COLUMNS('Xã');

/** Each field across communes: the province's line per field, then one field's communes and its load. */
export function FieldsPage({ period }: { period: Period }) {
  const { data, error, loading, load } = useLoad<ProvinceFields>('/api/v1/fields', period);
  const [chosen, setChosen] = useState<string>();
  // The period's figures when the page opens; after that only "Xem" reloads (not every keystroke).
  const opened = useEffectEvent(() => void load());
  useEffect(() => opened(), []);
  const field = data?.fields.find((f) => f.serviceId === chosen) ?? data?.fields[0];

  return (
    <section className="admin-section reports province-page" data-testid="province-fields">
      <Toolbar period={period} loading={loading} onLoad={() => void load()} exportPath={data ? '/api/v1/fields' : undefined} fileStem="tinh-linh-vuc" />
      {error && (
        <div className="message error" role="alert">
          {error}
        </div>
      )}
      {data && (
        <article className="report">
          <PrintHead title="Theo lĩnh vực" rangeLabel={data.range.label} generatedAt={data.generatedAt} />
          <h3>1. Các lĩnh vực, toàn tỉnh</h3>
          <LineTable
            label="Các lĩnh vực toàn tỉnh"
            testId="fields-table"
            columns={FIELD_COLUMNS}
            lines={data.fields.map((f) => ({ key: f.serviceId, name: f.nameVi, code: f.officialCode, ...f.total }))}
            onPick={(key) => setChosen(key)}
            picked={field?.serviceId}
          />
          {field && <FieldDetail field={field} load={data.loadByField.find((l) => l.serviceId === field.serviceId)} />}
        </article>
      )}
    </section>
  );
}

function FieldDetail({ field, load }: { field: FieldAcross; load: ProvinceFields['loadByField'][number] | undefined }) {
  return (
    <div data-testid="field-detail" data-service={field.serviceId}>
      <h3>
        2. {field.nameVi} <small lang="en">{field.nameEn}</small> — theo xã
      </h3>
      {field.officialCode && (
        <p className="hint" data-testid="field-official-code">
          Mã lĩnh vực (Cơ sở dữ liệu quốc gia về thủ tục hành chính): <strong>{field.officialCode}</strong>
        </p>
      )}
      <LineTable
        label={`${field.nameVi} theo xã`}
        testId="field-communes"
        columns={COMMUNE_COLUMNS}
        lines={field.byCommune.map((c) => ({ key: c.code, name: c.name, totals: c.totals, wait: c.wait, service: c.service }))}
        total={{ key: 'total', name: 'Toàn tỉnh', ...field.total }}
      />
      {load && (
        <div className="charts">
          {load.byHour.length > 0 ? (
            <HourChart byHour={load.byHour} title={`${field.nameVi}: phiếu phát theo giờ`} />
          ) : (
            <p className="hint" data-testid="field-hours-missing">
              Theo giờ: số liệu các xã gửi lên chỉ đếm phiếu theo giờ cho cả trung tâm, chưa tách theo lĩnh vực (xem biểu đồ theo giờ ở trang Tổng hợp các xã).
            </p>
          )}
          <BarChart title={`${field.nameVi}: phiếu phát theo thứ`} labels={WEEKDAYS_SHORT_VI} series={[{ name: 'Phiếu', colour: '#0b3a82', values: load.byWeekday }]} />
        </div>
      )}
    </div>
  );
}

function LineTable({ label, testId, columns, lines, total, onPick, picked }: { label: string; testId: string; columns: Column<Line, Key>[]; lines: Line[]; total?: Line; onPick?: (key: string) => void; picked?: string | undefined }) {
  const [sort, clickSort] = useSort<Line, Key>({ key: onPick ? 'issued' : 'name', direction: onPick ? 'descending' : 'ascending' }, columns);
  const rows = useMemo(() => sort.apply(lines), [lines, sort]);
  return (
    <div className="table-scroll">
      <table className="admin-table report-table province-table" data-testid={testId} aria-label={label}>
        <SortableHead columns={columns} sort={sort} onSort={clickSort} />
        <tbody>
          {rows.map((l) => (
            <tr key={l.key} data-key={l.key} className={picked === l.key ? 'picked' : undefined}>
              <th scope="row">
                {onPick ? (
                  <button type="button" className="link" aria-pressed={picked === l.key} onClick={() => onPick(l.key)} aria-label={`Xem lĩnh vực ${l.name} theo xã`}>
                    {l.name}
                  </button>
                ) : (
                  l.name
                )}
                {l.code && (
                  <small className="official-code" data-col="officialCode" title="Mã lĩnh vực trong Cơ sở dữ liệu quốc gia về thủ tục hành chính">
                    {' '}
                    {l.code}
                  </small>
                )}
              </th>
              <LineCells l={l} />
            </tr>
          ))}
        </tbody>
        {total && (
          <tfoot>
            <tr>
              <th scope="row">{total.name}</th>
              <LineCells l={total} />
            </tr>
          </tfoot>
        )}
      </table>
    </div>
  );
}

function LineCells({ l }: { l: Line }) {
  return (
    <>
      <td className="num" data-col="issued">{l.totals.issued}</td>
      <td className="num" data-col="served">{l.totals.served}</td>
      <td className="num" data-col="received">{l.totals.received}</td>
      <td className="num" data-col="guidance">{l.totals.guidance}</td>
      <td className="num" data-col="noShow">{l.totals.noShow}</td>
      <td className="num" data-col="waitMedian">{minutes(l.wait.medianMs)}</td>
      <td className="num" data-col="waitP90">{minutes(l.wait.p90Ms)}</td>
      <td className="num" data-col="serviceMedian">{minutes(l.service.medianMs)}</td>
      <td className="num" data-col="serviceP90">{minutes(l.service.p90Ms)}</td>
    </>
  );
}
