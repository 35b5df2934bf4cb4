import { mondayIndex, WEEKDAYS_MONDAY_FIRST_VI } from '@xephang/core';
import {
  LEGACY_SCALE_NAME,
  OFFICIAL_LEVELS_DEFAULT,
  OFFICIAL_SCORES,
  RATING_TEXT,
  SATISFIED_SHARE_DEFINITION,
  TRIPS,
  TRIPS_TEXT,
  type OfficialRatingSummary,
  type PauseReason,
  type RatingSummary,
  type Report,
  type TimeStats,
} from '@xephang/protocol';
import { viDate } from '../range';

/**
 * How a value is written: `minutes` holds minutes (ms ÷ 60 000, unrounded), `day` a
 * `YYYY-MM-DD`, `time` an epoch ms shown as local `HH:MM`, `score` a mean from 1 to 4,
 * `share` a fraction 0–1 (shown as a percentage).
 */
export type CellKind = 'int' | 'minutes' | 'score' | 'text' | 'day' | 'time' | 'share';
export type Cell = string | number | null;
export interface Column {
  header: string;
  kind: CellKind;
}
/** One section of a report: a sheet of the XLSX file, a block of the CSV file, a table on screen. */
export interface Sheet {
  name: string;
  title: string;
  columns: Column[];
  rows: Cell[][];
}

/** A duration's cell: minutes, unrounded (the file's format rounds them). */
export const minutes = (ms: number | null) => (ms === null ? null : ms / 60_000);
/** Columns by kind, for whoever writes a table of their own (the province's overview). */
export const int = (header: string): Column => ({ header, kind: 'int' });
export const text = (header: string): Column => ({ header, kind: 'text' });
export const mins = (header: string): Column => ({ header, kind: 'minutes' });

/** `12.5` → `12,5`: numbers inside Vietnamese sentences. */
function viNumber(n: number, digits = 1): string {
  return n.toFixed(digits).replace(/\.0+$/, '').replace('.', ',');
}

function pauseText(reasons: readonly PauseReason[]): string {
  return reasons.map((r) => `${r.reason} (${r.count} lần, ${viNumber(r.ms / 60_000)} phút)`).join('; ');
}

function timeCells(s: TimeStats): Cell[] {
  return [s.count, minutes(s.meanMs), minutes(s.medianMs), minutes(s.p90Ms)];
}

function ratingCells(r: RatingSummary): Cell[] {
  return [r.counts[3], r.counts[2], r.counts[1], r.counts[0], r.count, r.mean];
}

/** Five levels best first, the count, the satisfied ones and their share, then the trips. */
function officialCells(r: OfficialRatingSummary): Cell[] {
  return [...OFFICIAL_SCORES.map((s) => r.counts[s - 1]!), r.count, r.satisfied, r.satisfiedShare, ...r.trips];
}

/** `0.8125` → `81,3%`. */
const viShare = (share: number): string => `${viNumber(share * 100)}%`;

