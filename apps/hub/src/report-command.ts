/**
 * `report`: reports from the command line, read straight from the hub's SQLite file (read-only,
 * so it works while the hub runs). cli.ts parses the options and hands them here:
 *
 *   npm run report -- --week 2025-W28                       (the hub's ./data, a table)
 *   npm run report -- --data-dir /srv/xephang --month 2025-07 --format csv > thang-7.csv
 *   npm run report -- --from 2025-07-07 --to 2025-07-14 --format xlsx --out tuan-28.xlsx
 *   node apps/hub/dist/src/cli.js report --week 2025-W28    (the same, on a hub PC without npm)
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { parsePayload, ReportRangeSchema } from '@xephang/protocol';
import { computeReport, reportCsv, reportTable, reportXlsx, resolveRange } from './reports';
import { reportFileSheets } from './reports/visit-sheet';
import { visitStore } from './store/visit-store';

export const REPORT_HELP = `xephang report — báo cáo từ nhật ký lượt phục vụ

  npm run report -- [--data-dir ./data] (--day 2025-07-10 | --week 2025-W28 | --month 2025-07 | --from A --to B)
                    [--format table|json|csv|xlsx] [--out FILE]
  node apps/hub/dist/src/cli.js report [tùy chọn]   (như trên, không build lại)

  --data-dir DIR   thư mục dữ liệu của máy chủ (mặc định ./data, như khi chạy npm start)
  --day D          một ngày (YYYY-MM-DD, giờ Việt Nam)
  --week W         một tuần ISO, ví dụ 2025-W28 (thứ Hai 07/07 – Chủ nhật 13/07/2025)
  --month M        một tháng, ví dụ 2025-07
  --from A --to B  từ A đến trước B; A, B là ngày (YYYY-MM-DD) hoặc thời điểm ISO có múi giờ
  --format F       table (mặc định), json, csv (UTF-8 có BOM, mở được bằng Excel), xlsx (cần --out)
  --out FILE       ghi ra tệp thay vì màn hình
  --now ISO        coi thời điểm này là "bây giờ" (kết quả lặp lại được)
`;

/** The options of `report`, for node:util's parseArgs. */
export const REPORT_OPTIONS = {
  'data-dir': { type: 'string', default: process.env.XEPHANG_DATA_DIR ?? 'data' },
  day: { type: 'string' },
  week: { type: 'string' },
  month: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  format: { type: 'string', default: 'table' },
  out: { type: 'string' },
  now: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export interface ReportValues {
  'data-dir': string;
  day?: string | undefined;
  week?: string | undefined;
  month?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  format: string;
  out?: string | undefined;
  now?: string | undefined;
}

/**
 * Writes the report the options ask for, to stdout or `--out`.
 * @throws Error with a Vietnamese message when an option or the database is wrong.
 */
export async function runReport(values: ReportValues): Promise<void> {
  const format = values.format;
  if (!['table', 'json', 'csv', 'xlsx'].includes(format)) throw new Error(`--format phải là table, json, csv hoặc xlsx (không phải "${format}")`);
  if (format === 'xlsx' && !values.out) throw new Error('--format xlsx cần --out TỆP.xlsx');
  const request: Record<string, string> = {};
  for (const key of ['day', 'week', 'month', 'from', 'to'] as const) if (values[key] !== undefined) request[key] = values[key];
  const parsed = parsePayload(ReportRangeSchema, request);
  if (!parsed.ok) throw new Error(`${parsed.error.message}\n\n${REPORT_HELP}`);
  const now = values.now === undefined ? Date.now() : Date.parse(values.now);
  if (Number.isNaN(now)) throw new Error(`--now cần một thời điểm ISO, ví dụ 2025-07-14T08:00:00+07:00`);
  const range = resolveRange(parsed.data);

  const file = join(resolve(values['data-dir']), 'xephang.sqlite');
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new Error(`Không mở được ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    db.pragma('busy_timeout = 5000');
    // A year's report reads a few hundred thousand index entries: a larger cache than SQLite's 2 MB.
    db.pragma('cache_size = -65536');
    const report = computeReport(db, range, { now });
    // A data folder a hub has not opened since issue 20 has no dossier column: its files go without the per-visit sheet.
    const perVisit = db.prepare<[], { name: string }>('PRAGMA table_info(tickets)').all().some((c) => c.name === 'dossier_code');
    const sheets = () => (perVisit ? reportFileSheets(report, range, visitStore(db)) : undefined);
    const output: string | Buffer =
      format === 'json'
        ? `${JSON.stringify(report, null, 2)}\n`
        : format === 'csv'
          ? reportCsv(report, sheets())
          : format === 'xlsx'
            ? await reportXlsx(report, sheets())
            : `${reportTable(report)}\n`;
    if (values.out) {
      writeFileSync(values.out, output);
      process.stderr.write(`Đã ghi ${values.out}\n`);
    } else {
      process.stdout.write(output);
    }
  } finally {
    db.close();
  }
}
