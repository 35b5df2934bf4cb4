import { WEEKDAYS_MONDAY_FIRST_VI } from '@xephang/core';
import type { CommuneFigures, CommuneLinkState, ProvinceFields, ProvinceOverview, TimeStats } from '@xephang/protocol';
import { int, mins, minutes, text, type Cell, type Column, type Sheet } from '@xephang/reports/export';

const STATE_VI: Record<CommuneLinkState['state'], string> = {
  never: 'Chưa gửi số liệu',
  ok: 'Đang gửi đều',
  late: 'Chậm gửi (quá 1 giờ)',
  revoked: 'Đã thu hồi',
};

const TIME_COLUMNS = [mins('Chờ: trung vị (phút)'), mins('Chờ: phân vị 90 (phút)'), mins('Phục vụ: trung vị (phút)'), mins('Phục vụ: phân vị 90 (phút)')];
const timeCells = (wait: TimeStats, service: TimeStats): Cell[] => [minutes(wait.medianMs), minutes(wait.p90Ms), minutes(service.medianMs), minutes(service.p90Ms)];

const FIGURE_COLUMNS: Column[] = [
  int('Số phiếu đã cấp'),
  int('Đã phục vụ'),
  int('Tiếp nhận hồ sơ'),
  int('Hướng dẫn'),
  int('Trả kết quả'),
  int('Vắng mặt'),
  int('Quá hạn không được gọi'),
  ...TIME_COLUMNS,
  int('Có mã hồ sơ'),
  int('Số lượt đánh giá (thang 5 mức)'),
  // The definition in the heading itself: a sheet read alone still says what the share counts.
  { header: 'Tỷ lệ hài lòng = (Rất hài lòng + Hài lòng) / số đánh giá thang 5 mức', kind: 'share' },
  int('Số lượt đánh giá (thang 4 mức cũ)'),
  { header: 'Điểm trung bình thang 4 mức cũ (1–4)', kind: 'score' },
  int('Số quầy đã phục vụ'),
];
const figureCells = (f: CommuneFigures): Cell[] => [
  f.totals.issued,
  f.totals.served,
  f.totals.received,
  f.totals.guidance,
  f.totals.returned,
  f.totals.noShow,
  f.totals.expired,
  ...timeCells(f.wait, f.service),
  f.totals.withDossier,
  f.ratingV5.count,
  f.satisfiedShare,
  f.rating.count,
  f.rating.mean,
  f.countersUsed,
];

/** `2026-12-06 14:05` in Vietnam's time, for a cell that needs the date and the hour. */
const stamp = (at: number | null): string | null => (at === null ? null : new Date(at + 7 * 3_600_000).toISOString().slice(0, 16).replace('T', ' '));

/** The all-communes table as sheets: every commune and the total, then the load by hour and weekday. */
export function overviewSheets(o: ProvinceOverview): Sheet[] {
  const heading = (what: string) => `${what} — ${o.range.label}`;
  return [
    {
      name: 'Các xã',
      title: heading('Tình hình phục vụ của các trung tâm hành chính công cấp xã'),
      columns: [
        text('Mã xã'),
        text('Xã'),
        ...FIGURE_COLUMNS,
        text('Kết nối'),
        text('Lần nhận số liệu cuối'),
        { header: 'Ngày đủ số liệu mới nhất', kind: 'day' },
        int('Chậm (ngày)'),
      ],
      rows: [
        ...o.communes.map((c) => [c.code, c.name, ...figureCells(c.figures), STATE_VI[c.link.state], stamp(c.link.lastPushAt), c.link.newestDay, c.link.daysBehind]),
        [null, 'Tổng cộng', ...figureCells(o.total), null, null, null, null],
      ],
    },
    {
      name: 'Theo giờ',
      title: heading('Số phiếu đã cấp theo giờ trong ngày, toàn tỉnh'),
      columns: [text('Khung giờ'), int('Số phiếu đã cấp')],
      rows: o.load.byHour.map((n, h) => [`${String(h).padStart(2, '0')}:00–${String(h + 1).padStart(2, '0')}:00`, n]),
    },
    {
      name: 'Theo thứ',
      title: heading('Số phiếu đã cấp theo thứ trong tuần, toàn tỉnh'),
      columns: [text('Thứ'), int('Số phiếu đã cấp')],
      rows: o.load.byWeekday.map((n, i) => [WEEKDAYS_MONDAY_FIRST_VI[i]!, n]),
    },
  ];
}

/** Each field across communes: the fields' totals, then each field commune by commune. */
export function fieldsSheets(f: ProvinceFields): Sheet[] {
  const heading = (what: string) => `${what} — ${f.range.label}`;
  const columns: Column[] = [
    int('Số phiếu đã cấp'),
    int('Đã phục vụ'),
    int('Tiếp nhận hồ sơ'),
    int('Hướng dẫn'),
    int('Trả kết quả'),
    int('Vắng mặt'),
    int('Quá hạn không được gọi'),
    ...TIME_COLUMNS,
  ];
  const cells = (x: ProvinceFields['fields'][number]['total']): Cell[] => [
    x.totals.issued,
    x.totals.served,
    x.totals.received,
    x.totals.guidance,
    x.totals.returned,
    x.totals.noShow,
    x.totals.expired,
    ...timeCells(x.wait, x.service),
  ];
  return [
    {
      name: 'Theo lĩnh vực',
      title: heading('Kết quả theo lĩnh vực, toàn tỉnh'),
      // The id the communes' hubs give the field (not called "mã lĩnh vực": that is the national
      // procedure catalogue's code, the third column, and what a catalog file's column means), then that code.
      columns: [text('Mã riêng trên máy chủ xã'), text('Lĩnh vực'), text('Mã lĩnh vực (CSDL quốc gia TTHC)'), int('Số xã có lĩnh vực'), ...columns],
      rows: f.fields.map((x) => [x.serviceId, x.nameVi, x.officialCode, x.byCommune.length, ...cells(x.total)]),
    },
    {
      name: 'Lĩnh vực theo xã',
      title: heading('Kết quả từng lĩnh vực theo xã'),
      columns: [text('Lĩnh vực'), text('Mã xã'), text('Xã'), ...columns],
      rows: f.fields.flatMap((x) => x.byCommune.map((c) => [x.nameVi, c.code, c.name, ...cells(c)])),
    },
    {
      name: 'Lĩnh vực theo thứ',
      title: heading('Số phiếu đã cấp của từng lĩnh vực theo thứ trong tuần'),
      columns: [text('Lĩnh vực'), ...WEEKDAYS_MONDAY_FIRST_VI.map((d) => int(d))],
      rows: f.loadByField.map((l) => [f.fields.find((x) => x.serviceId === l.serviceId)?.nameVi ?? l.serviceId, ...l.byWeekday]),
    },
  ];
}