/** The report as the center writes it: a summary in sentences, then one table per section. */
export function reportSheets(report: Report): Sheet[] {
  const heading = (what: string) => `${what} — ${report.range.label}`;
  const f = report.fieldTotal;

  const summary: string[] = [
    `${report.centerName}`,
    `Báo cáo ${report.range.label.charAt(0).toLowerCase()}${report.range.label.slice(1)}`,
    `Số phiếu đã cấp: ${f.issued}; đã phục vụ: ${f.served}; vắng mặt: ${f.noShow}; quá hạn không được gọi: ${f.expired}.`,
  ];
  for (const row of report.fields) {
    if (row.issued === 0 && row.served === 0) continue;
    const parts = [
      row.received ? `tiếp nhận ${row.received} lượt hồ sơ` : '',
      row.guidance ? `hướng dẫn ${row.guidance} lượt` : '',
      row.returned ? `trả kết quả ${row.returned} lượt` : '',
      row.other ? `việc khác ${row.other} lượt` : '',
    ].filter(Boolean);
    summary.push(`Lĩnh vực ${row.nameVi}: ${parts.length ? parts.join('; ') : 'chưa phục vụ lượt nào'}.`);
  }
  for (const [what, s] of [['chờ', report.waits.all], ['phục vụ', report.serviceTimes.all]] as const) {
    if (s.count === 0) continue;
    summary.push(
      `Thời gian ${what} trung bình ${viNumber(s.meanMs! / 60_000)} phút (trung vị ${viNumber(s.medianMs! / 60_000)} phút; 90% số lượt không quá ${viNumber(s.p90Ms! / 60_000)} phút).`,
    );
  }
  const v5 = report.satisfaction.v5.all;
  const sat = report.satisfaction.all;
  summary.push(
    v5.count === 0
      ? 'Chưa có lượt đánh giá mức độ hài lòng nào theo thang 5 mức.'
      : `Mức độ hài lòng (thang 5 mức): ${v5.count} lượt đánh giá, tỷ lệ hài lòng ${viShare(v5.satisfiedShare!)} (${OFFICIAL_SCORES.map(
          (s) => `${OFFICIAL_LEVELS_DEFAULT[s].vi} ${v5.counts[s - 1]}`,
        ).join(', ')}).`,
  );
  if (v5.count > 0) summary.push(`${SATISFIED_SHARE_DEFINITION}.`);
  if (v5.reasons.length > 0) summary.push(`Lý do chưa hài lòng: ${v5.reasons.map((r) => `${r.reason} ${r.count}`).join(', ')}.`);
  if (f.withDossier > 0) summary.push(`Lượt phục vụ có mã hồ sơ: ${f.withDossier}/${f.served}.`);
  // The old scale only when the range holds ratings on it: never mapped onto the five levels.
  if (sat.count > 0) {
    summary.push(
      `Đánh giá theo ${LEGACY_SCALE_NAME}: ${sat.count} lượt, điểm trung bình ${viNumber(sat.mean!, 2)}/4 (${([4, 3, 2, 1] as const)
        .map((s) => `${RATING_TEXT[s].vi} ${sat.counts[s - 1]}`)
        .join(', ')}).`,
    );
  }

  const timeSheet = (name: string, what: string, t: Report['waits']): Sheet => ({
    name,
    title: heading(what),
    columns: [text('Nhóm'), text('Tên'), int('Số lượt'), mins('Trung bình (phút)'), mins('Trung vị (phút)'), mins('Phân vị 90 (phút)')],
    rows: [
      ['Toàn trung tâm', null, ...timeCells(t.all)],
      ...t.byField.map((r) => ['Lĩnh vực', r.nameVi, ...timeCells(r)]),
      ...t.byCounter.map((r) => ['Quầy', r.name, ...timeCells(r)]),
    ],
  });

  const workColumns = [
    int('Đã phục vụ'),
    mins('Thời gian phục vụ trung bình (phút)'),
    mins('Trung vị (phút)'),
    int('Số lần tạm nghỉ'),
    mins('Tổng thời gian tạm nghỉ (phút)'),
    text('Lý do tạm nghỉ'),
    int('Có mã hồ sơ'),
    int('Số lượt đánh giá (thang 5 mức)'),
    { header: 'Tỷ lệ hài lòng (thang 5 mức)', kind: 'share' } as Column,
    int(`Số lượt đánh giá (${LEGACY_SCALE_NAME})`),
    { header: `Điểm trung bình ${LEGACY_SCALE_NAME} (1–4)`, kind: 'score' } as Column,
  ];
  const workCells = (w: Report['counters'][number] | Report['clerks'][number]): Cell[] => [
    w.served,
    minutes(w.serviceTime.meanMs),
    minutes(w.serviceTime.medianMs),
    w.pauses,
    minutes(w.pausedMs),
    pauseText(w.pauseReasons),
    w.withDossier,
    w.ratingV5.count,
    w.ratingV5.satisfiedShare,
    w.rating.count,
    w.rating.mean,
  ];

  const activity: Cell[][] = [];
  const days = new Set<string>();
  for (const w of [...report.counters, ...report.clerks]) for (const d of w.days) days.add(d.day);
  for (const day of [...days].sort()) {
    for (const [kind, list] of [['Quầy', report.counters], ['Cán bộ', report.clerks]] as const) {
      for (const w of list) {
        const d = w.days.find((x) => x.day === day);
        if (d) activity.push([day, kind, w.name, d.firstCallAt, d.lastFinishAt, d.served, minutes(d.pausedMs)]);
      }
    }
  }

  const pauses: Cell[][] = [
    ...report.pauseReasons.map((r) => ['Toàn trung tâm', null, r.reason, r.count, minutes(r.ms)]),
    ...report.counters.flatMap((c) => c.pauseReasons.map((r) => ['Quầy', c.name, r.reason, r.count, minutes(r.ms)])),
    ...report.clerks.flatMap((c) => c.pauseReasons.map((r) => ['Cán bộ', c.name, r.reason, r.count, minutes(r.ms)])),
  ];

  const s = report.satisfaction;
  return [
    { name: 'Tổng hợp', title: heading('Tổng hợp'), columns: [text('Nội dung')], rows: summary.map((line) => [line]) },
    {
      name: 'Theo lĩnh vực',
      title: heading('Kết quả tiếp nhận và giải quyết theo lĩnh vực'),
      columns: [
        int('STT'),
        text('Lĩnh vực'),
        text('Mã lĩnh vực (CSDL quốc gia TTHC)'),
        int('Số phiếu đã cấp'),
        int('Trong đó chuyển từ lĩnh vực khác'),
        int('Đã phục vụ'),
        int('Tiếp nhận hồ sơ'),
        int('Hướng dẫn'),
        int('Trả kết quả'),
        int('Khác'),
        int('Kết thúc không bấm bắt đầu'),
        int('Vắng mặt'),
        int('Quá hạn không được gọi'),
        int('Có mã hồ sơ'),
      ],
      rows: [
        ...report.fields.map((r, i) => [i + 1, r.nameVi, r.officialCode, r.issued, r.transferredIn, r.served, r.received, r.guidance, r.returned, r.other, r.startedAtCall, r.noShow, r.expired, r.withDossier]),
        [null, 'Tổng cộng', null, f.issued, f.transferredIn, f.served, f.received, f.guidance, f.returned, f.other, f.startedAtCall, f.noShow, f.expired, f.withDossier],
      ],
    },
    timeSheet('Thời gian chờ', 'Thời gian chờ (từ lúc lấy số đến lần gọi đầu tiên)', report.waits),
    timeSheet('Thời gian phục vụ', 'Thời gian phục vụ (từ lúc bắt đầu đến lúc kết thúc)', report.serviceTimes),
    { name: 'Theo quầy', title: heading('Kết quả làm việc theo quầy'), columns: [text('Quầy'), ...workColumns], rows: report.counters.map((c) => [c.name, ...workCells(c)]) },
    { name: 'Theo cán bộ', title: heading('Kết quả làm việc theo cán bộ'), columns: [text('Cán bộ'), ...workColumns], rows: report.clerks.map((c) => [c.name, ...workCells(c)]) },
    {
      name: 'Hoạt động theo ngày',
      title: heading('Giờ gọi số đầu tiên và kết thúc lượt cuối mỗi ngày'),
      columns: [
        { header: 'Ngày', kind: 'day' },
        text('Loại'),
        text('Tên'),
        { header: 'Gọi số đầu tiên', kind: 'time' },
        { header: 'Kết thúc lượt cuối', kind: 'time' },
        int('Đã phục vụ'),
        mins('Tạm nghỉ (phút)'),
      ],
      rows: activity,
    },
    {
      name: 'Tạm nghỉ',
      title: heading('Tạm nghỉ theo lý do'),
      columns: [text('Nhóm'), text('Tên'), text('Lý do'), int('Số lần'), mins('Tổng thời gian (phút)')],
      rows: pauses,
    },
    {
      name: 'Theo giờ',
      title: heading('Số phiếu đã cấp theo giờ trong ngày'),
      columns: [text('Khung giờ'), int('Số phiếu đã cấp')],
      rows: report.load.byHour.map((n, h) => [`${String(h).padStart(2, '0')}:00–${String(h + 1).padStart(2, '0')}:00`, n]),
    },
    {
      name: 'Theo thứ',
      title: heading('Số phiếu đã cấp theo thứ trong tuần'),
      columns: [text('Thứ'), int('Số phiếu đã cấp')],
      rows: report.load.byWeekday.map((n, i) => [WEEKDAYS_MONDAY_FIRST_VI[i]!, n]),
    },
    {
      name: 'Theo ngày',
      title: heading('Số phiếu đã cấp và số lượt đã phục vụ theo ngày'),
      columns: [{ header: 'Ngày', kind: 'day' }, text('Thứ'), int('Số phiếu đã cấp'), int('Đã phục vụ')],
      rows: report.load.byDay.map((d) => [d.day, WEEKDAYS_MONDAY_FIRST_VI[mondayIndex(d.day)]!, d.issued, d.served]),
    },
    {
      name: 'Mức độ hài lòng',
      // The share's definition in the title: the sheet is read alone, and a share without it means nothing.
      title: heading(`Mức độ hài lòng của người dân (thang 5 mức). ${SATISFIED_SHARE_DEFINITION}`),
      columns: [
        text('Nhóm'),
        text('Tên'),
        ...OFFICIAL_SCORES.map((sc) => int(OFFICIAL_LEVELS_DEFAULT[sc].vi)),
        int('Tổng số đánh giá'),
        int('Hài lòng (2 mức cao nhất)'),
        { header: 'Tỷ lệ hài lòng', kind: 'share' },
        ...TRIPS.map((t) => int(`Đến ${TRIPS_TEXT[t].vi.toLowerCase()}`)),
      ],
      rows: [
        ['Toàn trung tâm', null, ...officialCells(s.v5.all)],
        ...s.v5.byField.map((r) => ['Lĩnh vực', r.nameVi, ...officialCells(r)]),
        ...s.v5.byCounter.map((r) => ['Quầy', r.name, ...officialCells(r)]),
        ...s.v5.byClerk.map((r) => ['Cán bộ', r.name, ...officialCells(r)]),
      ],
    },
    {
      name: 'Lý do chưa hài lòng',
      title: heading('Lý do người dân chọn khi đánh giá từ "Bình thường" trở xuống'),
      columns: [text('Nhóm'), text('Tên'), text('Lý do'), int('Số lượt')],
      rows: [
        ...s.v5.all.reasons.map((r) => ['Toàn trung tâm', null, r.reason, r.count]),
        ...s.v5.byField.flatMap((f) => f.reasons.map((r) => ['Lĩnh vực', f.nameVi, r.reason, r.count])),
        ...s.v5.byClerk.flatMap((c) => c.reasons.map((r) => ['Cán bộ', c.name, r.reason, r.count])),
      ],
    },
    ...(s.all.count === 0 ? [] : [legacySheet(heading, s)]),
  ];
}

