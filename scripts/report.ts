#!/usr/bin/env node
/**
 * Reports from the command line, read straight from the hub's SQLite file (read-only, so it
 * works while the hub runs):
 *
 *   npm run report -- --week 2025-W28                       (the hub's ./data, a table)
 *   npm run report -- --data-dir /srv/xephang --month 2025-07 --format csv > thang-7.csv
 *   npm run report -- --from 2025-07-07 --to 2025-07-14 --format xlsx --out tuan-28.xlsx
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { parsePayload, ReportRangeSchema } from '@xephang/protocol';
import { computeReport, reportCsv, reportTable, reportXlsx, resolveRange } from '@xephang/hub/reports';

const HELP = `xephang report — báo cáo từ nhật ký lượt phục vụ

  npm run report -- [--data-dir ./data] (--day 2025-07-10 | --week 2025-W28 | --month 2025-07 | --from A --to B)
                    [--format table|json|csv|xlsx] [--out FILE]

  --data-dir DIR   thư mục dữ liệu của máy chủ (mặc định ./data, như khi chạy npm start)
  --day D          một ngày (YYYY-MM-DD, giờ Việt Nam)
  --week W         một tuần ISO, ví dụ 2025-W28 (thứ Hai 07/07 – Chủ nhật 13/07/2025)
  --month M        một tháng, ví dụ 2025-07
  --from A --to B  từ A đến trước B; A, B là ngày (YYYY-MM-DD) hoặc thời điểm ISO có múi giờ
  --format F       table (mặc định), json, csv (UTF-8 có BOM, mở được bằng Excel), xlsx (cần --out)
  --out FILE       ghi ra tệp thay vì màn hình
  --now ISO        coi thời điểm này là "bây giờ" (kết quả lặp lại được)
`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
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
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const format = values.format!;
  if (!['table', 'json', 'csv', 'xlsx'].includes(format)) throw new Error(`--format phải là table, json, csv hoặc xlsx (không phải "${format}")`);
  if (format === 'xlsx' && !values.out) throw new Error('--format xlsx cần --out TỆP.xlsx');
  const request: Record<string, string> = {};
  for (const key of ['day', 'week', 'month', 'from', 'to'] as const) if (values[key] !== undefined) request[key] = values[key];
  const parsed = parsePayload(ReportRangeSchema, request);
  if (!parsed.ok) throw new Error(`${parsed.error.message}\n\n${HELP}`);
  const now = values.now === undefined ? Date.now() : Date.parse(values.now);
  if (Number.isNaN(now)) throw new Error(`--now cần một thời điểm ISO, ví dụ 2025-07-14T08:00:00+07:00`);
  const range = resolveRange(parsed.data);

  const file = join(resolve(values['data-dir']!), 'xephang.sqlite');
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
    const output: string | Buffer =
      format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : format === 'csv' ? reportCsv(report) : format === 'xlsx' ? await reportXlsx(report) : `${reportTable(report)}\n`;
    if (values.out) {
      writeFileSync(values.out, output);
      process.stderr.write(`Đã ghi ${values.out}\n`);
    } else {
      process.stdout.write(output);
    }
  } finally {
    db.close();
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`Lỗi: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
