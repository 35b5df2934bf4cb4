import { OUTCOME_NAMES, PRIORITY_NAMES, TICKET_STATE_NAMES, TRIPS_TEXT, visitRatingText, type VisitRow } from '@xephang/protocol';
import { int, minutes, text, type Cell, type Column, type Sheet } from './sheets';

/**
 * At most this many visits in an export's per-visit sheet: a year of a busy commune is some
 * 100,000 visits, which an XLSX built in memory would take hundreds of MB for. A month is a
 * few thousand; a longer range says, in the sheet's title, that it was cut and how to get the rest.
 */
export const VISIT_SHEET_CAP = 20_000;

const COLUMNS: Column[] = [
  { header: 'Ngày', kind: 'day' },
  int('Số thứ tự'),
  text('Lĩnh vực'),
  text('Mã lĩnh vực (danh mục quốc gia)'),
  text('Ưu tiên'),
  text('Trạng thái'),
  text('Quầy'),
  text('Cán bộ'),
  { header: 'Lấy số', kind: 'time' },
  { header: 'Gọi lần đầu', kind: 'time' },
  { header: 'Bắt đầu', kind: 'time' },
  { header: 'Kết thúc', kind: 'time' },
  { header: 'Chờ (phút)', kind: 'minutes' },
  { header: 'Phục vụ (phút)', kind: 'minutes' },
  text('Kết quả'),
  text('Mã hồ sơ'),
  text('Đánh giá'),
  int('Điểm'),
  text('Lý do chưa hài lòng'),
  text('Số lần đến'),
];


/**
 * One row per visit of a report's range (the visit list's columns), as a sheet of the XLSX file
 * and a block of the CSV file. `capped`: more visits than the rows given exist in the range.
 */
export function visitSheet(rows: readonly (VisitRow & { day: string })[], label: string, capped: boolean): Sheet {
  const cut = capped ? ` (chỉ ${rows.length.toLocaleString('vi-VN')} lượt đầu tiên; hãy xuất từng tháng để có đủ)` : '';
  return {
    name: 'Từng lượt khách',
    title: `Từng lượt khách — ${label}${cut}`,
    columns: COLUMNS,
    rows: rows.map((v): Cell[] => [
      v.day,
      v.number,
      v.serviceNameVi,
      v.serviceOfficialCode,
      v.priority === 'normal' ? null : PRIORITY_NAMES[v.priority].vi,
      TICKET_STATE_NAMES[v.state],
      v.counterName,
      v.clerkName,
      v.issuedAt,
      v.calledAt,
      v.startedAt,
      v.finishedAt,
      minutes(v.waitMs),
      minutes(v.serviceMs),
      v.outcome === null ? null : OUTCOME_NAMES[v.outcome],
      v.dossierCode,
      v.rating ? visitRatingText(v.rating) : null,
      v.rating?.score ?? null,
      v.rating?.reason ?? null,
      v.rating?.trips ? TRIPS_TEXT[v.rating.trips].vi : null,
    ]),
  };
}
