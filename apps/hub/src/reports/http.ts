import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Database } from 'better-sqlite3';
import { QueueError } from '@xephang/core';
import { parsePayload, ReportRangeSchema, type HubError } from '@xephang/protocol';
import { computeReport } from './compute';
import { reportCsv } from '@xephang/reports/export';
import { reportXlsxOffThread } from './xlsx-thread';
import { reportFileSheets } from './visit-sheet';
import { visitStore } from '../store/visit-store';
import { resolveRange } from '@xephang/reports';

export interface ReportsHttpDeps {
  db: Database;
  now: () => number;
  /**
   * The admin password check shared with the admin handshake (access.ts): one limit per
   * address for both, counted before the hash runs.
   * @throws QueueError rate_limited or unauthorized.
   */
  checkAdminPassword: (password: string, address: string) => Promise<void>;
  /** The admin screen's own session (`admin:session`), sent as `Authorization: Bearer`: no password, no lock. */
  adminSessionValid: (token: string) => boolean;
}

const FORMATS = {
  'export.csv': 'text/csv; charset=utf-8',
  'export.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'export.json': 'application/json; charset=utf-8',
} as const;
const RANGE_KEYS = ['day', 'week', 'month', 'from', 'to'] as const;
/** Seconds a refused XLSX request is told to wait: a long range's workbook takes about 10 s. */
export const XLSX_RETRY_AFTER_S = 15;

/**
 * `GET /api/reports/export.csv|.xlsx|.json?week=2025-W28` (or `day`, `month`, `from`+`to`):
 * a report file for the admin. Authenticated with HTTP Basic: any user name, the admin
 * password (the same as the admin socket's), so a browser can open the link and ask for it,
 * and the admin screen can fetch it with an `Authorization` header. Wrong passwords are
 * throttled per address together with the admin handshake's.
 */
export function reportsHttp(deps: ReportsHttpDeps) {
  const visits = visitStore(deps.db);
  // A long range's workbook held about 600 MB while it was built (20,000 visits; the streaming
  // writer brought it to tens of MB above the rows, which a thread still copies): any number at once
  // (two admins, a script, a LAN device with the password) could exhaust the hub PC. One XLSX
  // build at a time; the next is refused with 503 and Retry-After, the running one completes.
  let xlsxBusy = false;
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const name = url.pathname.slice('/api/reports/'.length) as keyof typeof FORMATS;
    if (!(name in FORMATS)) return fail(res, 404, { code: 'not_found', message: `Không có địa chỉ ${url.pathname}. Dùng /api/reports/export.csv, .xlsx hoặc .json.` });
    if (req.method !== 'GET') return fail(res, 405, { code: 'invalid_payload', message: 'Dùng GET để tải báo cáo.' });
    const bearer = /^Bearer ([A-Za-z0-9_-]{1,128})$/.exec(req.headers.authorization ?? '')?.[1];
    if (bearer !== undefined) {
      // An expired session is not a password try: the screen logs in again.
      if (!deps.adminSessionValid(bearer)) return challenge(res, 'Phiên quản trị đã hết hạn. Hãy đăng nhập lại.');
    } else {
      const password = basicPassword(req.headers.authorization);
      const address = req.socket.remoteAddress ?? '';
      if (password === undefined) return challenge(res, 'Cần mật khẩu quản trị để tải báo cáo.');
      try {
        await deps.checkAdminPassword(password, address);
      } catch (e) {
        if (!(e instanceof QueueError)) throw e;
        if (e.code === 'rate_limited') return fail(res, 429, { code: e.code, message: e.message });
        return challenge(res, e.message);
      }
    }

    const query: Record<string, string> = {};
    for (const key of url.searchParams.keys()) {
      if (!(RANGE_KEYS as readonly string[]).includes(key)) {
        return fail(res, 400, { code: 'invalid_payload', message: `Tham số "${key.slice(0, 40)}" không dùng được; chỉ có day, week, month, from, to.` });
      }
      query[key] = url.searchParams.get(key)!;
    }
    const parsed = parsePayload(ReportRangeSchema, query);
    if (!parsed.ok) return fail(res, 400, parsed.error);
    let range;
    try {
      range = resolveRange(parsed.data);
    } catch (e) {
      if (e instanceof QueueError) return fail(res, 400, { code: e.code, message: e.message });
      throw e;
    }
    const ext = name.slice('export.'.length);
    if (ext === 'xlsx' && xlsxBusy) {
      res.setHeader('retry-after', String(XLSX_RETRY_AFTER_S));
      return fail(res, 503, {
        code: 'rate_limited',
        message: `Máy chủ đang tạo một tệp Excel khác; hãy thử lại sau khoảng ${XLSX_RETRY_AFTER_S} giây. (Another Excel export is being built; retry in about ${XLSX_RETRY_AFTER_S} s.)`,
      });
    }
    const period = parsed.data.day ?? parsed.data.week ?? parsed.data.month ?? `${range.firstDay}_${range.lastDay}`;
    let body: Buffer;
    if (ext === 'xlsx') {
      // Taken before the report is computed: nothing between here and the thread yields, so a
      // second request cannot slip in between the check and the flag.
      xlsxBusy = true;
      try {
        const report = computeReport(deps.db, range, { now: deps.now() });
        body = await reportXlsxOffThread(report, reportFileSheets(report, range, visits));
      } finally {
        xlsxBusy = false;
      }
    } else {
      const report = computeReport(deps.db, range, { now: deps.now() });
      // The files end with one row per visit (issue 20); the JSON stays the Report.
      body = ext === 'csv' ? Buffer.from(reportCsv(report, reportFileSheets(report, range, visits)), 'utf8') : Buffer.from(JSON.stringify(report));
    }
    res.writeHead(200, {
      'content-type': FORMATS[name],
      'content-length': body.length,
      'content-disposition': `attachment; filename="bao-cao-${period}.${ext}"`,
      'cache-control': 'no-store',
    });
    res.end(body);
  };
}

/** The password of an `Authorization: Basic` header (the user name is ignored). */
function basicPassword(header: string | undefined): string | undefined {
  const m = /^Basic ([A-Za-z0-9+/=]{1,400})$/i.exec(header ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(colon + 1);
}

function challenge(res: ServerResponse, message: string): void {
  res.setHeader('www-authenticate', 'Basic realm="xephang", charset="UTF-8"');
  fail(res, 401, { code: 'unauthorized', message });
}

function fail(res: ServerResponse, status: number, err: HubError): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify({ ok: false, error: err }));
}