/** The old four-level ratings, as their own sheet, only for a range that has any. */
function legacySheet(heading: (what: string) => string, s: Report['satisfaction']): Sheet {
  return {
    name: 'Hài lòng (thang cũ)',
    title: heading(`Mức độ hài lòng theo ${LEGACY_SCALE_NAME} (trước khi dùng thang 5 mức; không quy đổi)`),
    columns: [
      text('Nhóm'),
      text('Tên'),
      int(RATING_TEXT[4].vi),
      int(RATING_TEXT[3].vi),
      int(RATING_TEXT[2].vi),
      int(RATING_TEXT[1].vi),
      int('Tổng số đánh giá'),
      { header: 'Điểm trung bình (1–4)', kind: 'score' },
    ],
    rows: [
      ['Toàn trung tâm', null, ...ratingCells(s.all)],
      ...s.byField.map((r) => ['Lĩnh vực', r.nameVi, ...ratingCells(r)]),
      ...s.byCounter.map((r) => ['Quầy', r.name, ...ratingCells(r)]),
      ...s.byClerk.map((r) => ['Cán bộ', r.name, ...ratingCells(r)]),
    ],
  };
}

/** A cell as text, the way the CSV file and the terminal show it. */
export function cellText(value: Cell, kind: CellKind, utcOffsetMinutes: number): string {
  if (value === null) return '';
  switch (kind) {
    case 'minutes':
      return (value as number).toFixed(1);
    case 'score':
      return (value as number).toFixed(2);
    case 'share':
      return `${((value as number) * 100).toFixed(1)}%`;
    case 'day':
      return viDate(value as string);
    case 'time':
      return new Date((value as number) + utcOffsetMinutes * 60_000).toISOString().slice(11, 16);
    default:
      return String(value);
  }
}
